"""Frames become `cc.event/1` readings the alarm service and the store accept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from commandcenter.domain.event import Event, EventKind, Severity
from commandcenter.domain.site import Site
from commandcenter.ingest.hj212 import (
    Hj212Error,
    Lenient,
    SiteInfo,
    events_from_payload,
    frame_to_events,
    parse_frame,
)
from tests.ingest.hj212.builders import (
    MN,
    MN_2005,
    STANDARD_EXAMPLE,
    STANDARD_REPLY,
    STATE_2021_CP,
    frame,
    oil_2005,
    oil_2011,
    oil_2051,
)

RECEIVED = datetime(2026, 11, 28, 8, 58, 31, tzinfo=UTC)
CST = timezone(timedelta(hours=8))
SITE = SiteInfo("老街饭店", 32.0305, 120.8702, limit=2.0)


def events(raw: bytes, site: SiteInfo | None = SITE) -> list[Event]:
    return frame_to_events(parse_frame(raw, mode=Lenient(), received_at=RECEIVED).frame,
                           received_at=RECEIVED, site=site)


def round_trips(event: Event) -> Event:
    again = Event.from_json(event.to_json())
    assert again.to_json() == event.to_json()
    return again


def test_a_real_time_frame_is_one_reading_with_rtd_values() -> None:
    (event,) = events(oil_2011())
    assert event.kind is EventKind.READING and event.source == "hj212"
    assert event.source_id == f"{MN}-2011-20261128165800"
    assert event.device == MN
    assert event.occurred_at == datetime(2026, 11, 28, 16, 58, tzinfo=CST)
    assert event.occurred_at.isoformat() == "2026-11-28T16:58:00+08:00"
    assert event.measurements["a34041"] == {"value": 1.23, "unit": "mg/m3", "flag": "N"}
    assert event.measurements["a24088"] == {"value": 3.41, "unit": "mg/m3", "flag": "N"}
    assert event.measurements["fan"] == {"value": 1.0, "unit": "state", "flag": "running"}
    assert event.measurements["purifier"]["flag"] == "running"
    assert event.location is not None and (event.location.lat, event.location.lon) == (
        32.0305, 120.8702)
    assert event.location.address == "老街饭店"
    assert event.severity is Severity.INFO and event.title == "老街饭店 油烟 1.23 mg/m³"
    assert event.raw == oil_2011().decode()
    round_trips(event)


def test_a_minute_frame_uses_the_averages() -> None:
    (event,) = events(oil_2051())
    assert event.source_id == f"{MN}-2051-20261128165000"
    assert {k: v["value"] for k, v in event.measurements.items()} == {
        "a34041": 1.12, "a34000": 0.80, "a24088": 3.35}
    round_trips(event)


@pytest.mark.parametrize("cn", ["2061", "2031"])
def test_hourly_and_daily_frames_use_the_averages(cn: str) -> None:
    (event,) = events(frame("DataTime=20261128160000;a34041-Avg=0.8,a34041-Max=2.5", cn=cn))
    assert event.measurements == {"a34041": {"value": 0.8, "unit": "mg/m3", "flag": None}}
    assert event.source_id == f"{MN}-{cn}-20261128160000"


def test_over_the_site_limit_is_a_warning_reading_not_an_alarm() -> None:
    (event,) = events(frame("DataTime=20261128165800;a34041-Rtd=2.60,a34041-Flag=N"))
    assert event.kind is EventKind.READING and event.severity is Severity.WARNING
    assert "油烟浓度 2.60 mg/m³，限值 2 mg/m³，超标" in event.description
    strict_site = SiteInfo("京味轩", 32.0, 120.9, limit=1.0)
    (event,) = events(frame("DataTime=20261128165800;a34041-Rtd=1.20"), site=strict_site)
    assert event.severity is Severity.WARNING


def test_a_status_frame_reports_fan_and_purifier() -> None:
    (event,) = events(frame(STATE_2021_CP, cn="2021"))
    assert event.measurements == {
        "fan": {"value": 1.0, "unit": "state", "flag": "running"},
        "purifier": {"value": 0.0, "unit": "state", "flag": "off"},
    }
    assert event.severity is Severity.WARNING  # fan on, purifier off: fumes go out unfiltered
    assert "风机 运行" in event.description and "净化器 停止" in event.description
    assert "油烟未经净化直排" in event.description
    assert event.title == "老街饭店 设备运行状态"
    round_trips(event)


def test_other_equipment_and_custom_roles() -> None:
    raw = frame("DataTime=20261128165800;a34041-Rtd=0.5;SB7-RS=2;SB8-RS=5")
    (event,) = events(raw)
    assert event.measurements["SB7-RS"]["flag"] == "calibrating"
    assert event.measurements["SB8-RS"]["flag"] == "backflush"
    (event,) = frame_to_events(parse_frame(raw).frame, received_at=RECEIVED, site=None,
                               roles={"SB7": "fan", "SB8": "purifier"})
    assert set(event.measurements) == {"a34041", "fan", "purifier"}


def test_a_frame_listing_hundreds_of_equipment_still_makes_a_valid_event() -> None:
    states = ";".join(f"SB{i}-RS={i % 6}" for i in range(1, 600))
    (event,) = events(frame(f"DataTime=20261128165800;{states}", cn="2021"))
    assert len(event.measurements) == 599
    round_trips(event)


def test_unknown_site_gives_no_location_and_names_the_device() -> None:
    (event,) = events(oil_2011(), site=None)
    assert event.location is None and event.title.startswith(MN)
    site = SiteInfo.from_site(Site(mn=MN, name="无坐标小吃店"))
    (event,) = events(oil_2011(), site=site)
    assert event.location is None and event.title.startswith("无坐标小吃店")
    round_trips(event)


def test_a_2005_frame_becomes_a_reading_too() -> None:
    (event,) = events(oil_2005())
    assert event.device == MN_2005 and event.measurements["a34000"]["flag"] == "P"
    round_trips(event)


def test_a_reset_clock_reading_is_dated_by_its_arrival() -> None:
    (event,) = events(frame("DataTime=20000101000512;a34041-Rtd=1.1"))
    assert event.occurred_at == RECEIVED
    assert event.source_id == f"{MN}-2011-20261128165831"


def test_dropped_placeholders_leave_the_other_values() -> None:
    (event,) = events(frame("DataTime=20261128165800;a34041-Rtd=-99,a34041-Flag=D;"
                            "a34000-Rtd=0.4"))
    assert set(event.measurements) == {"a34000"}
    round_trips(event)


def test_without_datatime_the_qn_dates_the_reading() -> None:
    (event,) = events(frame("a34041-Rtd=0.7"))
    assert event.source_id == f"{MN}-2011-20261128165800123"
    assert event.occurred_at == datetime(2026, 11, 28, 16, 58, 0, 123_000, tzinfo=CST)


def test_commands_and_answers_carry_no_reading() -> None:
    assert events(STANDARD_EXAMPLE) == []
    assert events(STANDARD_REPLY) == []


def test_the_ingest_entry_point_checks_the_topic() -> None:
    (event,) = events_from_payload(oil_2011(), topic_mn=MN, received_at=RECEIVED, site=SITE)
    assert event.device == MN
    with pytest.raises(Hj212Error, match=f"frame's MN {MN} does not match the topic's OTHER"):
        events_from_payload(oil_2011(), topic_mn="OTHER", received_at=RECEIVED)
    with pytest.raises(Hj212Error, match="does not match computed"):
        events_from_payload(oil_2011()[:-6] + b"0000\r\n", topic_mn=MN, received_at=RECEIVED)
