"""Timers that act (督办) and supervised exceptions (延期 and friends) through real services."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from commandcenter.config import Settings
from commandcenter.domain.case import Action, CaseState
from commandcenter.domain.errors import NotPermitted
from commandcenter.domain.unit import Unit
from commandcenter.hall import Hall, open_hall
from commandcenter.ingest.message import InboundMessage
from commandcenter.services import audit
from commandcenter.services.actor import DISPATCHER, SUPERVISOR, Actor
from commandcenter.services.case_flow import ActionRefused
from tests.conftest import FakeClock, event_payload

DISPATCH = Actor("user:li", "李调度", frozenset({DISPATCHER}))
CHIEF = Actor("user:wang", "王值班长", frozenset({DISPATCHER, SUPERVISOR}))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def hall(request: pytest.FixtureRequest, clock: FakeClock) -> Iterator[Hall]:
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")
    h = open_hall(Settings(db_url=url))
    h.ctx.clock = clock
    h.outbox.set_publisher(lambda _t, _p: None)
    h.cases.register_units([Unit("u-1", "张伟", lat=32.03, lon=120.87, position_at=clock.now)])
    yield h
    h.close()


def registered_case(hall: Hall, clock: FakeClock) -> int:
    (case_id,) = hall.ingest.process_now([InboundMessage(
        "cc/v1/event/suishoupai", event_payload(), clock.now)]).new_case_ids
    hall.cases.act(case_id, Action.REGISTER, DISPATCH, expected_version=1)
    return case_id


def test_overdue_case_is_escalated_once_until_dealt_with(hall: Hall, clock: FakeClock) -> None:
    case_id = registered_case(hall, clock)
    clock.advance(minutes=14)
    assert hall.ingest.writer.housekeeping().escalated_ids == []
    clock.advance(minutes=2)  # vendor: on scene within 15 minutes
    changes = hall.ingest.writer.housekeeping()
    assert changes.escalated_ids == [case_id]
    assert changes.cases[case_id].escalated_at == clock.now
    clock.advance(seconds=30)
    assert hall.ingest.writer.housekeeping().escalated_ids == [], "flagged once"
    detail = hall.cases.detail(case_id)
    assert detail.timeline[-1].action == "escalate" and "到场超时" in detail.timeline[-1].note

    # Dispatching does not meet the late "arrive" deadline: still flagged.
    case = hall.cases.act(case_id, Action.DISPATCH, DISPATCH, expected_version=detail.case.version,
                          assignee="u-1").cases[case_id]
    assert case.escalated_at is not None
    case = hall.cases.act(case_id, Action.ACCEPT, DISPATCH,
                          expected_version=case.version).cases[case_id]
    case = hall.cases.act(case_id, Action.ARRIVE, DISPATCH,
                          expected_version=case.version).cases[case_id]
    assert case.escalated_at is None, "on scene: dealt with"


def test_supervisor_extension_moves_the_remaining_deadlines(hall: Hall,
                                                            clock: FakeClock) -> None:
    case_id = registered_case(hall, clock)
    case = hall.cases.detail(case_id).case
    arrive, resolve = case.deadlines["arrive"].due, case.deadlines["resolve"].due
    with pytest.raises(NotPermitted, match="值班长"):
        hall.cases.act(case_id, Action.EXTEND, DISPATCH, expected_version=case.version,
                       note="交通管制", extend_by=timedelta(minutes=20))
    case = hall.cases.act(case_id, Action.EXTEND, CHIEF, expected_version=case.version,
                          note="交通管制", extend_by=timedelta(minutes=20)).cases[case_id]
    assert case.deadlines["arrive"].due == arrive + timedelta(minutes=20)
    assert case.deadlines["resolve"].due == resolve + timedelta(minutes=20)
    assert case.state is CaseState.REGISTERED


def test_dispatcher_requests_supervisor_approves(hall: Hall, clock: FakeClock) -> None:
    case_id = registered_case(hall, clock)
    due = hall.cases.detail(case_id).case.deadlines["arrive"].due
    hall.requests.request(case_id, Action.EXTEND, DISPATCH, "现场封路，需绕行", minutes=15)
    with pytest.raises(ActionRefused, match="已有待审批"):
        hall.requests.request(case_id, Action.EXTEND, DISPATCH, "再次申请", minutes=5)
    (pending,) = hall.requests.pending()
    assert pending.action is Action.EXTEND and pending.minutes == 15
    with pytest.raises(ActionRefused, match="不是值班长"):
        hall.requests.decide(pending.id, True, DISPATCH)
    changes = hall.requests.decide(pending.id, True, CHIEF, "同意")
    assert changes.cases[case_id].deadlines["arrive"].due == due + timedelta(minutes=15)
    assert hall.requests.pending() == []
    timeline = hall.cases.detail(case_id).timeline
    assert [t.action for t in timeline][-2:] == ["request_extend", "extend"]
    assert "王值班长 批准" in timeline[-1].note
    with hall.ctx.db.read() as s:
        assert audit.verify(s).ok


def test_refused_request_changes_nothing(hall: Hall, clock: FakeClock) -> None:
    case_id = registered_case(hall, clock)
    before = hall.cases.detail(case_id).case
    hall.requests.request(case_id, Action.SUSPEND, DISPATCH, "等待物业确认")
    (pending,) = hall.requests.pending()
    hall.requests.decide(pending.id, False, CHIEF, "请先联系物业")
    after = hall.cases.detail(case_id).case
    assert after.state is CaseState.REGISTERED and after.version == before.version
    assert hall.cases.detail(case_id).timeline[-1].action == "refuse"


def test_requests_only_for_supervised_legal_actions(hall: Hall, clock: FakeClock) -> None:
    case_id = registered_case(hall, clock)
    with pytest.raises(ActionRefused, match="无需审批"):
        hall.requests.request(case_id, Action.CANCEL, DISPATCH, "重复")  # dispatcher may
    from commandcenter.domain.errors import IllegalTransition

    with pytest.raises(IllegalTransition):
        hall.requests.request(case_id, Action.REWORK, DISPATCH, "返工")
