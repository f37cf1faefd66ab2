"""Frigate NVR's `frigate/events` messages as camera events.

Format (Frigate docs, "MQTT" page, `frigate/events`: https://docs.frigate.video/integrations/mqtt/
and docs/docs/integrations/mqtt.md in blakeblackshear/frigate): `{"type": "new"|"update"|"end",
"before": {...}, "after": {...}}`, each side a tracked object with `id`, `camera`, `label`,
`sub_label` (null, text, or `[name, score]` since 0.14), `score`/`top_score`, `start_time`/
`end_time`/`frame_time` (epoch seconds), `current_zones`/`entered_zones`, `has_snapshot`,
`false_positive`, `stationary`. Frigate repeats the same `id` for every update of one object.

One tracked object is one case-worthy detection, so (source "frigate", source_id = Frigate's id)
is emitted once, on "new". An "update" emits only when it newly satisfies one of the camera's
rules (e.g. the object has just become stationary in the `sidewalk` zone), with the rule's key as
a source_id suffix so it never collides with the first event; "end" adds nothing. Redelivered
messages map to the same keys and are absorbed by the store's (source, source_id) dedup.
Snapshot: `GET {base}/api/events/{id}/snapshot.jpg` (Frigate HTTP API, "Event Snapshot").
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from commandcenter.domain.event import Event
from commandcenter.ingest.cameras.normalize import camera_event, instant_from_epoch, load_json
from commandcenter.ingest.cameras.registry import CameraRegistry, RegisteredCamera, ZoneRule
from commandcenter.ingest.decode import DEFAULT_MAX_PAYLOAD, RejectedMessage

SOURCE = "frigate"
TYPES = ("new", "update", "end")
_EVENT_ID = re.compile(r"^[A-Za-z0-9._-]{1,100}$")  # e.g. 1607123955.475377-mxklsc; URL-safe
LABELS_ZH = {
    "person": "行人", "car": "机动车", "truck": "货车", "bus": "公交车",
    "motorcycle": "摩托车", "bicycle": "自行车", "umbrella": "遮阳伞",
}


@dataclass(frozen=True, slots=True)
class TrackedObject:
    """One side (`before`/`after`) of a Frigate event message, checked."""

    id: str
    camera: str
    label: str
    sub_label: str | None
    top_score: float | None
    start_time: datetime | None
    frame_time: datetime | None
    current_zones: tuple[str, ...]
    entered_zones: tuple[str, ...]
    stationary: bool
    false_positive: bool


def frigate_to_events(payload: bytes, registry: CameraRegistry, *, received_at: datetime,
                      base_url: str | None = None,
                      max_payload: int = DEFAULT_MAX_PAYLOAD) -> list[Event]:
    """The camera events one `frigate/events` message adds: zero or more, never a duplicate.

    `base_url` (else the registry's `[frigate] base_url`) is where dispatchers reach Frigate's
    API for the snapshot; without one the event carries no media.
    Raises only `RejectedMessage`.
    """
    data = load_json(payload, max_payload)
    if not isinstance(data, dict):
        raise RejectedMessage("invalid_field", "expected a JSON object {type, before, after}")
    kind = data.get("type")
    if kind not in TYPES:
        raise RejectedMessage("invalid_field", f"type: {kind!r} is not one of {', '.join(TYPES)}")
    if data.get("after") is None:
        raise RejectedMessage("missing_field", "after: missing")
    after = _tracked(data["after"], "after")
    before = _tracked(data["before"], "before") if data.get("before") is not None else None
    if kind == "end":  # the object is gone; what it meant was reported when it appeared
        return []
    camera = registry.for_frigate(after.camera)
    if camera is None:
        raise RejectedMessage("unknown_device", f"Frigate camera {after.camera!r} is not in the "
                                                "camera registry (cameras.toml)")
    if after.false_positive:
        return []
    base = (base_url or registry.frigate_base_url or "").rstrip("/")
    media = [f"{base}/api/events/{after.id}/snapshot.jpg"] if base else []
    rules = [r for r in camera.rules if not r.is_isapi]

    if kind == "new":
        matched = [r for r in rules if _matches(r, after)]
        if rules and not matched:  # not (yet) in a zone the hall cares about; an update may be
            return []
        rule = matched[0] if matched else None
        at = after.start_time or after.frame_time or received_at
        return [_event(after.id, camera, rule, registry, at, after, media, data)]

    # update: only what this message newly makes true
    newly = [r for r in rules if _matches(r, after) and not (before and _matches(r, before))]
    events: list[Event] = []
    seen: set[str] = set()
    for rule in newly:
        category = camera.category_of(rule)
        if category in seen:
            continue
        seen.add(category)
        at = after.frame_time or after.start_time or received_at
        events.append(_event(_suffixed(after.id, rule), camera, rule, registry, at, after,
                             media, data))
    return events


def _suffixed(event_id: str, rule: ZoneRule) -> str:
    """`<frigate id>:<rule>`, within the 128 characters a source_id may have."""
    source_id = f"{event_id}:{rule.key}"
    if len(source_id) > 128:
        source_id = f"{event_id}:{hashlib.sha256(rule.key.encode()).hexdigest()[:16]}"
    return source_id


def _matches(rule: ZoneRule, obj: TrackedObject) -> bool:
    """A stationary rule looks at the zones the object is in now (a car that drove through the
    no-parking zone and parked elsewhere is not parked in it); others at every zone entered."""
    if rule.labels and obj.label not in rule.labels:
        return False
    if rule.stationary is not None and obj.stationary != rule.stationary:
        return False
    if rule.zone is not None:
        zones = obj.current_zones if rule.stationary else obj.entered_zones
        return rule.zone in zones
    return True


def _event(source_id: str, camera: RegisteredCamera, rule: ZoneRule | None,
           registry: CameraRegistry, at: datetime, obj: TrackedObject, media: list[str],
           raw: Any) -> Event:
    label = LABELS_ZH.get(obj.label, obj.label)
    parts = [f"Frigate 识别：{label}（{obj.label}）"]
    if obj.sub_label:
        parts.append(f"，子标签 {obj.sub_label}")
    if obj.top_score is not None:
        parts.append(f"，最高置信度 {obj.top_score:.2f}")
    zones = obj.current_zones or obj.entered_zones
    if zones:
        parts.append(f"，区域 {'、'.join(zones)}")
    if obj.stationary:
        parts.append("，目标静止")
    parts.append(f"。Frigate 事件 {obj.id}")
    return camera_event(source=SOURCE, source_id=source_id, camera=camera,
                        category=camera.category_of(rule),
                        severity=registry.severity(camera, rule), at=at,
                        description="".join(parts), media=media, raw=raw)


def _tracked(value: Any, side: str) -> TrackedObject:
    if not isinstance(value, dict):
        raise RejectedMessage("invalid_field", f"{side}: expected an object")
    event_id = value.get("id")
    if not isinstance(event_id, str) or not _EVENT_ID.match(event_id):
        raise RejectedMessage("invalid_field" if event_id is not None else "missing_field",
                              f"{side}.id: {event_id!r} is not a Frigate event id")
    return TrackedObject(
        id=event_id,
        camera=_text(value, "camera", side),
        label=_text(value, "label", side),
        sub_label=_sub_label(value.get("sub_label"), side),
        top_score=_score(value.get("top_score", value.get("score")), f"{side}.top_score"),
        start_time=instant_from_epoch(value.get("start_time"), f"{side}.start_time"),
        frame_time=instant_from_epoch(value.get("frame_time"), f"{side}.frame_time"),
        current_zones=_zones(value.get("current_zones"), f"{side}.current_zones"),
        entered_zones=_zones(value.get("entered_zones"), f"{side}.entered_zones"),
        stationary=_flag(value.get("stationary"), f"{side}.stationary"),
        false_positive=_flag(value.get("false_positive"), f"{side}.false_positive"),
    )


def _text(value: dict[str, Any], name: str, side: str) -> str:
    text = value.get(name)
    if not isinstance(text, str) or not text.strip():
        raise RejectedMessage("missing_field", f"{side}.{name}: missing or empty")
    if len(text) > 64 or "\x00" in text:
        raise RejectedMessage("invalid_field", f"{side}.{name}: not a Frigate name")
    return text


def _sub_label(value: Any, side: str) -> str | None:
    """null; "John" (before 0.14); ["John", 0.79] (0.14 and later)."""
    if value is None:
        return None
    if isinstance(value, list) and value:
        value = value[0]
    if not isinstance(value, str) or len(value) > 100:
        raise RejectedMessage("invalid_field", f"{side}.sub_label: expected text or [text, score]")
    return value.replace("\x00", "") or None


def _score(value: Any, name: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise RejectedMessage("invalid_field", f"{name}: {value!r} is not a score in 0..1")
    return float(value)


def _zones(value: Any, name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(z, str) for z in value):
        raise RejectedMessage("invalid_field", f"{name}: expected a list of zone names")
    return tuple(z for z in value if z)


def _flag(value: Any, name: str) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        raise RejectedMessage("invalid_field", f"{name}: expected true or false")
    return value
