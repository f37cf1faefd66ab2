"""Frigate `frigate/events`: one case-worthy event per tracked object, never one per update.

The sample `samples/frigate_docs_update.json` is the example of the Frigate docs' "MQTT" page
(https://docs.frigate.video/integrations/mqtt/, `frigate/events`) with its `//` comments removed.
"""

from __future__ import annotations

import copy
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commandcenter.domain.event import EventKind, Severity
from commandcenter.ingest.cameras.frigate import frigate_to_events
from commandcenter.ingest.cameras.normalize import CST
from commandcenter.ingest.cameras.registry import load_camera_registry
from commandcenter.ingest.decode import RejectedMessage
from tests.ingest.cameras.support import (
    RECEIVED,
    docs_registry,
    round_trips,
    sample,
    shipped_registry,
)

DOCS = json.loads(sample("frigate_docs_update.json"))
NANDAJIE = "32061300001310000001"  # 南大街北口: sidewalk + stationary person → 0502


def body(message: dict[str, Any]) -> bytes:
    return json.dumps(message).encode()


def docs_as(kind: str, **after: Any) -> dict[str, Any]:
    message: dict[str, Any] = copy.deepcopy(DOCS)
    message["type"] = kind
    message["after"].update(after)
    return message


def tracked(kind: str, *, before: dict[str, Any] | None = None, **after: Any) -> bytes:
    """A message about one person at 南大街北口, Frigate 0.14 shape."""
    state: dict[str, Any] = {
        "id": "1764320280.123456-abc123", "camera": NANDAJIE, "label": "person",
        "sub_label": None, "top_score": 0.91, "score": 0.88, "false_positive": False,
        "start_time": 1764320280.123456, "end_time": None, "frame_time": 1764320290.5,
        "current_zones": [], "entered_zones": [], "has_snapshot": True, "stationary": False,
    }
    prior = {**state, **(before or {})}
    state.update(after)
    return body({"type": kind, "before": prior, "after": state})


def test_the_documented_update_adds_nothing_new() -> None:
    """Same id, already in the driveway before and after: a better snapshot is not a new case."""
    assert frigate_to_events(sample("frigate_docs_update.json"), docs_registry(),
                             received_at=RECEIVED) == []


def test_the_documented_object_as_new_is_one_camera_event() -> None:
    [event] = frigate_to_events(body(docs_as("new")), docs_registry(), received_at=RECEIVED)
    round_trips(event)
    assert event.key == ("frigate", "1607123955.475377-mxklsc")
    assert event.kind is EventKind.CAMERA
    assert event.category == "0502" and event.severity is Severity.MAJOR  # the driveway rule's
    assert event.device == "32061300001310000099"
    assert event.occurred_at == datetime.fromtimestamp(1607123955.475377, tz=CST)
    assert event.location is not None and event.location.address == "示例门口"
    assert event.media == ("http://frigate.hall.local:5000/api/events/"
                           "1607123955.475377-mxklsc/snapshot.jpg",)
    assert "John Smith" in event.description and "0.96" in event.description
    assert event.title == "示例门口：店外经营"
    assert event.raw["after"]["id"] == "1607123955.475377-mxklsc"


def test_new_update_end_of_one_object_is_one_event() -> None:
    registry = shipped_registry()
    zones: dict[str, Any] = {"current_zones": ["sidewalk"], "entered_zones": ["sidewalk"],
                             "stationary": True}
    out = [frigate_to_events(tracked("new", **zones), registry, received_at=RECEIVED),
           frigate_to_events(tracked("update", before=zones, top_score=0.95, **zones), registry,
                             received_at=RECEIVED),
           frigate_to_events(tracked("end", before=zones, end_time=1764320400.0, **zones),
                             registry, received_at=RECEIVED)]
    assert [len(events) for events in out] == [1, 0, 0]
    [event] = out[0]
    round_trips(event)
    assert event.source_id == "1764320280.123456-abc123"
    assert (event.category, event.severity) == ("0502", Severity.WARNING)
    assert event.media == ()  # the shipped registry names no Frigate URL


def test_an_update_that_newly_satisfies_a_rule_adds_one_event_with_its_own_key() -> None:
    registry = shipped_registry()
    walking: dict[str, Any] = {"current_zones": ["sidewalk"], "entered_zones": ["sidewalk"],
                               "stationary": False}
    parked = {**walking, "stationary": True}
    assert frigate_to_events(tracked("new", **walking), registry, received_at=RECEIVED) == []
    [event] = frigate_to_events(tracked("update", before=walking, **parked), registry,
                                received_at=RECEIVED)
    round_trips(event)
    assert event.source_id.startswith("1764320280.123456-abc123:")
    assert event.category == "0502"
    assert event.occurred_at == datetime.fromtimestamp(1764320290.5, tz=CST)  # the frame's time
    # redelivered, the same message gives the same key (the store's dedup absorbs it) …
    [again] = frigate_to_events(tracked("update", before=walking, **parked), registry,
                                received_at=RECEIVED)
    assert again.key == event.key
    # … and later updates while it stays there add nothing
    assert frigate_to_events(tracked("update", before=parked, **parked), registry,
                             received_at=RECEIVED) == []


