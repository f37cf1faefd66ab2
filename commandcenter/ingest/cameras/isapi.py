"""Hikvision ISAPI `EventNotificationAlert` messages (XML or JSON) as camera events.

Format (Hikvision Device Network SDK developer guides, "XML_EventNotificationAlert_AlarmEventInfo"
and "JSON_EventNotificationAlert_Alarm/EventInfo"): `ipAddress`, `channelID`, `dateTime`
(ISO 8601, e.g. 2017-07-19T10:06:41+08:00), `activePostCount` (starts from 1), `eventType`,
`eventState` ("active"; "inactive" when a durative alarm ends), `eventDescription`, plus
type-specific nodes such as `DetectionRegionList/DetectionRegionEntry/regionID`. Cameras use
several XML namespaces (`http://www.hikvision.com/ver20/XMLSchema`, `.../www.isapi.org/...`,
`.../www.std-cgi.com/...`, `.../www.isapi.com/...` in the heartbeat sample) or none; JSON comes
wrapped (`{"EventNotificationAlert": {...}}`) or flat. Heartbeats are `eventType` heartBeat or
videoloss/inactive (SDK guide, "XML_EventNotificationAlert_HeartbeatInfo").

XML from the network is parsed only after refusing any DTD (`<!DOCTYPE`, `<!ENTITY`…): without
one, entity expansion ("billion laughs") and external entities cannot happen — the protection
defusedxml gives, without the dependency. Anything wrong raises `RejectedMessage`, nothing else.
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from datetime import datetime
from typing import Any

from commandcenter.domain.event import Event
from commandcenter.ingest.cameras.normalize import CST, camera_event, check_size, load_json
from commandcenter.ingest.cameras.registry import CameraRegistry
from commandcenter.ingest.decode import DEFAULT_MAX_PAYLOAD, RejectedMessage

SOURCE = "isapi"
ROOT = "EventNotificationAlert"
NO_CASE_TYPES = frozenset({"heartbeat", "videoloss"})  # keep-alives and signal loss: IT's, not
# the dispatcher's
FIELDS = ("ipAddress", "channelID", "dynChannelID", "dateTime", "activePostCount", "eventType",
          "eventState", "eventDescription", "uuid", "UUID")
# Any markup declaration except comments and CDATA: <!DOCTYPE, <!ENTITY, <!ELEMENT, <!ATTLIST.
_DECLARATION = re.compile(r"<!(?!--|\[CDATA\[)")
_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9_.-]+)[\"']")
_GB_ENCODINGS = frozenset({b"gb2312", b"gbk", b"gb18030"})
_MAX_REGIONS = 32


def isapi_to_events(payload: bytes, camera_id: str, registry: CameraRegistry, *,
                    received_at: datetime,
                    max_payload: int = DEFAULT_MAX_PAYLOAD) -> list[Event]:
    """The camera events one alert adds: none for heartbeats, ends of alarms, repeats of an
    ongoing alarm and event types the hall has no category for; else one.

    `camera_id` is the registry id the alert arrived under (`cc/v1/isapi/<camera>`).
    """
    check_size(payload, max_payload)
    fields, regions, raw = _parse(payload, max_payload)
    event_type = _field(fields, "eventType", required=True)
    if len(event_type) > 64:
        raise RejectedMessage("invalid_field", "eventType: longer than 64 characters")
    if event_type.lower() in NO_CASE_TYPES:
        return []
    state = _field(fields, "eventState").lower() or "active"
    if state == "inactive":
        return []
    if state != "active":
        raise RejectedMessage("invalid_field", f"eventState: {state!r} is not active or inactive")
    count_text = _field(fields, "activePostCount")
    try:
        count = int(count_text) if count_text else 1
    except ValueError:
        raise RejectedMessage("invalid_field",
                              f"activePostCount: {count_text!r} is not a number") from None
    if count > 1:  # the same durative alarm posted again while it stays active
        return []
    camera = registry.get(camera_id)
    if camera is None:
        raise RejectedMessage("unknown_device", f"ISAPI camera {camera_id!r} is not in the "
                                                "camera registry (cameras.toml)")
    rule = registry.isapi_rule(camera, event_type, regions)
    if rule is None:  # motion, tamper, disk… — events the hall has not mapped to a category
        return []
    at = _instant(_field(fields, "dateTime"), registry) or received_at
    channel = _field(fields, "channelID") or _field(fields, "dynChannelID") or "1"
    uuid = _field(fields, "uuid") or _field(fields, "UUID")
    key = (f"{camera.id}-{uuid}" if uuid else
           f"{camera.id}-ch{channel}-{event_type}-{'.'.join(regions[:4]) or 'r0'}-"
           f"{at.astimezone(CST).strftime('%Y%m%dT%H%M%S')}")
    if len(key) > 128 or "\x00" in key:
        key = f"{camera.id}-{hashlib.sha256(key.encode()).hexdigest()[:32]}"
    description = f"海康 ISAPI 事件：{event_type}"
    text = _field(fields, "eventDescription")
    if text:
        description += f"（{text}）"
    description += f"，通道 {channel}"
    if regions:
        description += f"，区域 {'、'.join(regions)}"
    address = _field(fields, "ipAddress")
    if address:
        description += f"，设备地址 {address}"
    return [camera_event(source=SOURCE, source_id=key, camera=camera,
                         category=camera.category_of(rule),
                         severity=registry.severity(camera, rule), at=at,
                         description=description, media=[], raw=raw)]


def _parse(payload: bytes, max_payload: int) -> tuple[dict[str, Any], list[str], Any]:
    """Fields, detection region ids and what to keep as `raw`, from XML or JSON."""
    start = payload.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if start == b"{":
        data = load_json(payload, max_payload)
        inner = data.get(ROOT, data) if isinstance(data, dict) else None
        if not isinstance(inner, dict):
            raise RejectedMessage("invalid_field", f"expected a JSON object {{{ROOT!r}: …}}")
        return inner, _json_regions(inner), data
    if start == b"<":
        return _parse_xml(payload)
    raise RejectedMessage("not_xml", "neither XML nor JSON (an ISAPI EventNotificationAlert "
                                     "starts with '<' or '{')")


def _parse_xml(payload: bytes) -> tuple[dict[str, Any], list[str], Any]:
    text = _decode(payload)
    if _DECLARATION.search(text):
        raise RejectedMessage("unsafe_xml", "XML with a DTD or entity declaration is refused "
                                            "(entity expansion, external entities)")
    try:
        root = ET.fromstring(text)  # a str: the bytes checked above are the bytes parsed
    except ET.ParseError as exc:
        raise RejectedMessage("not_xml", f"not well-formed XML: {exc}") from None
    if _local(root.tag) != ROOT:
        raise RejectedMessage("invalid_field", f"root element is {_local(root.tag)!r}, "
                                               f"expected {ROOT}")
    fields: dict[str, Any] = {}
    for child in root:
        name = _local(child.tag)
        if name in FIELDS and len(child) == 0:
            fields[name] = (child.text or "").strip()
    regions = [(e.text or "").strip() for e in root.iter()
               if _local(e.tag) == "regionID" and (e.text or "").strip()]
    return fields, regions[:_MAX_REGIONS], text


def _decode(payload: bytes) -> str:
    try:
        return payload.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        declared = _XML_ENCODING.match(payload)
        if declared and declared[1].lower() in _GB_ENCODINGS:  # older firmware, Chinese text
            try:
                return payload.decode("gb18030")
            except UnicodeDecodeError:
                pass
        raise RejectedMessage("encoding", f"not UTF-8 at byte {exc.start}") from None


def _local(tag: Any) -> str:
    """`{namespace}name` → name: every namespace variant (and none) reads the same."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _json_regions(data: dict[str, Any]) -> list[str]:
    """Every `regionID` under `DetectionRegionList`, however the firmware nests it."""
    found: list[str] = []
    stack: list[Any] = [data.get("DetectionRegionList")]
    visited = 0
    while stack and visited < 10_000 and len(found) < _MAX_REGIONS:
        node = stack.pop()
        visited += 1
        if isinstance(node, dict):
            value = node.get("regionID")
            if isinstance(value, str | int) and not isinstance(value, bool) and str(value):
                found.append(str(value))
            stack.extend(v for k, v in node.items() if k != "regionID")
        elif isinstance(node, list):
            stack.extend(reversed(node))
    return found


