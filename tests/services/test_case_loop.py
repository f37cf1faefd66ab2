"""The whole closed loop through the real services and a real database."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta

import pytest

from commandcenter.config import Settings
from commandcenter.domain.case import Action, CaseState
from commandcenter.domain.errors import IllegalTransition, NotPermitted, StaleCase
from commandcenter.domain.unit import Unit, UnitStatus
from commandcenter.hall import Hall, open_hall
from commandcenter.ingest.message import InboundMessage
from commandcenter.services import audit
from commandcenter.services.actor import DISPATCHER, SUPERVISOR, Actor
from commandcenter.services.case_flow import ActionRefused
from tests.conftest import FakeClock, event_payload

DISPATCH = Actor("user:li", "李调度", frozenset({DISPATCHER}))
CHIEF = Actor("user:wang", "王值班长", frozenset({DISPATCHER, SUPERVISOR}))


@pytest.fixture
def sent() -> list[tuple[str, bytes]]:
    return []


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def hall(request: pytest.FixtureRequest, clock: FakeClock,
         sent: list[tuple[str, bytes]]) -> Iterator[Hall]:
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")
    h = open_hall(Settings(db_url=url))
    h.ctx.clock = clock
    h.outbox.set_publisher(lambda topic, payload: sent.append((topic, payload)))
    h.cases.register_units([Unit("u-1", "张伟", squad="城东中队", lat=32.03, lon=120.87,
                                 position_at=clock.now)])
    yield h
    h.close()


def feed(hall: Hall, clock: FakeClock, topic: str, payload: bytes):
    return hall.ingest.process_now([InboundMessage(topic, payload, clock.now)])


def reply(hall: Hall, clock: FakeClock, status: str, number: str, **extra: object):
    body = {"status": status, "case_id": number, "ts": clock.now.isoformat(), **extra}
    return feed(hall, clock, "cc/v1/unit/u-1/status", json.dumps(body).encode())


def test_report_to_closed_case(hall: Hall, clock: FakeClock,
                               sent: list[tuple[str, bytes]]) -> None:
    changes = feed(hall, clock, "cc/v1/event/suishoupai", event_payload())
    (case_id,) = changes.new_case_ids
    case = changes.cases[case_id]
    assert case.state is CaseState.REPORTED
    assert case.number == "CC-20261128-0001"
    assert case.next_deadline().kind == "register"

    clock.advance(minutes=1)
    case = hall.cases.act(case_id, Action.REGISTER, DISPATCH,
                          expected_version=case.version).cases[case_id]
    assert case.state is CaseState.REGISTERED
    # 占道经营: officer on scene within 15 minutes of 立案.
    assert case.deadlines["arrive"].due - clock.now == timedelta(minutes=15)

    clock.advance(minutes=1)
    changes = hall.cases.act(case_id, Action.DISPATCH, DISPATCH, expected_version=case.version,
                             assignee="u-1")
    case = changes.cases[case_id]
    assert case.state is CaseState.DISPATCHED and case.assignee_name == "张伟"
    assert changes.units["u-1"].status is UnitStatus.DISPATCHED
    topic, payload = sent[-1]
    assert topic == "cc/v1/dispatch/u-1"
    order = json.loads(payload)
    assert order["case_id"] == case.number and order["location"]["crs"] == "wgs84"

    clock.advance(seconds=40)
    case = reply(hall, clock, "accepted", case.number).cases[case_id]
    assert case.state is CaseState.IN_PROGRESS and case.accepted_at == clock.now
    clock.advance(minutes=8)
    changes = reply(hall, clock, "on_scene", case.number)
    case = changes.cases[case_id]
    assert case.arrived_at == clock.now and case.deadlines["arrive"].met_at == clock.now
    assert changes.units["u-1"].status is UnitStatus.ON_SCENE
    clock.advance(minutes=5)
    case = reply(hall, clock, "handled", case.number, note="已劝离摊贩").cases[case_id]
    assert case.state is CaseState.HANDLED

    case = hall.cases.act(case_id, Action.CHECK, DISPATCH,
                          expected_version=case.version).cases[case_id]
    case = hall.cases.act(case_id, Action.CLOSE, DISPATCH,
                          expected_version=case.version).cases[case_id]
    assert case.state is CaseState.CLOSED and case.next_deadline() is None

    detail = hall.cases.detail(case_id)
    assert [t.action for t in detail.timeline] == [
        "report", "register", "dispatch", "accept", "arrive", "handle", "check", "close"]
    assert detail.events[0].event.title == "民安花苑北门有流动摊贩占道经营"
    with hall.ctx.db.read() as s:
        assert audit.verify(s).ok


def test_redelivered_reply_is_harmless(hall: Hall, clock: FakeClock) -> None:
    (case_id,) = feed(hall, clock, "cc/v1/event/suishoupai", event_payload()).new_case_ids
    case = hall.cases.act(case_id, Action.REGISTER, DISPATCH, expected_version=1).cases[case_id]
    case = hall.cases.act(case_id, Action.DISPATCH, DISPATCH, expected_version=case.version,
                          assignee="u-1").cases[case_id]
    reply(hall, clock, "accepted", case.number)
    again = reply(hall, clock, "accepted", case.number)
    assert again.duplicates == 1 and again.quarantined == 0
    # "on_scene" without a prior "accepted" implies it.
    clock.advance(minutes=2)
    assert reply(hall, clock, "on_scene", case.number).cases[case_id].arrived_at == clock.now


def test_illegal_and_unpermitted_actions(hall: Hall, clock: FakeClock) -> None:
    (case_id,) = feed(hall, clock, "cc/v1/event/suishoupai", event_payload()).new_case_ids
    with pytest.raises(IllegalTransition, match="待立案"):
        hall.cases.act(case_id, Action.CLOSE, DISPATCH, expected_version=1)
    with pytest.raises(ActionRefused, match="原因"):
        hall.cases.act(case_id, Action.CANCEL, DISPATCH, expected_version=1)
    case = hall.cases.act(case_id, Action.REGISTER, DISPATCH, expected_version=1).cases[case_id]
    with pytest.raises(StaleCase):
        hall.cases.act(case_id, Action.DISPATCH, DISPATCH, expected_version=1, assignee="u-1")
    case = hall.cases.act(case_id, Action.DISPATCH, DISPATCH, expected_version=case.version,
                          assignee="u-1").cases[case_id]
    with pytest.raises(NotPermitted, match="值班长"):
        hall.cases.act(case_id, Action.CANCEL, DISPATCH, expected_version=case.version,
                       note="重复")
    case = hall.cases.act(case_id, Action.CANCEL, CHIEF, expected_version=case.version,
                          note="重复上报").cases[case_id]
    assert case.state is CaseState.CANCELLED and case.cancel_reason == "重复上报"
    assert hall.cases.snapshot().units[0].status is UnitStatus.AVAILABLE


def test_reply_from_another_unit_is_quarantined(hall: Hall, clock: FakeClock) -> None:
    hall.cases.register_units([Unit("u-2", "李强")])
    (case_id,) = feed(hall, clock, "cc/v1/event/suishoupai", event_payload()).new_case_ids
    case = hall.cases.act(case_id, Action.REGISTER, DISPATCH, expected_version=1).cases[case_id]
    hall.cases.act(case_id, Action.DISPATCH, DISPATCH, expected_version=case.version,
                   assignee="u-1")
    body = {"status": "accepted", "case_id": case.number, "ts": clock.now.isoformat()}
    changes = feed(hall, clock, "cc/v1/unit/u-2/status", json.dumps(body).encode())
    assert changes.quarantined == 1
    assert hall.cases.detail(case_id).case.state is CaseState.DISPATCHED


def test_suspension_stops_the_clock(hall: Hall, clock: FakeClock) -> None:
    (case_id,) = feed(hall, clock, "cc/v1/event/suishoupai", event_payload()).new_case_ids
    case = hall.cases.act(case_id, Action.REGISTER, DISPATCH, expected_version=1).cases[case_id]
    due = case.deadlines["arrive"].due
    case = hall.cases.act(case_id, Action.SUSPEND, CHIEF, expected_version=case.version,
                          note="等待产权单位确认").cases[case_id]
    assert case.next_deadline() is None
    clock.advance(hours=2)
    case = hall.cases.act(case_id, Action.RESUME, CHIEF,
                          expected_version=case.version).cases[case_id]
    assert case.state is CaseState.REGISTERED
    assert case.deadlines["arrive"].due == due + timedelta(hours=2)


def test_state_survives_reopening(sqlite_url: str, clock: FakeClock) -> None:
    h = open_hall(Settings(db_url=sqlite_url))
    h.ctx.clock = clock
    (case_id,) = feed(h, clock, "cc/v1/event/suishoupai", event_payload()).new_case_ids
    case = h.cases.act(case_id, Action.REGISTER, DISPATCH, expected_version=1).cases[case_id]
    h.close()
    again = open_hall(Settings(db_url=sqlite_url))
    try:
        reloaded = again.cases.snapshot().cases[0]
        assert reloaded == case
        assert reloaded.deadlines["arrive"].due == case.deadlines["arrive"].due
    finally:
        again.close()


def test_audit_chain_holds_for_times_in_any_offset(sqlite_url: str) -> None:
    """The hall's clock may hand out +08:00 times; the chain must verify after a reload."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    clock = FakeClock(datetime(2026, 11, 29, 0, 30, tzinfo=ZoneInfo("Asia/Shanghai")))
    h = open_hall(Settings(db_url=sqlite_url))
    h.ctx.clock = clock
    try:
        (case_id,) = feed(h, clock, "cc/v1/event/suishoupai", event_payload()).new_case_ids
        h.cases.act(case_id, Action.REGISTER, DISPATCH, expected_version=1)
        with h.ctx.db.read() as s:
            assert audit.verify(s).ok
    finally:
        h.close()
