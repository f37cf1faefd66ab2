"""Decoding one inbound message: routing by topic, and a reason code for everything refused."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from commandcenter.domain.event import Event, EventKind
from commandcenter.domain.geo import gcj02_to_wgs84
from commandcenter.ingest.decode import (
    DEFAULT_MAX_PAYLOAD,
    RejectedMessage,
    UnitPosition,
    UnitStatusReport,
    decode,
    load_json,
)
from tests.conftest import event_payload

TS = "2026-11-28T17:01:00+08:00"


def body(**fields: Any) -> bytes:
    return json.dumps(fields, ensure_ascii=False).encode()


def rejected(topic: str, payload: bytes, **kw: Any) -> RejectedMessage:
    with pytest.raises(RejectedMessage) as info:
        decode(topic, payload, **kw)
    assert info.value.reason and str(info.value) == info.value.reason
    return info.value


def test_an_event_on_its_source_topic() -> None:
    event = decode("cc/v1/event/suishoupai", event_payload())
    assert isinstance(event, Event)
    assert event.key == ("suishoupai", "r-1") and event.kind is EventKind.REPORT


def test_a_unit_status_reply() -> None:
    report = decode("cc/v1/unit/u-1/status",
                    body(status="on_scene", case_id="CC-20261128-0001", ts=TS, note="已到场",
                         media=["https://example.org/1.jpg"]))
    assert report == UnitStatusReport("u-1", "on_scene", datetime(2026, 11, 28, 9, 1, tzinfo=UTC),
                                      "CC-20261128-0001", "已到场",
                                      ("https://example.org/1.jpg",))


def test_a_unit_position_in_gcj02_is_converted() -> None:
    pos = decode("cc/v1/unit/u-1/location", body(lat=32.03, lon=120.87, crs="gcj02", ts=TS,
                                                  speed=4))
    assert isinstance(pos, UnitPosition)
    assert (pos.location.lat, pos.location.lon) == pytest.approx(gcj02_to_wgs84(32.03, 120.87))
    assert pos.speed == 4.0 and pos.unit_id == "u-1"


def test_a_configured_topic_prefix() -> None:
    assert isinstance(decode("nt/cc/v2/event/s", event_payload(source="s"), prefix="nt/cc/v2"),
                      Event)
    assert rejected("cc/v1/event/s", event_payload(source="s"),
                    prefix="nt/cc/v2").code == "unknown_topic"


@pytest.mark.parametrize("topic", [
    "cc/v1/event", "cc/v1/event/", "cc/v1/event/a/b", "cc/v2/event/suishoupai", "event/x",
    "cc/v1/unit/u-1", "cc/v1/unit//status", "cc/v1/unit/u-1/mood", "cc/v1/dispatch/u-1",
    "", "cc/v1", "frigate/events",
])
def test_unknown_topics(topic: str) -> None:
    error = rejected(topic, event_payload())
    assert error.code == "unknown_topic" and repr(topic) in error.reason


@pytest.mark.parametrize(("payload", "code"), [
    (b"\xff\xfe{}", "encoding"),
    ("上报".encode("gbk"), "encoding"),
    (b"", "not_json"),
    (b"{not json", "not_json"),
    (b"<xml/>", "not_json"),
    (b"1" * 5000, "not_json"),  # beyond Python's int-digit limit
    (b"[" * 100_000 + b"]" * 100_000, "not_json"),  # nested too deep to parse
    (b"[]", "invalid_field"),
    (b'"an event"', "invalid_field"),
    (event_payload(source_id=None), "missing_field"),
    (event_payload(source=""), "missing_field"),
    (event_payload(kind="rumour"), "invalid_field"),
    (event_payload(occurred_at="2026-11-28 16:58"), "invalid_field"),
    (event_payload(location={"lat": 1000, "lon": 120.87, "crs": "wgs84"}), "bad_location"),
    (event_payload(location={"lat": 32.03, "lon": 120.87, "crs": "cgcs2000x"}), "bad_location"),
    (event_payload(location={"lat": 32.03, "lon": 120.87}), "bad_location"),
    (event_payload(location={"lat": int("9" * 400), "lon": 120.87, "crs": "wgs84"}),
     "bad_location"),
    (event_payload(source="other"), "invalid_field"),  # not the topic's source
    (event_payload(media="x"), "invalid_field"),
])
def test_bad_event_payloads(payload: bytes, code: str) -> None:
    assert rejected("cc/v1/event/suishoupai", payload).code == code


def test_source_must_match_the_topic() -> None:
    error = rejected("cc/v1/event/suishoupai", event_payload(source="12345"))
    assert "'12345'" in error.reason and "'suishoupai'" in error.reason


def test_size_limit() -> None:
    payload = event_payload(description="长" * 2000)
    assert isinstance(decode("cc/v1/event/suishoupai", payload), Event)
    error = rejected("cc/v1/event/suishoupai", payload, max_payload=1024)
    assert error.code == "too_large" and str(len(payload)) in error.reason
    big = b" " * (DEFAULT_MAX_PAYLOAD + 1)
    assert rejected("cc/v1/unit/u-1/status", big).code == "too_large"


@pytest.mark.parametrize(("topic", "payload", "code"), [
    ("cc/v1/unit/u-1/status", body(status="napping", ts=TS), "invalid_field"),
    ("cc/v1/unit/u-1/status", body(ts=TS), "invalid_field"),
    ("cc/v1/unit/u-1/status", body(status="accepted"), "invalid_field"),
    ("cc/v1/unit/u-1/status", body(status="accepted", ts="2026-11-28T17:01"), "invalid_field"),
    ("cc/v1/unit/u-1/status", body(status="accepted", ts=TS, case_id=7), "invalid_field"),
    ("cc/v1/unit/u-1/status", body(status="handled", ts=TS, note="x" * 2001), "invalid_field"),
    ("cc/v1/unit/u-1/status", body(status="handled", ts=TS, media="x"), "invalid_field"),
    ("cc/v1/unit/u-1/status", b"[1, 2]", "invalid_field"),
    ("cc/v1/unit/u-1/status", b"\xc3\x28", "encoding"),
    ("cc/v1/unit/u-1/location", body(lat=32.03, lon=120.87, ts=TS), "bad_location"),
    ("cc/v1/unit/u-1/location", body(lat=32.03, lon=120.87, crs="nad27", ts=TS),
     "bad_location"),
    ("cc/v1/unit/u-1/location", body(lat=1000, lon=120.87, crs="wgs84", ts=TS), "bad_location"),
    ("cc/v1/unit/u-1/location", body(lat="32", lon=120.87, crs="wgs84", ts=TS), "bad_location"),
    ("cc/v1/unit/u-1/location", body(lon=120.87, crs="wgs84", ts=TS), "bad_location"),
    ("cc/v1/unit/u-1/location", body(lat=10**400, lon=1, crs="wgs84", ts=TS), "bad_location"),
    ("cc/v1/unit/u-1/location", body(lat=32.03, lon=120.87, crs="wgs84"), "invalid_field"),
    ("cc/v1/unit/u-1/location", body(lat=32.03, lon=120.87, crs="wgs84", ts=TS, speed="fast"),
     "invalid_field"),
    ("cc/v1/unit/u-1/location", body(lat=32.03, lon=120.87, crs="wgs84", ts=TS,
                                     speed=10**400), "invalid_field"),
])
def test_bad_unit_messages(topic: str, payload: bytes, code: str) -> None:
    assert rejected(topic, payload).code == code


CODES = {"too_large", "encoding", "not_json", "unknown_topic", "missing_field", "bad_location",
         "invalid_field"}
topics = st.one_of(
    st.sampled_from(["cc/v1/event/suishoupai", "cc/v1/unit/u-1/status",
                     "cc/v1/unit/u-1/location", "cc/v1/event/", "cc/v1/unit/u-1/"]),
    st.builds("/".join, st.lists(st.sampled_from(["cc", "v1", "event", "unit", "status",
                                                  "location", "", "u-1", "+", "#"]),
                                 max_size=5)),
    st.text(max_size=40),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=4),
    max_leaves=10,
)
keys = st.sampled_from(["source", "source_id", "kind", "occurred_at", "location", "lat", "lon",
                        "crs", "ts", "status", "case_id", "note", "media", "speed",
                        "measurements"])
payloads = st.one_of(
    st.binary(max_size=200),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.dictionaries(keys, json_values, max_size=6).map(
        lambda d: json.dumps({**json.loads(event_payload()), "lat": 32, "lon": 120,
                              "crs": "wgs84", "ts": TS, "status": "accepted", **d}).encode()),
)


@settings(max_examples=300, deadline=None)
@given(topic=topics, payload=payloads)
@example(topic="cc/v1/event/suishoupai", payload=b"1" * 5000)
@example(topic="cc/v1/unit/u-1/location", payload=b"[" * 50_000)
@example(topic="cc/v1/unit/u-1/location",
         payload=b'{"lat": 1' + b"0" * 400 + b', "lon": 1, "crs": "wgs84", "ts": "' +
         TS.encode() + b'"}')
def test_decode_only_ever_raises_rejected_message(topic: str, payload: bytes) -> None:
    try:
        decoded = decode(topic, payload)
    except RejectedMessage as exc:
        assert exc.code in CODES
        assert exc.reason
        return
    assert isinstance(decoded, Event | UnitStatusReport | UnitPosition)


def test_a_utf8_bom_is_accepted_and_a_bad_byte_is_located() -> None:
    """Windows tools write a BOM; the byte offset of bad UTF-8 counts from the payload start."""
    assert load_json(b"\xef\xbb\xbf" + '{"地点": "民安花苑"}'.encode()) == {"地点": "民安花苑"}
    for payload, at in ((b'{"a": "\xff"}', 7), (b'\xef\xbb\xbf{"a": "\xff"}', 10)):
        with pytest.raises(RejectedMessage, match=f"not UTF-8 at byte {at}") as caught:
            load_json(payload)
        assert caught.value.code == "encoding"
