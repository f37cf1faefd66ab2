"""`cc.event/1`: the one validator every inbound signal passes through."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from commandcenter.domain.errors import InvalidEvent
from commandcenter.domain.event import Event, EventKind, Location, Severity
from commandcenter.domain.geo import gcj02_to_wgs84, haversine_m, wgs84_to_gcj02
from tests.conftest import event_payload


def good(**over: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(event_payload())
    data.update(over)
    return data


def test_a_good_report_is_accepted() -> None:
    event = Event.from_json(good(
        media=["https://example.org/a.jpg"], device="cam-7", reporter="138****0000",
        measurements={"a34041": {"value": 2.6, "unit": "mg/m3", "flag": "N"}},
    ))
    assert event.key == ("suishoupai", "r-1")
    assert event.kind is EventKind.REPORT and event.severity is Severity.MINOR
    assert event.category == "0501"
    assert event.occurred_at == datetime(2026, 11, 28, 8, 58, tzinfo=UTC)
    assert event.location == Location(32.0305, 120.8702, "民安花苑北门")
    assert event.title == "民安花苑北门有流动摊贩占道经营"
    assert event.media == ("https://example.org/a.jpg",)
    assert event.measurements == {"a34041": {"value": 2.6, "unit": "mg/m3", "flag": "N"}}


def test_minimal_event_gets_defaults() -> None:
    event = Event.from_json({"source": "s", "source_id": 42, "kind": "alarm",
                             "occurred_at": "2026-11-28T09:00:00Z"})
    assert event.source_id == "42"  # numeric ids from devices are taken as text
    assert event.severity is Severity.INFO
    assert event.location is None and event.category is None
    assert event.title == "" and event.media == () and event.measurements == {}


def test_surrounding_whitespace_in_ids_is_dropped() -> None:
    event = Event.from_json(good(source="  suishoupai ", source_id=" r-1\n"))
    assert event.key == ("suishoupai", "r-1")


@pytest.mark.parametrize(("over", "field"), [
    ({"source_id": None}, "source_id"),
    ({"source_id": ""}, "source_id"),
    ({"source_id": "   "}, "source_id"),
    ({"source_id": True}, "source_id"),
    ({"source": None}, "source"),
    ({"source": "x" * 65}, "source"),
    ({"source_id": "x" * 129}, "source_id"),
    ({"kind": "rumour"}, "kind"),
    ({"kind": None}, "kind"),
    ({"severity": "apocalyptic"}, "severity"),
    ({"schema": "cc.event/2"}, "schema"),
    ({"occurred_at": "2026-11-28T16:58:00"}, "occurred_at"),  # naive: which zone?
    ({"occurred_at": "yesterday"}, "occurred_at"),
    ({"occurred_at": None}, "occurred_at"),
    ({"occurred_at": 1764320280}, "occurred_at"),
    ({"location": {"lat": 91, "lon": 120.87, "crs": "wgs84"}}, "location"),
    ({"location": {"lat": 32.03, "lon": -181, "crs": "wgs84"}}, "location"),
    ({"location": {"lat": math.nan, "lon": 120.87, "crs": "wgs84"}}, "location"),
    ({"location": {"lat": 32.03, "lon": math.inf, "crs": "wgs84"}}, "location"),
    ({"location": {"lat": "32.03", "lon": 120.87, "crs": "wgs84"}}, "location.lat"),
    ({"location": {"lat": 32.03, "lon": True, "crs": "wgs84"}}, "location.lon"),
    ({"location": {"lat": 32.03, "lon": 120.87, "crs": "itrf2014"}}, "location.crs"),
    ({"location": {"lat": 32.03, "lon": 120.87}}, "location.crs"),
    ({"location": [32.03, 120.87]}, "location"),
    ({"location": {"lat": 32.03, "lon": 120.87, "crs": "wgs84", "address": "x" * 201}},
     "address"),
    ({"title": "很长" * 101}, "title"),
    ({"title": 5}, "title"),
    ({"description": "x" * 4001}, "description"),
    ({"media": "https://example.org/a.jpg"}, "media"),
    ({"media": [1, 2]}, "media"),
    ({"media": ["u"] * 21}, "media"),
    ({"measurements": {"a34041": {"value": "high"}}}, "measurements.a34041.value"),
    ({"measurements": {"a34041": {"value": math.nan}}}, "measurements.a34041.value"),
    ({"measurements": {"a34041": {"unit": "mg/m3"}}}, "measurements.a34041.value"),
    ({"measurements": {"a34041": 2.6}}, "measurements.a34041"),
    ({"measurements": [2.6]}, "measurements"),
    ({"category": "x" * 17}, "category"),  # wider than the store's column
    ({"title": "流动\x00摊贩"}, "title"),  # PostgreSQL cannot store NUL in text
    ({"source_id": "r\x001"}, "source_id"),
    ({"location": {"lat": 32.03, "lon": 120.87, "crs": "wgs84", "address": "北\x00门"}},
     "address"),
])
def test_each_bad_field_is_named(over: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidEvent) as info:
        Event.from_json(good(**over))
    assert info.value.field == field
    assert field in str(info.value)
    assert info.value.reason


def test_a_missing_field_is_reported_as_missing() -> None:
    data = good()
    del data["source_id"]
    with pytest.raises(InvalidEvent) as info:
        Event.from_json(data)
    assert info.value.field == "source_id" and info.value.reason == "missing or empty"


@pytest.mark.parametrize("value", [None, [], "event", 3, [good()]])
def test_not_an_object_is_refused(value: Any) -> None:
    with pytest.raises(InvalidEvent, match="expected a JSON object"):
        Event.from_json(value)


def test_a_huge_integer_coordinate_is_invalid_not_a_crash() -> None:
    with pytest.raises(InvalidEvent) as info:
        Event.from_json(good(location={"lat": 10**400, "lon": 120.87, "crs": "wgs84"}))
    assert info.value.field is not None and info.value.field.startswith("location")
    with pytest.raises(InvalidEvent):
        Event.from_json(good(measurements={"a34041": {"value": -(10**400)}}))


def test_gcj02_input_is_stored_in_wgs84() -> None:
    """AMap / WeChat positions are ~500 m off in 南通 unless converted at the edge."""
    glat, glon = 32.0305, 120.8702
    event = Event.from_json(good(location={"lat": glat, "lon": glon, "crs": "GCJ02"}))
    assert event.location is not None
    wlat, wlon = gcj02_to_wgs84(glat, glon)
    assert (event.location.lat, event.location.lon) == pytest.approx((wlat, wlon), abs=1e-9)
    assert 100 < haversine_m(glat, glon, event.location.lat, event.location.lon) < 1000
    back = wgs84_to_gcj02(event.location.lat, event.location.lon)
    assert back == pytest.approx((glat, glon), abs=1e-7)
    assert event.to_json()["location"]["crs"] == "wgs84"


def test_bd09_input_is_converted_and_wgs84_is_kept() -> None:
    baidu = Event.from_json(good(location={"lat": 32.0365, "lon": 120.8767, "crs": "bd09"}))
    assert baidu.location is not None and abs(baidu.location.lat - 32.0365) > 1e-3
    plain = Event.from_json(good())
    assert plain.location == Location(32.0305, 120.8702, "民安花苑北门")


def test_a_source_default_datum_applies_only_when_configured() -> None:
    data = good(location={"lat": 32.0305, "lon": 120.8702})
    with pytest.raises(InvalidEvent) as info:
        Event.from_json(data)
    assert info.value.field == "location.crs"
    event = Event.from_json(data, default_crs="gcj02")
    assert event.location is not None
    assert (event.location.lat, event.location.lon) == pytest.approx(
        gcj02_to_wgs84(32.0305, 120.8702), abs=1e-9)


def test_offsets_are_kept_as_instants() -> None:
    event = Event.from_json(good(occurred_at="2026-11-28T08:58:00Z"))
    local = Event.from_json(good(occurred_at="2026-11-28T16:58:00+08:00"))
    assert event.occurred_at == local.occurred_at
    assert local.occurred_at.utcoffset() == timedelta(hours=8)


def test_raw_is_kept_but_not_echoed_by_default() -> None:
    event = Event.from_json(good(), raw=b"original bytes")
    assert event.raw == b"original bytes"
    assert "raw" not in event.to_json()
    assert event.to_json(with_raw=True)["raw"] == b"original bytes"
    assert Event.from_json(good(raw={"vendor": 1})).raw == {"vendor": 1}


# --- property-based ------------------------------------------------------------------------

json_scalars = (st.none() | st.booleans() | st.integers() | st.floats()
                | st.text(max_size=30))
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=4),
    max_leaves=12,
)
FIELDS = ["schema", "source", "source_id", "kind", "category", "severity", "occurred_at",
          "location", "title", "description", "media", "device", "measurements", "reporter"]
near_good_location = st.fixed_dictionaries(
    {}, optional={"lat": json_values | st.floats(-100, 100), "lon": json_values
                  | st.floats(-200, 200), "crs": json_values | st.sampled_from(
                      ["wgs84", "gcj02", "bd09", "WGS84", "utm"]), "address": json_values})
near_good = st.builds(
    lambda over, drop: {k: v for k, v in {**good(), **over}.items() if k not in drop},
    st.dictionaries(st.sampled_from(FIELDS), json_values | near_good_location, max_size=4),
    st.sets(st.sampled_from(FIELDS), max_size=3),
)


@settings(max_examples=300, deadline=None)
@given(json_values | near_good)
@example({**good(), "location": {"lat": 10**400, "lon": 1, "crs": "wgs84"}})
@example({**good(), "measurements": {"x": {"value": 10**400}}})
@example({**good(), "source_id": 10**100})
def test_from_json_only_ever_raises_invalid_event(data: Any) -> None:
    try:
        event = Event.from_json(data)
    except InvalidEvent as exc:
        assert str(exc)
        return
    # Whatever got through is usable: finite WGS-84 coordinates, an aware time.
    assert event.occurred_at.utcoffset() is not None
    if event.location is not None:
        assert -90 <= event.location.lat <= 90 and -180 <= event.location.lon <= 180


def texts(max_size: int, min_size: int = 0) -> st.SearchStrategy[str]:
    return st.text(st.characters(exclude_characters="\x00"), min_size=min_size,
                   max_size=max_size)


offsets = st.integers(-12 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
ids = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Zs", "Zl", "Zp", "Cc")),
              min_size=1, max_size=20)
events = st.builds(
    Event,
    source=ids,
    source_id=ids,
    kind=st.sampled_from(EventKind),
    occurred_at=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1),
                             timezones=offsets),
    category=st.none() | st.sampled_from(["0501", "0601", "9999"]),
    severity=st.sampled_from(Severity),
    location=st.none() | st.builds(Location, lat=st.floats(-90, 90), lon=st.floats(-180, 180),
                                   address=st.none() | texts(50, min_size=1)),
    title=texts(200),
    description=texts(300),
    media=st.lists(st.text(max_size=40), max_size=3).map(tuple),
    device=st.none() | texts(20),
    measurements=st.dictionaries(
        st.text(min_size=1, max_size=8),
        st.fixed_dictionaries({"value": st.floats(allow_nan=False, allow_infinity=False),
                               "unit": st.none() | st.text(max_size=5),
                               "flag": st.none() | st.sampled_from(["N", "T", "D"])}),
        max_size=3),
    reporter=st.none() | texts(20),
)


@settings(max_examples=150, deadline=None)
@given(events)
def test_to_json_then_from_json_round_trips(event: Event) -> None:
    data = event.to_json()
    # Through real JSON text, as it travels on the wire.
    again = Event.from_json(json.loads(json.dumps(data, ensure_ascii=False)))
    assert again == event
    assert again.to_json() == data
