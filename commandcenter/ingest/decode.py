"""Turn one inbound message (topic + bytes) into a typed value, or say exactly why not.

Routing follows the wire contract (DESIGN.md §4): `<prefix>/event/<source>` carries `cc.event/1`,
`<prefix>/unit/<unit>/status` and `.../location` come from the officer app.
"""

from __future__ import annotations

import codecs
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from commandcenter.domain.errors import InvalidEvent
from commandcenter.domain.event import Event, Location, parse_instant
from commandcenter.domain.geo import to_wgs84

DEFAULT_MAX_PAYLOAD = 256 * 1024
UNIT_REPLIES = ("accepted", "rejected", "en_route", "on_scene", "handled", "available",
                "off_duty")


class RejectedMessage(Exception):
    """A message that goes to quarantine; `code` groups reasons for the supervisor's counts."""

    def __init__(self, code: str, reason: str, *, raw: bytes | None = None,
                 source: str | None = None) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason
        self.raw = raw  # the device's own bytes when the message only reports them (gateway)
        self.source = source  # where they came from, when not the topic itself


@dataclass(frozen=True, slots=True)
class UnitStatusReport:
    unit_id: str
    status: str
    at: datetime
    case_number: str | None
    note: str | None
    media: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class UnitPosition:
    unit_id: str
    location: Location
    at: datetime
    speed: float | None


Decoded = Event | UnitStatusReport | UnitPosition


def check_size(payload: bytes, max_payload: int = DEFAULT_MAX_PAYLOAD) -> None:
    if len(payload) > max_payload:
        raise RejectedMessage("too_large", f"payload of {len(payload)} bytes exceeds the "
                                           f"{max_payload}-byte limit")


def load_json(payload: bytes, max_payload: int = DEFAULT_MAX_PAYLOAD) -> Any:
    """Parse JSON or say why not: every adapter's one JSON rule (size, UTF-8 with or without a
    BOM, syntax); deep nesting and huge numbers are refusals, not crashes."""
    check_size(payload, max_payload)
    bom = len(codecs.BOM_UTF8) if payload.startswith(codecs.BOM_UTF8) else 0
    try:  # plain UTF-8 after the BOM: "utf-8-sig" costs several times more per message
        text = (payload[bom:] if bom else payload).decode()
    except UnicodeDecodeError as exc:
        raise RejectedMessage("encoding", f"not UTF-8 at byte {exc.start + bom}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise RejectedMessage("not_json", f"not JSON: {exc.msg} at line {exc.lineno} "
                                          f"column {exc.colno}") from None
    except (ValueError, RecursionError) as exc:  # a 5000-digit number, nesting 1000 deep
        raise RejectedMessage("not_json", f"unusable JSON: {exc}") from None


def rejection_for(exc: InvalidEvent) -> RejectedMessage:
    """The reason code for an invalid field, the same whichever adapter found it."""
    field = exc.field or ""
    code = ("bad_location" if field.startswith("location")
            else "missing_field" if exc.reason == "missing or empty" else "invalid_field")
    return RejectedMessage(code, str(exc))


def decode(topic: str, payload: bytes, *, prefix: str = "cc/v1",
           max_payload: int = DEFAULT_MAX_PAYLOAD) -> Decoded:
    parts = topic.split("/")
    base = prefix.split("/")
    rest = parts[len(base):] if parts[:len(base)] == base else []
    try:
        if len(rest) == 2 and rest[0] == "event" and rest[1]:
            data = load_json(payload, max_payload)
            event = Event.from_json(data)
            if event.source != rest[1]:
                raise RejectedMessage("invalid_field", f"source: {event.source!r} does not match "
                                                       f"the topic's source {rest[1]!r}")
            return event
        if len(rest) == 3 and rest[0] == "unit" and rest[1] and rest[2] == "status":
            return _unit_status(rest[1], load_json(payload, max_payload))
        if len(rest) == 3 and rest[0] == "unit" and rest[1] and rest[2] == "location":
            return _unit_position(rest[1], load_json(payload, max_payload))
    except InvalidEvent as exc:
        raise rejection_for(exc) from None
    raise RejectedMessage("unknown_topic", f"no adapter for topic {topic!r}")


def _object(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise InvalidEvent(f"expected a JSON object, got {type(data).__name__}")
    return data


def _unit_status(unit_id: str, data: Any) -> UnitStatusReport:
    data = _object(data)
    status = data.get("status")
    if status not in UNIT_REPLIES:
        raise InvalidEvent(f"{status!r} is not one of {', '.join(UNIT_REPLIES)}", "status")
    case_number = data.get("case_id")
    if case_number is not None and (not isinstance(case_number, str) or "\x00" in case_number):
        raise InvalidEvent("expected the case number as text", "case_id")
    note = data.get("note")
    if note is not None and (not isinstance(note, str) or len(note) > 2000 or "\x00" in note):
        raise InvalidEvent("expected text of at most 2000 characters, without NUL", "note")
    media = data.get("media") or []
    if not isinstance(media, list) or not all(isinstance(m, str) for m in media):
        raise InvalidEvent("expected a list of URLs", "media")
    return UnitStatusReport(unit_id, status, parse_instant(data.get("ts"), "ts"), case_number,
                            note, tuple(media))


def _unit_position(unit_id: str, data: Any) -> UnitPosition:
    data = _object(data)
    lat, lon = data.get("lat"), data.get("lon")
    for name, value in (("lat", lat), ("lon", lon)):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InvalidEvent(f"expected a number, got {value!r}", f"location.{name}")
    crs = data.get("crs")
    if crs is None:
        raise InvalidEvent("no datum given (crs: wgs84, gcj02 or bd09)", "location.crs")
    flat, flon = _float(lat, "location"), _float(lon, "location")
    Location(flat, flon)  # range check
    try:
        wlat, wlon = to_wgs84(str(crs).lower(), flat, flon)
    except ValueError as exc:
        raise InvalidEvent(str(exc), "location.crs") from None
    speed = data.get("speed")
    if speed is not None and (isinstance(speed, bool) or not isinstance(speed, int | float)):
        raise InvalidEvent("expected a number", "speed")
    return UnitPosition(unit_id, Location(wlat, wlon), parse_instant(data.get("ts"), "ts"),
                        _float(speed, "speed") if speed is not None else None)


def _float(value: int | float, name: str) -> float:
    try:
        return float(value)
    except OverflowError:  # an integer beyond float range
        raise InvalidEvent("number out of range", name) from None
