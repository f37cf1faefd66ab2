"""Several residents report the same vendor: one case, all its signals; a wrong merge splits."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from commandcenter.config import Settings
from commandcenter.domain.case import Action, CaseState
from commandcenter.hall import Hall, open_hall
from commandcenter.ingest.message import InboundMessage
from commandcenter.services.actor import DISPATCHER, Actor
from commandcenter.services.case_flow import ActionRefused
from tests.conftest import FakeClock, event_payload

DISPATCH = Actor("user:li", "李调度", frozenset({DISPATCHER}))
NORTH_GATE = {"lat": 32.0305, "lon": 120.8702, "crs": "wgs84", "address": "民安花苑北门"}
NEARBY = {"lat": 32.0307, "lon": 120.8704, "crs": "wgs84", "address": "民安花苑北门东侧"}  # ~30 m
FAR = {"lat": 32.0405, "lon": 120.8802, "crs": "wgs84", "address": "晨苑小区"}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def hall(request: pytest.FixtureRequest, clock: FakeClock) -> Iterator[Hall]:
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")
    h = open_hall(Settings(db_url=url))
    h.ctx.clock = clock
    yield h
    h.close()


def report(hall: Hall, clock: FakeClock, sid: str, location: dict[str, object],
           category: str = "0501") -> int:
    payload = event_payload(source_id=sid, location=location, category=category,
                            occurred_at=clock.now.isoformat())
    (case_id,) = hall.ingest.process_now(
        [InboundMessage("cc/v1/event/suishoupai", payload, clock.now)]).new_case_ids
    return case_id


def test_second_report_is_proposed_with_the_reason(hall: Hall, clock: FakeClock) -> None:
    first = report(hall, clock, "a", NORTH_GATE)
    clock.advance(minutes=6)
    second = report(hall, clock, "b", NEARBY)
    case = hall.cases.detail(second).case
    number = hall.cases.detail(first).case.number
    assert case.duplicate_of == first
    assert case.duplicate_note is not None
    assert number in case.duplicate_note and "同类" in case.duplicate_note
    assert "6 分钟" in case.duplicate_note and "米" in case.duplicate_note


def test_related_category_close_by_is_proposed_far_or_late_is_not(hall: Hall,
                                                                  clock: FakeClock) -> None:
    first = report(hall, clock, "a", NORTH_GATE)
    related = report(hall, clock, "b", NEARBY, category="0502")  # 店外经营 ~ 占道经营
    assert hall.cases.detail(related).case.duplicate_of == first
    far = report(hall, clock, "c", FAR)
    assert hall.cases.detail(far).case.duplicate_of is None
    other = report(hall, clock, "d", NEARBY, category="0503")  # 违章停车: unrelated
    assert hall.cases.detail(other).case.duplicate_of is None
    clock.advance(minutes=45)  # beyond the 30-minute window of the first case
    late = report(hall, clock, "e", NEARBY)
    assert hall.cases.detail(late).case.duplicate_of != first


def test_merge_then_split(hall: Hall, clock: FakeClock) -> None:
    first = report(hall, clock, "a", NORTH_GATE)
    second = report(hall, clock, "b", NEARBY)
    signal = hall.cases.detail(second).case
    changes = hall.cases.merge(second, first, DISPATCH, expected_version=signal.version)
    assert changes.cases[second].state is CaseState.CANCELLED
    assert changes.cases[second].merged_into == first
    target = hall.cases.detail(first)
    assert target.case.event_count == 2 and len(target.events) == 2
    assert target.timeline[-1].action == "attach"

    moved = next(r for r in target.events if r.event.source_id == "b")
    changes = hall.cases.split(moved.id, DISPATCH)
    (new_id,) = changes.new_case_ids
    assert changes.cases[first].event_count == 1
    assert hall.cases.detail(new_id).case.state is CaseState.REPORTED
    assert [r.event.source_id for r in hall.cases.detail(new_id).events] == ["b"]
    with pytest.raises(ActionRefused, match="只有这一条信号"):
        hall.cases.split(moved.id, DISPATCH)


def test_only_waiting_signals_merge(hall: Hall, clock: FakeClock) -> None:
    first = report(hall, clock, "a", NORTH_GATE)
    second = report(hall, clock, "b", NEARBY)
    case = hall.cases.act(second, Action.REGISTER, DISPATCH, expected_version=1).cases[second]
    with pytest.raises(ActionRefused, match="已立案"):
        hall.cases.merge(second, first, DISPATCH, expected_version=case.version)
