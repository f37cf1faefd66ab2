"""What the ingest process pickles for the console comes back equal, frozen, and in one piece."""

from __future__ import annotations

import dataclasses
import pickle
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from commandcenter.domain.case import Case, CaseState, Deadline
from commandcenter.domain.event import Location
from commandcenter.domain.pickling import quick_pickle
from commandcenter.domain.speaker import AckStatus, Announcement
from commandcenter.domain.unit import Unit, UnitStatus
from commandcenter.services.changes import Changes

AT = datetime(2026, 11, 28, 8, 30, tzinfo=UTC)


def a_case(case_id: int) -> Case:
    return Case(
        id=case_id, number=f"CC-20261128-{case_id:04d}", category="0501", priority=2,
        title="民安花苑北门有流动摊贩占道经营", state=CaseState.DISPATCHED, reported_at=AT,
        location=Location(32.0305, 120.8702, "民安花苑北门"), street="城东街道",
        assignee="u-1", assignee_name="张伟", dispatched_at=AT + timedelta(minutes=2),
        deadlines={"register": Deadline("register", AT + timedelta(minutes=5), 300.0, AT),
                   "arrive": Deadline("arrive", AT + timedelta(minutes=17), 900.0)},
        updated_at=AT, version=3)


def test_a_batch_of_changes_round_trips() -> None:
    changes = Changes(
        cases={i: a_case(i) for i in range(1, 4)},
        units={"u-1": Unit("u-1", "张伟", squad="一中队", status=UnitStatus.EN_ROUTE,
                           lat=32.03, lon=120.87, position_at=AT, case_id=1)},
        new_case_ids=[2, 3], events_stored=2,
        announcements={"r1": Announcement("r1", "sp-1", 1, "请勿占道经营", 3, AT, "d-1",
                                          acked_at=AT, ack_status=AckStatus.PLAYED)})
    back = pickle.loads(pickle.dumps(changes, protocol=pickle.HIGHEST_PROTOCOL))
    assert back == changes
    case = back.cases[1]
    assert type(case.state) is CaseState and type(case.location) is Location
    assert case.deadlines["arrive"].fraction_used(AT + timedelta(minutes=17)) == 1.0


def test_unpickled_objects_stay_frozen() -> None:
    back = pickle.loads(pickle.dumps(a_case(1)))
    with pytest.raises(dataclasses.FrozenInstanceError):
        back.title = "changed"  # type: ignore[misc]


@quick_pickle
@dataclass(frozen=True, slots=True)
class _One:
    only: int


def test_a_class_of_one_field() -> None:
    assert pickle.loads(pickle.dumps(_One(5))) == _One(5)


def test_state_from_another_field_list_is_refused() -> None:
    """State from a program whose class had other fields fails loudly, never half-built (the
    console and its child always run the same code; this guards the assumption)."""
    blank = _One.__new__(_One)
    with pytest.raises(ValueError):
        blank.__setstate__((5, 6))  # type: ignore[attr-defined]
