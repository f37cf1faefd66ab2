"""What both camera adapters share: building a validated camera event (JSON rules: decode.py).

Every event goes through `Event.from_json`, the one validator, so a camera event is refused for
exactly the reasons a `cc.event/1` message on the wire would be.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from commandcenter.domain.catalog import default_catalog
from commandcenter.domain.errors import InvalidEvent
from commandcenter.domain.event import Event, EventKind, Severity
from commandcenter.ingest.cameras.registry import RegisteredCamera
from commandcenter.ingest.decode import (  # the one set of JSON and rejection rules
    DEFAULT_MAX_PAYLOAD,
    RejectedMessage,
    check_size,
    load_json,
)
from commandcenter.ingest.decode import rejection_for as rejected

__all__ = ["CST", "DEFAULT_MAX_PAYLOAD", "camera_event", "check_size", "clip",
           "instant_from_epoch", "load_json", "rejected"]

CST = timezone(timedelta(hours=8), "CST")  # the hall's wall clock, for readable instants
MAX_TITLE = 200


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