def test_a_stationary_rule_needs_the_object_in_the_zone_now() -> None:
    """A car that drove through the no-parking zone and stopped elsewhere is not parked in it."""
    registry = shipped_registry()
    message = tracked("new", camera="32061300001310000002", label="car", stationary=True,
                      entered_zones=["no_parking"], current_zones=["lane"])
    assert frigate_to_events(message, registry, received_at=RECEIVED) == []
    message = tracked("new", camera="32061300001310000002", label="car", stationary=True,
                      entered_zones=["no_parking"], current_zones=["no_parking"])
    [event] = frigate_to_events(message, registry, received_at=RECEIVED)
    assert event.category == "0503"


def test_a_camera_without_rules_reports_every_detection_as_its_category() -> None:
    message = docs_as("new", camera="32061300001310000098", label="car")
    [event] = frigate_to_events(body(message), docs_registry(), received_at=RECEIVED)
    round_trips(event)
    assert (event.category, event.severity, event.device) == (
        "0503", Severity.MINOR, "32061300001310000098")


def test_a_false_positive_is_ignored() -> None:
    message = docs_as("new", false_positive=True)
    assert frigate_to_events(body(message), docs_registry(), received_at=RECEIVED) == []


def test_an_unknown_camera_is_rejected_for_the_quarantine() -> None:
    with pytest.raises(RejectedMessage) as info:
        frigate_to_events(body(docs_as("new", camera="back_yard")), docs_registry(),
                          received_at=RECEIVED)
    assert info.value.code == "unknown_device" and "back_yard" in info.value.reason


def test_the_base_url_argument_overrides_the_registry() -> None:
    [event] = frigate_to_events(body(docs_as("new")), docs_registry(), received_at=RECEIVED,
                                base_url="https://nvr.example/frigate/")
    assert event.media[0].startswith("https://nvr.example/frigate/api/events/")


def test_a_missing_start_time_falls_back_to_the_frame_then_to_receipt() -> None:
    message = docs_as("new")
    del message["after"]["start_time"], message["after"]["frame_time"]
    [event] = frigate_to_events(body(message), docs_registry(), received_at=RECEIVED)
    assert event.occurred_at == RECEIVED


@pytest.mark.parametrize(("payload", "code"), [
    (b"not json", "not_json"),
    (b"\xff\xfe", "encoding"),
    (b"[1, 2]", "invalid_field"),
    (b'{"type": "delete", "after": {}}', "invalid_field"),
    (b'{"type": "new"}', "missing_field"),
    (body(docs_as("new", id="../../api/config")), "invalid_field"),
    (body(docs_as("new", id=None)), "missing_field"),
    (body(docs_as("new", camera="")), "missing_field"),
    (body(docs_as("new", top_score=7)), "invalid_field"),
    (body(docs_as("new", start_time="yesterday")), "invalid_field"),
    (body(docs_as("new", start_time=1e300)), "invalid_field"),
    (body(docs_as("new", entered_zones="driveway")), "invalid_field"),
    (body(docs_as("new", stationary="no")), "invalid_field"),
    (body(docs_as("new", sub_label={"name": "x"})), "invalid_field"),
    (b"[" * 100_000, "not_json"),
    (b"{}" + b" " * 300_000, "too_large"),
])
def test_bad_messages_are_rejected_with_a_reason(payload: bytes, code: str) -> None:
    with pytest.raises(RejectedMessage) as info:
        frigate_to_events(payload, docs_registry(), received_at=RECEIVED)
    assert info.value.code == code and info.value.reason


REGISTRY = docs_registry()
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=4),
    max_leaves=12,
)


@settings(max_examples=300)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_only_ever_reject(payload: bytes) -> None:
    try:
        for event in frigate_to_events(payload, REGISTRY, received_at=RECEIVED):
            round_trips(event)
    except RejectedMessage:
        pass


@settings(max_examples=400)
@given(st.sampled_from(["new", "update", "end"]),
       st.dictionaries(st.sampled_from(sorted(DOCS["after"])), JSON, max_size=4))
def test_arbitrary_field_values_only_ever_reject(kind: str, changes: dict[str, Any]) -> None:
    message = docs_as(kind, **changes)
    try:
        payload = json.dumps(message).encode()
    except ValueError:
        return
    try:
        for event in frigate_to_events(payload, REGISTRY, received_at=RECEIVED):
            round_trips(event)
    except RejectedMessage:
        pass


def test_a_long_zone_name_still_fits_the_source_id(tmp_path: Path) -> None:
    zone = "z" * 120
    path = tmp_path / "cameras.toml"
    path.write_text(f'[[camera]]\nid = "cam"\nname = "长区域"\nlat = 32.0\nlon = 120.86\n'
                    f'category = "0503"\n[[camera.rule]]\nzone = "{zone}"\ncategory = "0503"\n',
                    encoding="utf-8")
    registry = load_camera_registry(path)
    message = tracked("update", camera="cam", entered_zones=[zone], current_zones=[zone])
    [event] = frigate_to_events(message, registry, received_at=RECEIVED)
    round_trips(event)
    assert len(event.source_id) <= 128 and event.source_id.startswith("1764320280.123456-abc123:")
