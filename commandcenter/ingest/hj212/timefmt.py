"""HJ 212 timestamps: compact digits in China's local time (QN with milliseconds, DataTime)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from commandcenter.ingest.hj212.errors import Hj212Error, show

# China has kept UTC+8 all year since 1991: a fixed offset is exact and needs no tz database
# (which Windows lacks without the tzdata package).
CHINA = timezone(timedelta(hours=8))


def parse_stamp(text: str, field: str, *, millis: bool) -> datetime:
    """`yyyyMMddHHmmss` (DataTime) or `yyyyMMddHHmmssSSS` (QN), as an aware China time."""
    digits = 17 if millis else 14
    pattern = "yyyyMMddHHmmssSSS" if millis else "yyyyMMddHHmmss"
    if len(text) != digits or not (text.isascii() and text.isdigit()):
        raise Hj212Error(field, f"{pattern} ({digits} digits)", show(text))
    try:
        return datetime(int(text[0:4]), int(text[4:6]), int(text[6:8]), int(text[8:10]),
                        int(text[10:12]), int(text[12:14]),
                        int(text[14:17]) * 1000 if millis else 0, tzinfo=CHINA)
    except ValueError:
        raise Hj212Error(field, f"a calendar time {pattern}", text,
                         message=f"{field}: {text} is not a valid calendar time") from None


def format_stamp(at: datetime) -> str:
    """DataTime form of an instant, in China time."""
    return at.astimezone(CHINA).strftime("%Y%m%d%H%M%S")
