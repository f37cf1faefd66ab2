"""`cc.event/1`: the normalized form of everything that reaches the hall.

Adapters (JSON v1, HJ 212, Frigate, ISAPI, Open311, the simulator) all produce this shape;
`Event.from_json` is the one validator, so a bad field is rejected the same way from any source.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from commandcenter.domain.errors import InvalidEvent
from commandcenter.domain.geo import to_wgs84
from commandcenter.domain.pickling import quick_pickle

SCHEMA = "cc.event/1"
MAX_TEXT = 4000


class EventKind(StrEnum):
    REPORT = "report"
    ALARM = "alarm"
    CAMERA = "camera"
    READING = "reading"
    UNIT_STATUS = "unit_status"
    UNIT_LOCATION = "unit_location"
    HEATMAP = "heatmap"


class Severity(StrEnum):
    CRITICAL = "critical"
    MAJOR = "major"
    MINOR = "minor"
    WARNING = "warning"
    INFO = "info"


# Kinds that become a case the dispatcher must triage; the others update state (units, sites).
CASE_KINDS = frozenset({EventKind.REPORT, EventKind.ALARM, EventKind.CAMERA})


@quick_pickle
@dataclass(frozen=True, slots=True)
class Location:
    """A WGS-84 position; inputs in other datums are converted before one is built."""

    lat: float
    lon: float
    address: str | None = None

    def __post_init__(self) -> None:
        if not (math.isfinite(self.lat) and math.isfinite(self.lon)):
            raise InvalidEvent("coordinates must be finite numbers", "location")
        if not (-90.0 <= self.lat <= 90.0 and -180.0 <= self.lon <= 180.0):
            raise InvalidEvent(
                f"lat {self.lat}, lon {self.lon} is outside the valid range", "location"
            )


@dataclass(frozen=True, slots=True)
class Event:
    source: str
    source_id: str
    kind: EventKind
    occurred_at: datetime
    category: str | None = None
    severity: Severity = Severity.INFO
    location: Location | None = None
    title: str = ""
    description: str = ""
    media: tuple[str, ...] = ()
    device: str | None = None
    measurements: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    reporter: str | None = None
    raw: Any = None

    @property
    def key(self) -> tuple[str, str]:
        """The idempotency key: a redelivered message has the same one."""
        return (self.source, self.source_id)

    def to_json(self, *, with_raw: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "schema": SCHEMA,
            "source": self.source,
            "source_id": self.source_id,
            "kind": self.kind.value,
            "category": self.category,
            "severity": self.severity.value,
            "occurred_at": self.occurred_at.isoformat(),
            "location": None,
            "title": self.title,
            "description": self.description,
            "media": list(self.media),
            "device": self.device,
            "measurements": {k: dict(v) for k, v in self.measurements.items()},
            "reporter": self.reporter,
        }
        if self.location is not None:
            loc: dict[str, Any] = {"lat": self.location.lat, "lon": self.location.lon,
                                   "crs": "wgs84"}
            if self.location.address:
                loc["address"] = self.location.address
            out["location"] = loc
        if with_raw:
            out["raw"] = self.raw
        return out

    @classmethod
    def from_json(
        cls, data: Any, *, default_crs: str | None = None, raw: Any = None
    ) -> Event:
        """Validate and normalize one `cc.event/1`; raise `InvalidEvent` saying what is wrong.

        `default_crs` is the source's configured datum for a location that does not name one;
        without it such a location is rejected rather than guessed.
        """
        if not isinstance(data, Mapping):
            raise InvalidEvent(f"expected a JSON object, got {type(data).__name__}")
        schema = data.get("schema", SCHEMA)
        if schema != SCHEMA:
            raise InvalidEvent(f"unsupported schema {schema!r}, expected {SCHEMA!r}", "schema")
        source = _required_text(data, "source", 64)
        source_id = _required_text(data, "source_id", 128)
        try:
            kind = EventKind(str(data.get("kind")))
        except ValueError:
            raise InvalidEvent(
                f"{data.get('kind')!r} is not one of {', '.join(k.value for k in EventKind)}",
                "kind",
            ) from None
        try:
            severity = Severity(data.get("severity", "info"))
        except ValueError:
            raise InvalidEvent(f"{data.get('severity')!r} is not a severity", "severity") from None
        return cls(
            source=source,
            source_id=source_id,
            kind=kind,
            occurred_at=parse_instant(data.get("occurred_at"), "occurred_at"),
            category=_optional_text(data, "category", 16),  # the store's column width
            severity=severity,
            location=_location(data.get("location"), default_crs),
            title=_optional_text(data, "title", 200) or "",
            description=_optional_text(data, "description", MAX_TEXT) or "",
            media=_media(data.get("media")),
            device=_optional_text(data, "device", 128),
            measurements=_measurements(data.get("measurements")),
            reporter=_optional_text(data, "reporter", 200),
            raw=raw if raw is not None else data.get("raw"),
        )


def parse_instant(value: Any, name: str) -> datetime:
    """An ISO-8601 instant that names its offset: a naive time is ambiguous, so it is refused."""
    if not isinstance(value, str) or not value:
        raise InvalidEvent("missing ISO-8601 time", name)
    try:
        at = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidEvent(f"{value!r} is not an ISO-8601 time", name) from None
    if at.tzinfo is None or at.utcoffset() is None:
        raise InvalidEvent(f"{value!r} has no UTC offset", name)
    return at


def _required_text(data: Mapping[str, Any], name: str, limit: int) -> str:
    value = data.get(name)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise InvalidEvent("missing or empty", name)
    _check_text(value, name, limit)
    return value.strip()


def _optional_text(data: Mapping[str, Any], name: str, limit: int) -> str | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidEvent(f"expected text, got {type(value).__name__}", name)
    _check_text(value, name, limit)
    return value


def _check_text(value: str, name: str, limit: int) -> None:
    if len(value) > limit:
        raise InvalidEvent(f"longer than {limit} characters", name)
    if "\x00" in value:  # PostgreSQL text cannot hold it; SQLite would: refuse it on both
        raise InvalidEvent("contains a NUL character", name)


def _number(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidEvent(f"expected a number, got {value!r}", name)
    try:
        return float(value)
    except OverflowError:  # an integer beyond float range, e.g. 400 digits of JSON
        raise InvalidEvent("number out of range", name) from None


def _location(value: Any, default_crs: str | None) -> Location | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise InvalidEvent("expected an object {lat, lon, crs}", "location")
    lat = _number(value.get("lat"), "location.lat")
    lon = _number(value.get("lon"), "location.lon")
    crs = value.get("crs", default_crs)
    if crs is None:
        raise InvalidEvent("no datum given (crs: wgs84, gcj02 or bd09)", "location.crs")
    address = _optional_text(value, "address", 200)
    Location(lat, lon)  # range check before any datum arithmetic
    try:
        wlat, wlon = to_wgs84(str(crs).lower(), lat, lon)
    except ValueError as exc:
        raise InvalidEvent(str(exc), "location.crs") from None
    return Location(wlat, wlon, address)


def _media(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(u, str) for u in value):
        raise InvalidEvent("expected a list of URLs", "media")
    if len(value) > 20:
        raise InvalidEvent("more than 20 media items", "media")
    return tuple(value)


def _measurements(value: Any) -> dict[str, dict[str, Any]]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise InvalidEvent("expected an object {code: {value, unit, flag}}", "measurements")
    out: dict[str, dict[str, Any]] = {}
    for code, m in value.items():
        if not isinstance(m, Mapping):
            raise InvalidEvent("expected {value, unit, flag}", f"measurements.{code}")
        number = _number(m.get("value"), f"measurements.{code}.value")
        if not math.isfinite(number):
            raise InvalidEvent("not a finite number", f"measurements.{code}.value")
        out[str(code)] = {"value": number, "unit": m.get("unit"), "flag": m.get("flag")}
    return out
