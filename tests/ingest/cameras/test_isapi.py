"""Hikvision ISAPI EventNotificationAlert: every namespace variant, JSON, and hostile XML.

Sample shapes follow the Hikvision Device Network SDK developer guides
(XML_EventNotificationAlert_AlarmEventInfo, XML_EventNotificationAlert_HeartbeatInfo — whose
message example is `samples/isapi_heartbeat.xml` verbatim — and JSON_EventNotificationAlert).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commandcenter.domain.event import Event, EventKind, Severity
from commandcenter.ingest.cameras.isapi import isapi_to_events
from commandcenter.ingest.decode import RejectedMessage
from tests.ingest.cameras.support import RECEIVED, round_trips, sample, shipped_registry

REGISTRY = shipped_registry()
RENGANG = "32061300001310000006"  # fielddetection region 2 → 0502, else its default 0501
GONGNONG = "32061300001310000002"  # default 0503
WANDA = "32061300001310000003"  # default 0401
WENFENG = "32061300001310000008"
CST = timezone(timedelta(hours=8))


def one(payload: bytes, camera: str) -> list[Event]:
    return isapi_to_events(payload, camera, REGISTRY, received_at=RECEIVED)


def refused(payload: bytes, camera: str = GONGNONG) -> RejectedMessage:
    with pytest.raises(RejectedMessage) as info:
        one(payload, camera)
    assert info.value.reason
    return info.value


@pytest.mark.parametrize(("name", "camera", "category", "severity", "at"), [
    ("isapi_hikvision_ns.xml", RENGANG, "0502", Severity.WARNING,
     datetime(2026, 11, 28, 16, 58, 2, tzinfo=CST)),
    ("isapi_isapi_org_ns.xml", GONGNONG, "0503", Severity.MINOR,
     datetime(2026, 11, 28, 17, 5, 41, tzinfo=CST)),
    ("isapi_std_cgi_ns.xml", WANDA, "0401", Severity.CRITICAL,
     datetime(2026, 11, 28, 19, 30, tzinfo=CST)),
    # no namespace, and a local time without offset: the registry's utc_offset (+08:00)
    ("isapi_no_ns.xml", GONGNONG, "0503", Severity.MINOR,
     datetime(2026, 11, 28, 8, 12, 9, tzinfo=CST)),
    ("isapi_wrapped.json", WENFENG, "0503", Severity.MINOR,
     datetime(2026, 11, 28, 17, 20, tzinfo=CST)),
    ("isapi_flat.json", WANDA, "0401", Severity.CRITICAL,
     datetime(2026, 11, 28, 19, 31, tzinfo=UTC)),
])
def test_each_variant_is_one_camera_event(name: str, camera: str, category: str,
                                          severity: Severity, at: datetime) -> None:
    [event] = one(sample(name), camera)
    round_trips(event)
    assert event.source == "isapi" and event.kind is EventKind.CAMERA
    assert (event.category, event.severity, event.device) == (category, severity, camera)
    assert event.occurred_at == at
    place = REGISTRY.get(camera)
    assert place is not None and event.location is not None
    assert (event.location.lat, event.location.lon) == (place.location.lat, place.location.lon)
    assert event.title.startswith(place.name)


def test_the_region_decides_and_ids_stay_stable() -> None:
    [field] = one(sample("isapi_hikvision_ns.xml"), RENGANG)
    assert "区域 2" in field.description and "10.32.6.61" in field.description
    assert field.source_id == f"{RENGANG}-ch1-fielddetection-2-20261128T165802"
    [again] = one(sample("isapi_hikvision_ns.xml"), RENGANG)
    assert again.key == field.key  # a redelivered alert is the same event
    other = sample("isapi_hikvision_ns.xml").replace(b"<regionID>2<", b"<regionID>1<")
    [elsewhere] = one(other, RENGANG)
    assert elsewhere.category == "0501" and elsewhere.key != field.key


def test_a_json_uuid_is_the_events_identity() -> None:
    [event] = one(sample("isapi_wrapped.json"), WENFENG)
    assert event.source_id == f"{WENFENG}-3f2a9c1e-7b4d-4e0a-9c55-2d1b6f0a8e11"
    [flat] = one(sample("isapi_flat.json"), WANDA)
    assert "区域 1、3" in flat.description


@pytest.mark.parametrize("payload", [
    sample("isapi_inactive.xml"),
    sample("isapi_heartbeat.xml"),
    sample("isapi_isapi_org_ns.xml").replace(b"<eventType>parking<", b"<eventType>heartBeat<"),
    # the same durative alarm posted again while active
    sample("isapi_isapi_org_ns.xml").replace(b"<activePostCount>1<", b"<activePostCount>3<"),
    # an event type the hall has not mapped (motion detection): not a case
    sample("isapi_isapi_org_ns.xml").replace(b"<eventType>parking<", b"<eventType>VMD<"),
])
def test_alerts_that_are_not_new_cases_produce_nothing(payload: bytes) -> None:
    assert one(payload, GONGNONG) == []


def test_heartbeats_from_an_unregistered_camera_are_not_quarantined() -> None:
    assert one(sample("isapi_heartbeat.xml"), "nvr-in-the-basement") == []


def test_an_unknown_camera_is_rejected() -> None:
    info = refused(sample("isapi_isapi_org_ns.xml"), "nvr-in-the-basement")
    assert info.code == "unknown_device" and "nvr-in-the-basement" in info.reason


def test_malformed_xml_is_rejected() -> None:
    info = refused(sample("isapi_malformed.xml"))
    assert info.code == "not_xml" and "well-formed" in info.reason


@pytest.mark.parametrize("name", ["isapi_billion_laughs.xml", "isapi_external_entity.xml"])
def test_entity_declarations_are_refused_before_parsing(name: str) -> None:
    started = time.perf_counter()
    info = refused(sample(name))
    assert info.code == "unsafe_xml"
    assert time.perf_counter() - started < 0.5  # refused, not expanded


def test_comments_and_cdata_are_still_fine() -> None:
    payload = sample("isapi_isapi_org_ns.xml").replace(
        b"<eventDescription>parking alarm</eventDescription>",
        b"<!-- relayed --><eventDescription><![CDATA[parking <alarm>]]></eventDescription>")
    [event] = one(payload, GONGNONG)
    assert "parking <alarm>" in event.description


def test_gb18030_from_older_firmware_is_read() -> None:
    text = sample("isapi_isapi_org_ns.xml").decode().replace("UTF-8", "GB2312").replace(
        "parking alarm", "违停报警")
    [event] = one(text.encode("gb18030"), GONGNONG)
    assert "违停报警" in event.description


def test_a_missing_time_is_the_time_of_receipt() -> None:
    payload = sample("isapi_std_cgi_ns.xml").replace(
        b"<dateTime>2026-11-28T19:30:00+08:00</dateTime>", b"")
    [event] = one(payload, WANDA)
    assert event.occurred_at == RECEIVED


@pytest.mark.parametrize(("payload", "code"), [
    (b"", "not_xml"),
    (b"hello", "not_xml"),
    (b"--boundary\r\nContent-Type: application/xml", "not_xml"),
    (b"<Other/>", "invalid_field"),
    (b"<EventNotificationAlert><eventState>active</eventState></EventNotificationAlert>",
     "missing_field"),
    (b"<EventNotificationAlert><eventType>parking</eventType><eventState>on</eventState>"
     b"</EventNotificationAlert>", "invalid_field"),
    (b"<EventNotificationAlert><eventType>parking</eventType><activePostCount>x"
     b"</activePostCount></EventNotificationAlert>", "invalid_field"),
    (b"<EventNotificationAlert><eventType>parking</eventType><dateTime>today</dateTime>"
     b"</EventNotificationAlert>", "invalid_field"),
    (b"<EventNotificationAlert><eventType>parking</eventType><dateTime>1970-01-01T00:00:00Z"
     b"</dateTime></EventNotificationAlert>", "invalid_field"),
    (b'{"EventNotificationAlert": []}', "invalid_field"),
    (b'{"eventType": {"a": 1}}', "invalid_field"),
    (b'{"eventType": "parking"', "not_json"),
    (b"<EventNotificationAlert>\xff</EventNotificationAlert>", "encoding"),
    (b"<" + b" " * 300_000, "too_large"),
])
def test_bad_alerts_are_rejected_with_a_reason(payload: bytes, code: str) -> None:
    assert refused(payload).code == code


def test_a_naive_time_without_a_configured_offset_is_refused() -> None:
    registry = shipped_registry()
    registry.utc_offset = None
    with pytest.raises(RejectedMessage, match="has no UTC offset"):
        isapi_to_events(sample("isapi_no_ns.xml"), GONGNONG, registry, received_at=RECEIVED)


@settings(max_examples=300)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_only_ever_reject(payload: bytes) -> None:
    try:
        for event in one(payload, RENGANG):
            round_trips(event)
    except RejectedMessage:
        pass


@settings(max_examples=300)
@given(st.sampled_from(["eventType", "eventState", "dateTime", "activePostCount", "channelID",
                        "eventDescription", "regionID", "ipAddress"]),
       st.text(max_size=60))
def test_arbitrary_field_text_only_ever_rejects(field: str, value: str) -> None:
    escaped = value.replace("&", "&amp;").replace("<", "&lt;")
    payload = sample("isapi_hikvision_ns.xml").decode().replace(
        f"<{field}>", f"<{field}>{escaped}", 1).encode("utf-8", "surrogatepass")
    try:
        for event in one(payload, RENGANG):
            round_trips(event)
    except RejectedMessage:
        pass
