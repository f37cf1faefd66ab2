"""GeoReport v2 service requests as `cc.event/1` reports.

`samples/georeport_v2_requests_verbatim.json` is the JSON example of "GET Service Requests" in
the GeoReport v2 spec (http://wiki.open311.org/GeoReport_v2), byte for byte — it writes
`"service_code":006`, which no JSON parser accepts. `georeport_v2_requests.json` is the same with
the code quoted, as real platforms send it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commandcenter.domain.event import Event, EventKind, Severity
from commandcenter.domain.geo import gcj02_to_wgs84
from commandcenter.ingest.decode import RejectedMessage
from commandcenter.ingest.open311.convert import (
    ServiceMapping,
    open311_to_events,
    parse_requests_body,
    request_to_event,
)

SAMPLES = Path(__file__).parent / "samples"
RECEIVED = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
MAPPING = ServiceMapping({"006": "0103"}, default_category="0105")


def spec_items() -> list[dict[str, Any]]:
    return parse_requests_body((SAMPLES / "georeport_v2_requests.json").read_bytes())


def round_trips(event: Event) -> Event:
    again = Event.from_json(event.to_json())
    assert again.to_json() == event.to_json()
    return again


def item(**over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "service_request_id": "NT-20261128-0042", "status": "open",
        "service_name": "流动摊贩", "service_code": "A17", "description": "菜场门口三轮车摆摊",
        "requested_datetime": "2026-11-28T16:58:00+08:00",
        "updated_datetime": "2026-11-28T17:01:00+08:00",
        "address": "崇川区怡园北村农贸市场门口", "lat": 32.0172, "long": 120.8765,
        "media_url": "https://img.example/42.jpg",
    }
    base.update(over)
    return base


def rejected(data: dict[str, Any], **kw: Any) -> RejectedMessage:
    with pytest.raises(RejectedMessage) as info:
        request_to_event(data, received_at=RECEIVED, **kw)
    assert info.value.reason
    return info.value


def test_the_spec_sample_is_two_reports() -> None:
    first, second = (request_to_event(i, received_at=RECEIVED, mapping=MAPPING)
                     for i in spec_items())
    for event in (first, second):
        round_trips(event)
        assert event.kind is EventKind.REPORT and event.source == "open311"
        assert event.category == "0103" and event.severity is Severity.MINOR
    assert first.source_id == "638344"  # a number in the spec's JSON
    assert first.occurred_at == datetime.fromisoformat("2010-04-14T06:37:38-08:00")
    assert first.location is not None
    assert (first.location.lat, first.location.lon) == (37.762221815, -122.4651145)
    assert first.location.address == "8TH AVE and JUDAH ST"
    assert first.media == ("http://city.gov.s3.amazonaws.com/requests/media/638344.jpg",)
    assert first.title == "Sidewalk and Curb Issues（8TH AVE and JUDAH ST）"
    assert "closed" in first.description and "Duplicate request." in first.description
    assert first.raw["service_request_id"] == 638344


def test_the_verbatim_spec_sample_is_not_json() -> None:
    with pytest.raises(RejectedMessage) as info:
        open311_to_events((SAMPLES / "georeport_v2_requests_verbatim.json").read_bytes(),
                          received_at=RECEIVED)
    assert info.value.code == "not_json" and "line 7" in info.value.reason


def test_a_body_in_any_common_shape() -> None:
    one = b'{"service_request_id": "1", "requested_datetime": "2026-11-28T08:00:00Z"}'
    for body in (b"[" + one + b"]", b'{"service_requests": [' + one + b"]}",
                 b'{"service_requests": {"request": ' + one + b"}}", one):
        [event] = open311_to_events(body, received_at=RECEIVED)
        assert event.source_id == "1"


def test_service_codes_map_to_categories_with_a_default() -> None:
    assert request_to_event(item(service_code="006"), received_at=RECEIVED,
                            mapping=MAPPING).category == "0103"
    assert request_to_event(item(), received_at=RECEIVED, mapping=MAPPING).category == "0105"
    assert request_to_event(item(), received_at=RECEIVED).category is None


def test_an_address_without_coordinates_is_kept_in_the_text() -> None:
    for missing in ({"lat": None, "long": None}, {"lat": 0, "long": 0}):
        event = round_trips(request_to_event(item(**missing), received_at=RECEIVED))
        assert event.location is None
        assert "地址：崇川区怡园北村农贸市场门口" in event.description


def test_a_platform_configured_as_gcj02_is_converted() -> None:
    event = request_to_event(item(lat="32.0172", long="120.8765"), received_at=RECEIVED,
                             mapping=ServiceMapping(crs="gcj02"))
    assert event.location is not None
    assert (event.location.lat, event.location.lon) == pytest.approx(
        gcj02_to_wgs84(32.0172, 120.8765), abs=1e-9)


def test_times_fall_back_from_requested_to_updated_to_receipt() -> None:
    event = request_to_event(item(requested_datetime=None), received_at=RECEIVED)
    assert event.occurred_at == datetime.fromisoformat("2026-11-28T17:01:00+08:00")
    event = request_to_event(item(requested_datetime=None, updated_datetime=None),
                             received_at=RECEIVED)
    assert event.occurred_at == RECEIVED


def test_only_web_media_is_linked() -> None:
    assert request_to_event(item(media_url="javascript:alert(1)"),
                            received_at=RECEIVED).media == ()


@pytest.mark.parametrize(("over", "code"), [
    ({"service_request_id": None}, "missing_field"),
    ({"service_request_id": "  "}, "missing_field"),
    ({"service_request_id": True}, "invalid_field"),
    ({"service_request_id": ["1"]}, "invalid_field"),
    ({"lat": 95.0}, "bad_location"),
    ({"long": -181}, "bad_location"),
    ({"lat": float("nan")}, "bad_location"),
    ({"lat": "north"}, "bad_location"),
    ({"long": None}, "bad_location"),
    ({"requested_datetime": "2026-11-28 16:58"}, "invalid_field"),
    ({"requested_datetime": "2026-11-28T16:58:00"}, "invalid_field"),
    ({"description": {"text": "x"}}, "invalid_field"),
    ({"description": "x" * 5000}, None),  # clipped, not refused
])
def test_unusable_requests_are_rejected(over: dict[str, Any], code: str | None) -> None:
    if code is None:
        assert len(request_to_event(item(**over), received_at=RECEIVED).description) <= 4000
    else:
        assert rejected(item(**over)).code == code


@pytest.mark.parametrize(("body", "code"), [
    (b"<service_requests/>", "not_json"),
    (b"\xff", "encoding"),
    (b'"text"', "invalid_field"),
    (b"[1]", "invalid_field"),
    (b"[" * 50_000, "not_json"),
])
def test_unusable_bodies_are_rejected(body: bytes, code: str) -> None:
    with pytest.raises(RejectedMessage) as info:
        open311_to_events(body, received_at=RECEIVED)
    assert info.value.code == code


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner,
                                                                max_size=3),
    max_leaves=8,
)


@settings(max_examples=300)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_only_ever_reject(payload: bytes) -> None:
    try:
        for event in open311_to_events(payload, received_at=RECEIVED):
            round_trips(event)
    except RejectedMessage:
        pass


@settings(max_examples=400)
@given(st.dictionaries(st.sampled_from(sorted(item())), JSON, max_size=5))
def test_arbitrary_field_values_only_ever_reject(over: dict[str, Any]) -> None:
    try:
        round_trips(request_to_event(item(**over), received_at=RECEIVED, mapping=MAPPING))
    except RejectedMessage:
        pass
