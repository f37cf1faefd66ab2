"""Oil-fume readings through the real ingest writer: one alarm case per site, offline after
silence, the site registry and its cleaning records."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from commandcenter.config import Settings
from commandcenter.domain.case import CaseState
from commandcenter.domain.site import Cleaning, CleaningStatus, Site
from commandcenter.hall import Hall, open_hall
from commandcenter.ingest.message import InboundMessage
from commandcenter.services.sites import SiteService
from tests.conftest import FakeClock

MN = "32061300000000000000A001"
SITE = Site(MN, "老街饭店", lat=32.03, lon=120.87, address="南大街 18 号", street="和平桥街道",
            contact="刘经理", phone="0513-8500 0000", limit=2.0)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def hall(request: pytest.FixtureRequest, clock: FakeClock) -> Iterator[Hall]:
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")
    h = open_hall(Settings(db_url=url))
    h.ctx.clock = clock
    SiteService(h.ctx).register([SITE])
    yield h
    h.close()


def reading(clock: FakeClock, value: float, mn: str = MN) -> InboundMessage:
    at = clock.now
    body = {"source": "hj212", "source_id": f"{mn}-2011-{at.isoformat()}", "kind": "reading",
            "occurred_at": at.isoformat(), "device": mn,
            "measurements": {"a34041": {"value": value, "unit": "mg/m3", "flag": "N"}}}
    return InboundMessage("cc/v1/event/hj212", json.dumps(body).encode(), at)


def feed_minutes(hall: Hall, clock: FakeClock, values: list[float]) -> list[int]:
    new: list[int] = []
    for value in values:
        new += hall.ingest.process_now([reading(clock, value)]).new_case_ids
        clock.advance(minutes=1)
    return new


def test_sustained_exceedance_becomes_one_case(hall: Hall, clock: FakeClock) -> None:
    new = feed_minutes(hall, clock, [1.2, 2.6, 2.8, 3.1, 3.4, 3.0, 2.9, 3.6])
    assert len(new) == 1, "raised once after the 3-minute hold, repeats update it"
    case = hall.cases.detail(new[0]).case
    assert case.category == "0601" and case.state is CaseState.REPORTED
    assert case.title.startswith("老街饭店油烟浓度超标")
    assert case.location is not None and case.location.address == "南大街 18 号"
    overview = SiteService(hall.ctx).overview()[0]
    # raised at 3.4 (minute 4), then 3.0, 2.9, 3.6: four exceeding readings while active
    assert overview.alarm_active and overview.exceed.peak == 3.6 and overview.exceed.count == 4


def test_monitor_offline_after_silence_then_back(hall: Hall, clock: FakeClock) -> None:
    feed_minutes(hall, clock, [0.8, 0.9])
    clock.advance(minutes=10)
    assert not hall.ingest.writer.housekeeping().new_case_ids
    clock.advance(minutes=10)
    changes = hall.ingest.writer.housekeeping()
    (case_id,) = changes.new_case_ids
    assert hall.cases.detail(case_id).case.category == "0602"
    assert not hall.ingest.writer.housekeeping().new_case_ids, "raised once, not every pass"
    assert SiteService(hall.ctx).overview()[0].offline
    feed_minutes(hall, clock, [0.7])
    assert not SiteService(hall.ctx).overview()[0].offline


def test_cleaning_records_show_what_is_due(hall: Hall, clock: FakeClock) -> None:
    service = SiteService(hall.ctx)
    assert service.overview()[0].cleaning is CleaningStatus.UNKNOWN
    today = clock.now.astimezone(hall.ctx.tz).date()
    service.record_cleaning(Cleaning(MN, today - timedelta(days=40), "绿源清洗公司",
                                     today - timedelta(days=10)))
    assert service.overview()[0].cleaning is CleaningStatus.OVERDUE
    service.record_cleaning(Cleaning(MN, today, "绿源清洗公司", today + timedelta(days=5)))
    row = service.overview()[0]
    assert row.cleaning is CleaningStatus.DUE_SOON and row.last_cleaning.cleaned_on == today
    with pytest.raises(KeyError):
        service.record_cleaning(Cleaning("NOPE", date(2026, 1, 1), "x", date(2026, 2, 1)))


def test_chart_readings_of_the_last_hours(hall: Hall, clock: FakeClock) -> None:
    feed_minutes(hall, clock, [0.5, 0.7, 0.9])
    series = SiteService(hall.ctx).readings(MN, hours=1)
    assert [v["a34041"] for _, v in series] == [0.5, 0.7, 0.9]
