"""The single ingest writer on a real database: good messages stored, bad ones quarantined."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from commandcenter.config import Settings
from commandcenter.domain.case import Action, CaseState
from commandcenter.domain.unit import Unit
from commandcenter.hall import Hall, open_hall
from commandcenter.ingest.message import InboundMessage
from commandcenter.services.actor import DISPATCHER, Actor
from commandcenter.services.changes import Changes
from commandcenter.store.repositories import CaseRepo, UnitRepo
from commandcenter.store.schema import CaseRow, EventRow, QuarantineRow
from tests.conftest import FakeClock, event_payload

DISPATCH = Actor("user:li", "李调度", frozenset({DISPATCHER}))
MAX_PAYLOAD = 4096


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def hall(request: pytest.FixtureRequest, clock: FakeClock) -> Iterator[Hall]:
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")
    h = open_hall(Settings(db_url=url))
    h.ctx.clock = clock
    h.ingest.writer.max_payload = MAX_PAYLOAD
    h.cases.register_units([Unit("u-1", "张伟", squad="城东中队", lat=32.03, lon=120.87,
                                 position_at=clock.now)])
    yield h
    h.close()


def process(hall: Hall, clock: FakeClock, *messages: tuple[str, bytes]) -> Changes:
    return hall.ingest.writer.process([InboundMessage(t, p, clock.now) for t, p in messages])


def quarantine(hall: Hall) -> list[tuple[str, str, bytes]]:
    with hall.ctx.db.read() as s:
        rows = s.scalars(select(QuarantineRow).order_by(QuarantineRow.id))
        return [(r.source, r.reason_code, bytes(r.payload)) for r in rows]


def count(hall: Hall, row: type) -> int:
    with hall.ctx.db.read() as s:
        return s.scalar(select(func.count()).select_from(row)) or 0


def alarm(source_id: str, device: str = "MN-0001", category: str = "0601") -> bytes:
    return event_payload(source="hj212", source_id=source_id, kind="alarm", device=device,
                         category=category, severity="major", title="油烟浓度超标",
                         measurements={"a34041": {"value": 3.1, "unit": "mg/m3", "flag": "N"}})


def test_a_mixed_batch(hall: Hall, clock: FakeClock) -> None:
    """One bad message never spoils its neighbours; each bad one keeps its bytes and a reason."""
    topic = "cc/v1/event/suishoupai"
    bad = [
        (topic, b"{not json", "not_json"),
        (topic, b"\xff\xfe\x00garbage", "encoding"),
        (topic, event_payload(description="长" * MAX_PAYLOAD), "too_large"),
        ("cc/v1/gossip/suishoupai", event_payload(source_id="r-9"), "unknown_topic"),
        (topic, event_payload(source_id=""), "missing_field"),
        (topic, event_payload(source_id="r-10",
                              location={"lat": 1000, "lon": 120.87, "crs": "wgs84"}),
         "bad_location"),
        (topic, event_payload(source_id="r-11",
                              location={"lat": 32.03, "lon": 120.87, "crs": "tokyo"}),
         "bad_location"),
        (topic, event_payload(source="12345", source_id="r-12"), "invalid_field"),
    ]
    good = [(topic, event_payload(source_id=f"r-{i}")) for i in range(1, 4)]
    good.append(("cc/v1/event/12345", event_payload(source="12345", source_id="r-1")))
    mixed = [good[0], *[(t, p) for t, p, _ in bad[:4]], good[1], good[2],
             *[(t, p) for t, p, _ in bad[4:]], good[3]]

    changes = process(hall, clock, *mixed)

    assert changes.quarantined == len(bad)
    assert changes.events_stored == len(good)
    assert len(changes.new_case_ids) == len(good)
    assert quarantine(hall) == [(t, code, p) for t, p, code in bad]
    assert count(hall, EventRow) == len(good) and count(hall, CaseRow) == len(good)
    with hall.ctx.db.read() as s:
        numbers = sorted(c.number for c in CaseRepo(s).list_open())
    assert numbers == [f"CC-20261128-{n:04d}" for n in range(1, 5)]


def test_the_same_message_twice_is_stored_once(hall: Hall, clock: FakeClock) -> None:
    msg = ("cc/v1/event/suishoupai", event_payload())
    first = process(hall, clock, msg, msg)
    assert first.events_stored == 1 and first.duplicates == 1
    assert len(first.new_case_ids) == 1
    clock.advance(minutes=5)
    again = process(hall, clock, msg)  # a redelivery after a crash before the ack
    assert again.events_stored == 0 and again.duplicates == 1 and not again.new_case_ids
    assert count(hall, EventRow) == 1 and count(hall, CaseRow) == 1
    assert quarantine(hall) == []


def test_a_case_from_a_report(hall: Hall, clock: FakeClock) -> None:
    changes = process(hall, clock, ("cc/v1/event/suishoupai", event_payload(severity="critical")))
    (case_id,) = changes.new_case_ids
    case = changes.cases[case_id]
    assert case.state is CaseState.REPORTED and case.event_count == 1
    assert case.priority == 1  # critical beats the category's routine priority
    assert case.title == "民安花苑北门有流动摊贩占道经营"
    assert case.location is not None and case.location.address == "民安花苑北门"
    assert case.deadlines["register"].due == clock.now + timedelta(minutes=3)
    untitled = process(hall, clock, ("cc/v1/event/suishoupai",
                                     event_payload(source_id="r-2", title="")))
    assert untitled.cases[untitled.new_case_ids[0]].title == "占道经营（流动摊贩）"


@pytest.mark.parametrize("suffix", ["status", "location"])
def test_a_message_from_an_unknown_unit_is_quarantined(hall: Hall, clock: FakeClock,
                                                       suffix: str) -> None:
    payload = json.dumps({"status": "available", "lat": 32.03, "lon": 120.87, "crs": "wgs84",
                          "ts": clock.now.isoformat()}).encode()
    topic = f"cc/v1/unit/u-404/{suffix}"
    changes = process(hall, clock, (topic, payload))
    assert changes.quarantined == 1 and not changes.units
    assert quarantine(hall) == [(topic, "unknown_unit", payload)]
    with hall.ctx.db.read() as s:
        assert UnitRepo(s).get("u-404") is None


def position(clock: FakeClock, lat: float, after: timedelta) -> tuple[str, bytes]:
    body = {"lat": lat, "lon": 120.87, "crs": "wgs84", "ts": (clock.now + after).isoformat()}
    return "cc/v1/unit/u-1/location", json.dumps(body).encode()


def test_a_late_older_fix_does_not_move_the_unit_back(hall: Hall, clock: FakeClock) -> None:
    start = clock.now
    moved = process(hall, clock, position(clock, 32.040, timedelta(minutes=5)))
    assert moved.units["u-1"].lat == pytest.approx(32.040)
    late = process(hall, clock, position(clock, 32.035, timedelta(minutes=3)),
                   position(clock, 32.031, -timedelta(minutes=10)))
    assert "u-1" not in late.units and late.quarantined == 0
    # In one batch, newest first: the newest still wins.
    process(hall, clock, position(clock, 32.050, timedelta(minutes=9)),
            position(clock, 32.045, timedelta(minutes=7)))
    with hall.ctx.db.read() as s:
        unit = UnitRepo(s).get("u-1")
    assert unit is not None
    assert unit.lat == pytest.approx(32.050)
    assert unit.position_at == start + timedelta(minutes=9)
    # The late fixes are still kept as events, for the shift replay.
    with hall.ctx.db.read() as s:
        kept = s.scalar(select(func.count()).select_from(EventRow)
                        .where(EventRow.kind == "unit_location"))
    assert kept == 5


def test_a_repeated_status_reply_is_a_duplicate(hall: Hall, clock: FakeClock) -> None:
    payload = json.dumps({"status": "off_duty", "ts": clock.now.isoformat()}).encode()
    first = process(hall, clock, ("cc/v1/unit/u-1/status", payload))
    assert first.units["u-1"].status == "off_duty"
    again = process(hall, clock, ("cc/v1/unit/u-1/status", payload))
    assert again.duplicates == 1 and not again.units


def test_repeated_alarms_attach_to_the_open_case(hall: Hall, clock: FakeClock) -> None:
    """One active alarm per device and type: a restaurant's fume monitor repeating every
    minute is one case with a growing count, not sixty cases."""
    first = process(hall, clock, ("cc/v1/event/hj212", alarm("a-1")))
    (case_id,) = first.new_case_ids
    for i in range(2, 5):
        clock.advance(minutes=1)
        repeat = process(hall, clock, ("cc/v1/event/hj212", alarm(f"a-{i}")))
        assert repeat.new_case_ids == []
        assert repeat.cases[case_id].event_count == i
    both = process(hall, clock, ("cc/v1/event/hj212", alarm("a-5")),
                   ("cc/v1/event/hj212", alarm("a-6")))
    assert both.new_case_ids == [] and both.cases[case_id].event_count == 6
    with hall.ctx.db.read() as s:
        assert CaseRepo(s).get(case_id).event_count == 6
    assert count(hall, CaseRow) == 1
    assert len(hall.cases.detail(case_id).events) == 6

    # Another device, or another alarm type on the same device, is another case.
    other = process(hall, clock, ("cc/v1/event/hj212", alarm("b-1", device="MN-0002")),
                    ("cc/v1/event/hj212", alarm("c-1", category="0602")))
    assert len(other.new_case_ids) == 2

    # Once the case is closed (here: cancelled), the next alarm opens a new one.
    case = hall.cases.detail(case_id).case
    hall.cases.act(case_id, Action.CANCEL, DISPATCH, expected_version=case.version,
                   note="设备误报")
    fresh = process(hall, clock, ("cc/v1/event/hj212", alarm("a-7")))
    (new_id,) = fresh.new_case_ids
    assert new_id != case_id and fresh.cases[new_id].event_count == 1


def test_repeated_reports_without_a_device_are_separate_cases(hall: Hall,
                                                              clock: FakeClock) -> None:
    changes = process(hall, clock, *[("cc/v1/event/suishoupai",
                                      event_payload(source_id=f"r-{i}", kind="alarm"))
                                     for i in range(3)])
    assert len(changes.new_case_ids) == 3