def _field(fields: dict[str, Any], name: str, *, required: bool = False) -> str:
    value = fields.get(name)
    if value is None or value == "":
        if required:
            raise RejectedMessage("missing_field", f"{name}: missing or empty")
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise RejectedMessage("invalid_field", f"{name}: expected text, got {type(value).__name__}")
    text = str(value).strip()
    if len(text) > 200:
        raise RejectedMessage("invalid_field", f"{name}: longer than 200 characters")
    if required and not text:
        raise RejectedMessage("missing_field", f"{name}: missing or empty")
    return text


def _instant(text: str, registry: CameraRegistry) -> datetime | None:
    """The camera's ISO time; a time without offset takes the hall's configured camera offset
    (`[defaults] utc_offset`), and is refused when none is configured."""
    if not text:
        return None
    try:
        at = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise RejectedMessage("invalid_field", f"dateTime: {text!r} is not an ISO-8601 time") \
            from None
    if at.tzinfo is None or at.utcoffset() is None:
        if registry.utc_offset is None:
            raise RejectedMessage("invalid_field", f"dateTime: {text!r} has no UTC offset and "
                                                   "cameras.toml sets no utc_offset")
        at = at.replace(tzinfo=registry.utc_offset)
    if not 2000 <= at.year <= 2199:
        raise RejectedMessage("invalid_field", f"dateTime: {text!r} is not a plausible time")
    return at
