"""What both camera adapters share: bounded JSON decoding and building a validated camera event.

Every event goes through `Event.from_json`, the one validator, so a camera event is refused for
exactly the reasons a `cc.event/1` message on the wire would be.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

from commandcenter.domain.catalog import default_catalog
from commandcenter.domain.errors import InvalidEvent
from commandcenter.domain.event import Event, EventKind, Severity
from commandcenter.ingest.cameras.registry import RegisteredCamera
from commandcenter.ingest.decode import DEFAULT_MAX_PAYLOAD, RejectedMessage

CST = timezone(timedelta(hours=8), "CST")  # the hall's wall clock, for readable instants
MAX_TITLE = 200


def check_size(payload: bytes, max_payload: int = DEFAULT_MAX_PAYLOAD) -> None:
    if len(payload) > max_payload:
        raise RejectedMessage("too_large", f"payload of {len(payload)} bytes exceeds the "
                                           f"{max_payload}-byte limit")


def load_json(payload: bytes, max_payload: int = DEFAULT_MAX_PAYLOAD) -> Any:
    """Parse JSON or say why not; deep nesting and huge numbers are refusals, not crashes."""
    check_size(payload, max_payload)
    try:
        text = payload.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RejectedMessage("encoding", f"not UTF-8 at byte {exc.start}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise RejectedMessage("not_json", f"not JSON: {exc.msg} at line {exc.lineno} "
                                          f"column {exc.colno}") from None
    except (ValueError, RecursionError) as exc:
        raise RejectedMessage("not_json", f"unusable JSON: {exc}") from None


def rejected(exc: InvalidEvent) -> RejectedMessage:
    """The same reason codes `decode` gives for the same kind of fault."""
    field = exc.field or ""
    code = ("bad_location" if field.startswith("location")
            else "missing_field" if exc.reason == "missing or empty" else "invalid_field")
    return RejectedMessage(code, str(exc))


def clip(text: str, limit: int) -> str:
    text = text.replace("\x00", "")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def camera_event(
    *,
    source: str,
    source_id: str,
    camera: RegisteredCamera,
    category: str,
    severity: Severity,
    at: datetime,
    description: str,
    media: list[str],
    raw: Any,
) -> Event:
    """A camera event at the camera's registered position, validated like any other event."""
    location: dict[str, Any] = {"lat": camera.location.lat, "lon": camera.location.lon,
                                "crs": "wgs84", "address": camera.location.address or camera.name}
    data = {
        "source": source,
        "source_id": source_id,
        "kind": EventKind.CAMERA.value,
        "category": category,
        "severity": severity.value,
        "occurred_at": at.astimezone(CST).isoformat(),
        "location": location,
        "title": clip(f"{camera.name}：{default_catalog().name(category)}", MAX_TITLE),
        "description": clip(description, 4000),
        "media": media,
        "device": camera.id,
    }
    try:
        return Event.from_json(data, raw=raw)
    except InvalidEvent as exc:
        raise rejected(exc) from None


def instant_from_epoch(value: Any, name: str) -> datetime | None:
    """Epoch seconds (Frigate's clock) as an aware instant; None when absent."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RejectedMessage("invalid_field", f"{name}: expected epoch seconds, got {value!r}")
    # 2000-01-01 .. 2200-01-01: outside it the camera's clock is wrong, not the world's.
    if not 946_684_800 <= value <= 7_258_118_400:
        raise RejectedMessage("invalid_field", f"{name}: {value!r} is not a plausible time")
    return datetime.fromtimestamp(float(value), tz=CST)
