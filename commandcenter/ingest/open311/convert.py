"""One GeoReport v2 service request → one `cc.event/1` report.

Fields (GeoReport v2, "GET Service Requests" response): `service_request_id`, `status`,
`status_notes`, `service_name`, `service_code`, `description` (≤ 4,000 characters),
`agency_responsible`, `service_notice`, `requested_datetime`, `updated_datetime`,
`expected_datetime` (w3 format with offset), `address`, `address_id`, `zipcode`, `lat`, `long`
(WGS-84), `media_url`. The spec's own JSON sample writes ids and codes as bare numbers
(`"service_code":006`, not even valid JSON), so numbers are accepted where text is expected.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from commandcenter.domain.catalog import default_catalog
from commandcenter.domain.errors import InvalidEvent
from commandcenter.domain.event import Event, EventKind, Severity, parse_instant
from commandcenter.ingest.decode import DEFAULT_MAX_PAYLOAD, RejectedMessage

SOURCE = "open311"
MAX_BODY = 20 * 1024 * 1024  # one page of requests.json; far above any real page


@dataclass(frozen=True, slots=True)
class ServiceMapping:
    """How this hall reads one platform: its service codes as catalog codes, and its datum.

    `crs` stays "wgs84" for a platform that follows the spec; a domestic platform that sends
    GCJ-02 (AMap/WeChat positions) is configured as such rather than guessed.
    """

    categories: Mapping[str, str] = field(default_factory=dict)
    default_category: str | None = None
    crs: str = "wgs84"
    severity: Severity = Severity.MINOR

    def category(self, service_code: str | None) -> str | None:
        if service_code is not None and service_code in self.categories:
            return self.categories[service_code]
        return self.default_category


DEFAULT_MAPPING = ServiceMapping()


def parse_requests_body(payload: bytes, *, max_payload: int = MAX_BODY) -> list[dict[str, Any]]:
    """The service requests in a `requests.json` body: the spec's top-level array, or the
    `{"service_requests": [...]}` / single-object shapes some platforms send."""
    if len(payload) > max_payload:
        raise RejectedMessage("too_large", f"body of {len(payload)} bytes exceeds the "
                                           f"{max_payload}-byte limit")
    try:
        data = json.loads(payload.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise RejectedMessage("encoding", f"not UTF-8 at byte {exc.start}") from None
    except json.JSONDecodeError as exc:
        raise RejectedMessage("not_json", f"not JSON: {exc.msg} at line {exc.lineno} "
                                          f"column {exc.colno}") from None
    except (ValueError, RecursionError) as exc:
        raise RejectedMessage("not_json", f"unusable JSON: {exc}") from None
    if isinstance(data, dict):
        wrapped = data.get("service_requests")
        if isinstance(wrapped, dict):  # XML converted to JSON: {"service_requests": {"request"…
            wrapped = wrapped.get("request")
        if isinstance(wrapped, dict):
            wrapped = [wrapped]
        data = wrapped if wrapped is not None else [data]
    if not isinstance(data, list):
        raise RejectedMessage("invalid_field", "expected a JSON array of service requests")
    for index, item in enumerate(data):
        if not isinstance(item, dict):
            raise RejectedMessage("invalid_field", f"request {index}: expected a JSON object")
    return data


def open311_to_events(payload: bytes, *, received_at: datetime,
                      mapping: ServiceMapping = DEFAULT_MAPPING,
                      max_payload: int = DEFAULT_MAX_PAYLOAD) -> list[Event]:
    """Every request in one body (a saved `requests.json`, for `parse --format open311`); one
    unusable request rejects the whole body, as one bad file is one rejection."""
    items = parse_requests_body(payload, max_payload=max_payload)
    events = []
    for index, item in enumerate(items):
        try:
            events.append(request_to_event(item, received_at=received_at, mapping=mapping))
        except RejectedMessage as exc:
            raise RejectedMessage(exc.code, f"request {index}: {exc.reason}") from None
    return events


def request_to_event(item: Mapping[str, Any], *, received_at: datetime,
                     mapping: ServiceMapping = DEFAULT_MAPPING) -> Event:
    """Raise `RejectedMessage` for a request without an id, with an unusable time or with
    coordinates that cannot be on Earth; anything else becomes a report."""
    request_id = _identifier(item.get("service_request_id"), "service_request_id")
    if request_id is None:
        raise RejectedMessage("missing_field", "service_request_id: missing or empty")
    service_code = _identifier(item.get("service_code"), "service_code")
    category = mapping.category(service_code)
    service_name = _text(item, "service_name")
    address = _text(item, "address")
    description = _text(item, "description") or ""
    notes = _text(item, "status_notes")
    status = _text(item, "status")

    location = _location(item, mapping.crs, address)
    lines = [description] if description else []
    if location is None and address:  # cc.event/1 places need coordinates; keep the address
        lines.append(f"地址：{address}")
    if status:
        lines.append(f"平台状态：{status}" + (f"（{notes}）" if notes else ""))
    name = service_name or (default_catalog().name(category) if category else "市民上报")
    title = f"{name}（{address}）" if address else name

    media = []
    media_url = _text(item, "media_url")
    if media_url and media_url.strip().lower().startswith(("http://", "https://")):
        media.append(media_url.strip())  # the spec's own sample ends its URL with a space

    data: dict[str, Any] = {
        "source": SOURCE,
        "source_id": request_id,
        "kind": EventKind.REPORT.value,
        "category": category,
        "severity": mapping.severity.value,
        "occurred_at": _occurred_at(item, received_at),
        "location": location,
        "title": _clip(title, 200),
        "description": _clip("\n".join(lines), 4000),
        "media": media,
        "device": None,
    }
    try:
        return Event.from_json(data, raw=dict(item))
    except InvalidEvent as exc:
        field_name = exc.field or ""
        code = ("bad_location" if field_name.startswith("location")
                else "missing_field" if exc.reason == "missing or empty" else "invalid_field")
        raise RejectedMessage(code, str(exc)) from None


def updated_at(item: Mapping[str, Any]) -> datetime | None:
    """When the platform last changed the request (what incremental polling follows)."""
    for name in ("updated_datetime", "requested_datetime"):
        value = item.get(name)
        if isinstance(value, str) and value:
            try:
                return parse_instant(value, name)
            except InvalidEvent:
                continue
    return None


def _occurred_at(item: Mapping[str, Any], received_at: datetime) -> str:
    for name in ("requested_datetime", "updated_datetime"):
        value = item.get(name)
        if value is None or value == "":
            continue
        try:
            return parse_instant(value, name).isoformat()
        except InvalidEvent as exc:
            raise RejectedMessage("invalid_field", str(exc)) from None
    return received_at.isoformat()  # a platform that omits both: the first time we saw it


def _location(item: Mapping[str, Any], crs: str, address: str | None) -> dict[str, Any] | None:
    lat, lon = item.get("lat"), item.get("long")
    if lat in (None, "") and lon in (None, ""):
        return None
    if lat in (None, "") or lon in (None, ""):
        raise RejectedMessage("bad_location", "lat and long must come together")
    flat, flon = _coordinate(lat, "lat"), _coordinate(lon, "long")
    if flat == 0.0 and flon == 0.0:  # "null island": platforms' placeholder for no position
        return None
    out: dict[str, Any] = {"lat": flat, "lon": flon, "crs": crs}
    if address:
        out["address"] = _clip(address, 200)
    return out


def _coordinate(value: Any, name: str) -> float:
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            raise RejectedMessage("bad_location", f"{name}: {value!r} is not a number") from None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RejectedMessage("bad_location", f"{name}: {value!r} is not a number")
    try:
        number = float(value)
    except OverflowError:
        raise RejectedMessage("bad_location", f"{name}: number out of range") from None
    if not math.isfinite(number):
        raise RejectedMessage("bad_location", f"{name}: not a finite number")
    return number


def _identifier(value: Any, name: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int) or _huge(value):
        raise RejectedMessage("invalid_field", f"{name}: expected text or a number")
    text = str(value).strip()
    if len(text) > 128 or "\x00" in text:
        raise RejectedMessage("invalid_field", f"{name}: not a usable identifier")
    return text or None


def _text(item: Mapping[str, Any], name: str) -> str | None:
    value = item.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float) or _huge(value):
        raise RejectedMessage("invalid_field", f"{name}: expected text")
    text = str(value).replace("\x00", "").strip()
    return text or None


def _huge(value: object) -> bool:
    """An integer too long to print (Python refuses str() beyond 4,300 digits)."""
    return isinstance(value, int) and not -(10**40) < value < 10**40


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
