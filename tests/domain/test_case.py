"""The case's transition table: every legal step, every illegal one, and random walks through it."""

from __future__ import annotations

import re
from dataclasses import fields, replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from commandcenter.domain.case import (
    NEEDS_REASON,
    OPEN_STATES,
    SUPERVISED,
    TERMINAL_STATES,
    TRANSITIONS,
    UNIT_ACTIONS,
    Action,
    Case,
    CaseState,
    Deadline,
    action_name_zh,
    allowed_actions,
    next_state,
    state_name_zh,
    transition,
    with_changes,
)
from commandcenter.domain.errors import IllegalTransition
from commandcenter.domain.event import Location

T0 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
EARLIER = T0 - timedelta(hours=1)
AT = T0 + timedelta(minutes=7)
MILESTONES = ("registered_at", "dispatched_at", "accepted_at", "arrived_at", "handled_at",
              "closed_at", "suspended_at")
CJK = re.compile(r"[\u4e00-\u9fff]")


def make_case(state: CaseState = CaseState.REPORTED, **over: object) -> Case:
    """A case whose milestones are all set to EARLIER, so any change by a transition shows."""
    base = Case(
        id=7, number="CC-20261128-0007", category="0501", priority=2,
        title="民安花苑北门有流动摊贩占道经营", state=state, reported_at=EARLIER,
        location=Location(32.0305, 120.8702, "民安花苑北门"), street="城东街道",
        assignee="u-1", assignee_name="张伟",
        **{name: EARLIER for name in MILESTONES},  # type: ignore[arg-type]
        resumes_to=CaseState.DISPATCHED if state is CaseState.SUSPENDED else None,
        updated_at=EARLIER,
    )
    return replace(base, **over)  # type: ignore[arg-type]


# What each action must change besides `state` and `updated_at`; everything else stays as it was.
def expected_changes(case: Case, action: Action) -> dict[str, object]:
    return {
        Action.REGISTER: {"registered_at": AT},
        Action.DISPATCH: {"dispatched_at": AT, "accepted_at": None},
        Action.ACCEPT: {"accepted_at": AT},
        Action.ARRIVE: {"arrived_at": AT},
        Action.HANDLE: {"handled_at": AT},
        Action.CHECK: {},
        Action.CLOSE: {"closed_at": AT},
        Action.REJECT: {"assignee": None, "assignee_name": None, "dispatched_at": None,
                        "accepted_at": None, "arrived_at": None},
        Action.RETURN: {"assignee": None, "assignee_name": None, "dispatched_at": None,
                        "accepted_at": None, "arrived_at": None},
        Action.REWORK: {"handled_at": None, "arrived_at": None, "accepted_at": None,
                        "dispatched_at": AT},
        Action.SUSPEND: {"suspended_at": AT, "resumes_to": case.state},
        Action.RESUME: {"suspended_at": None, "resumes_to": None},
        Action.CANCEL: {"suspended_at": None, "resumes_to": None},  # no clock left to resume
        Action.EXTEND: {},  # only the deadlines move (domain/sla.py)
    }[action]


@pytest.mark.parametrize(("state", "action"), list(TRANSITIONS), ids=lambda v: str(v))
def test_every_legal_transition(state: CaseState, action: Action) -> None:
    case = make_case(state)
    after = transition(case, action, AT)

    target = case.resumes_to if action is Action.RESUME else TRANSITIONS[(state, action)]
    assert after.state is target
    assert after.updated_at == AT
    changed = expected_changes(case, action)
    for f in fields(Case):
        if f.name in ("state", "updated_at"):
            continue
        want = changed.get(f.name, getattr(case, f.name))
        assert getattr(after, f.name) == want, f.name
    # The input is never modified: the service compares before and after for the audit log.
    assert case.state is state


def test_the_closed_loop_of_gb_t_30428() -> None:
    """上报 → 立案 → 派遣 → 处置 → 反馈 → 核查 → 结案, spelled out independently of the table."""
    S, A = CaseState, Action
    case = make_case(S.REPORTED)
    for action, state in [(A.REGISTER, S.REGISTERED), (A.DISPATCH, S.DISPATCHED),
                          (A.REJECT, S.REGISTERED), (A.DISPATCH, S.DISPATCHED),
                          (A.ACCEPT, S.IN_PROGRESS), (A.ARRIVE, S.IN_PROGRESS),
                          (A.HANDLE, S.HANDLED), (A.CHECK, S.CHECKING),
                          (A.REWORK, S.DISPATCHED), (A.ACCEPT, S.IN_PROGRESS),
                          (A.HANDLE, S.HANDLED), (A.CHECK, S.CHECKING), (A.CLOSE, S.CLOSED)]:
        case = transition(case, action, AT)
        assert case.state is state, action


ILLEGAL = [(s, a) for s in CaseState for a in Action if (s, a) not in TRANSITIONS]


def test_the_table_leaves_most_pairs_illegal() -> None:
    assert len(ILLEGAL) + len(TRANSITIONS) == len(CaseState) * len(Action)
    assert len(ILLEGAL) > 80


@pytest.mark.parametrize(("state", "action"), ILLEGAL, ids=lambda v: str(v))
def test_every_illegal_transition_is_a_clear_error(state: CaseState, action: Action) -> None:
    case = make_case(state)
    with pytest.raises(IllegalTransition) as info:
        transition(case, action, AT)
    message = str(info.value)
    assert state_name_zh(state) in message
    assert f"“{action_name_zh(action)}”" in message
    assert case.number in message
    assert CJK.search(message)
    # It also names what *is* possible, so the dispatcher knows the way forward.
    for legal in allowed_actions(state):
        assert action_name_zh(legal) in message
    if not allowed_actions(state):
        assert "无" in message


@pytest.mark.parametrize("state", [s for s in CaseState if (s, Action.SUSPEND) in TRANSITIONS])
def test_resume_returns_to_the_state_before_suspension(state: CaseState) -> None:
    case = make_case(state, suspended_at=None, resumes_to=None, arrived_at=None)
    if state is CaseState.IN_PROGRESS:
        case = transition(case, Action.ARRIVE, T0)
    suspended = transition(case, Action.SUSPEND, AT)
    assert suspended.state is CaseState.SUSPENDED and suspended.resumes_to is state
    assert suspended.suspended_at == AT

    resumed = transition(suspended, Action.RESUME, AT + timedelta(hours=3))
    assert resumed.state is state
    assert resumed.suspended_at is None and resumed.resumes_to is None
    # The work done before the suspension is not lost.
    assert resumed.arrived_at == case.arrived_at
    assert resumed.assignee == case.assignee


def test_resume_without_a_remembered_state_is_refused() -> None:
    case = make_case(CaseState.SUSPENDED, resumes_to=None)
    with pytest.raises(IllegalTransition, match="挂账前"):
        next_state(case, Action.RESUME)


def test_cancel_from_suspension_is_final() -> None:
    case = transition(make_case(CaseState.SUSPENDED), Action.CANCEL, AT)
    assert case.state is CaseState.CANCELLED and not case.is_open
    with pytest.raises(IllegalTransition, match="已作废"):
        transition(case, Action.RESUME, AT)


def test_allowed_actions_agree_with_the_table() -> None:
    for state in CaseState:
        for action in Action:
            legal = action in allowed_actions(state)
            assert legal == ((state, action) in TRANSITIONS)
    for state in TERMINAL_STATES:
        assert allowed_actions(state) == []
    for state in OPEN_STATES:
        assert allowed_actions(state), f"{state} is a dead end"


def _successors(state: CaseState, remembered: CaseState | None) -> set[tuple[CaseState,
                                                                            CaseState | None]]:
    out = set()
    for action in allowed_actions(state):
        if action is Action.RESUME:
            if remembered is not None:
                out.add((remembered, None))
        elif action is Action.SUSPEND:
            out.add((CaseState.SUSPENDED, state))
        else:
            out.add((TRANSITIONS[(state, action)], remembered))
    return out


@pytest.mark.parametrize("state", sorted(OPEN_STATES - {CaseState.SUSPENDED}))
def test_every_open_case_can_still_be_closed(state: CaseState) -> None:
    """No state strands a case: from anywhere in the loop, 结案 stays reachable."""
    seen = {(state, None)}
    todo = [(state, None)]
    while todo:
        node = todo.pop()
        for nxt in _successors(*node):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    assert (CaseState.CLOSED, None) in seen


def test_exceptions_need_a_supervisor_and_a_reason() -> None:
    for action in (Action.SUSPEND, Action.RESUME, Action.RETURN, Action.REWORK):
        pairs = [(s, a) for (s, a) in TRANSITIONS if a is action]
        assert pairs and all(pair in SUPERVISED for pair in pairs)
    # Cancelling a fresh signal (a duplicate, a false alarm) is routine; once a unit is involved,
    # it is an exception.
    assert (CaseState.REPORTED, Action.CANCEL) not in SUPERVISED
    assert (CaseState.REGISTERED, Action.CANCEL) not in SUPERVISED
    for state in (CaseState.DISPATCHED, CaseState.IN_PROGRESS, CaseState.SUSPENDED):
        assert (state, Action.CANCEL) in SUPERVISED
    # The normal loop needs no supervisor.
    for action in (Action.REGISTER, Action.DISPATCH, Action.ACCEPT, Action.ARRIVE, Action.HANDLE,
                   Action.CHECK, Action.CLOSE):
        assert not any(a is action for (_, a) in SUPERVISED)
    assert {Action.CANCEL, Action.SUSPEND, Action.RETURN, Action.REWORK} <= NEEDS_REASON
    assert Action.REGISTER not in NEEDS_REASON and Action.CLOSE not in NEEDS_REASON
    assert UNIT_ACTIONS == {Action.ACCEPT, Action.REJECT, Action.ARRIVE, Action.HANDLE}


# --- deadlines -----------------------------------------------------------------------------

def test_next_deadline_is_the_earliest_unmet_one() -> None:
    arrive = Deadline("arrive", T0 + timedelta(minutes=15), 900)
    resolve = Deadline("resolve", T0 + timedelta(hours=1), 3600)
    register = Deadline("register", T0 - timedelta(minutes=5), 600, met_at=T0)
    case = make_case(CaseState.REGISTERED,
                     deadlines={"register": register, "arrive": arrive, "resolve": resolve})
    assert case.next_deadline() == arrive

    met = replace(case, deadlines={**case.deadlines,
                                   "arrive": replace(arrive, met_at=T0 + timedelta(minutes=9))})
    assert met.next_deadline() == resolve

    all_met = replace(met, deadlines={k: replace(d, met_at=T0) for k, d in met.deadlines.items()})
    assert all_met.next_deadline() is None
    assert make_case(CaseState.REGISTERED).next_deadline() is None


@pytest.mark.parametrize("state", [CaseState.SUSPENDED, CaseState.CLOSED, CaseState.CANCELLED])
def test_no_running_timer_while_suspended_or_finished(state: CaseState) -> None:
    arrive = Deadline("arrive", T0 + timedelta(minutes=15), 900)
    assert make_case(state, deadlines={"arrive": arrive}).next_deadline() is None


def test_fraction_used_runs_from_zero_to_one_at_the_deadline() -> None:
    d = Deadline("arrive", T0 + timedelta(minutes=15), 900)
    assert d.fraction_used(T0) == pytest.approx(0.0)
    assert d.fraction_used(T0 + timedelta(minutes=7, seconds=30)) == pytest.approx(0.5)
    assert d.fraction_used(T0 + timedelta(minutes=15)) == pytest.approx(1.0)
    assert d.fraction_used(T0 + timedelta(minutes=30)) == pytest.approx(2.0)


def test_fraction_used_of_a_zero_allowance_jumps_at_the_deadline() -> None:
    d = Deadline("check", T0, 0)
    assert d.fraction_used(T0 - timedelta(seconds=1)) == 0.0
    assert d.fraction_used(T0) == 1.0
    assert d.fraction_used(T0 + timedelta(seconds=1)) == 1.0


# --- random walks --------------------------------------------------------------------------

class CaseWalk(RuleBasedStateMachine):
    """Any sequence of actions: only IllegalTransition is ever raised, the state always follows
    the table, and a finished case stays finished."""

    @initialize()
    def start(self) -> None:
        self.now = T0
        self.case = make_case(CaseState.REPORTED, assignee=None, assignee_name=None,
                              **{name: None for name in MILESTONES})  # type: ignore[arg-type]
        self.model: CaseState = CaseState.REPORTED
        self.before_suspension: CaseState | None = None

    @rule(action=st.sampled_from(Action), minutes=st.integers(0, 90))
    def act(self, action: Action, minutes: int) -> None:
        self.now += timedelta(minutes=minutes)
        legal = (self.model, action) in TRANSITIONS
        try:
            after = transition(self.case, action, self.now)
        except IllegalTransition:
            assert not legal or (action is Action.RESUME and self.before_suspension is None)
            return
        assert legal, f"{action} was accepted in {self.model}"
        if action is Action.RESUME:
            assert self.before_suspension is not None
            self.model, self.before_suspension = self.before_suspension, None
        elif action is Action.SUSPEND:
            self.model, self.before_suspension = CaseState.SUSPENDED, self.model
        else:
            self.model = TRANSITIONS[(self.model, action)]
        assert after.state is self.model
        assert after.updated_at == self.now
        self.case = after

    @invariant()
    def consistent(self) -> None:
        if not hasattr(self, "case"):
            return
        case = self.case
        suspended = case.state is CaseState.SUSPENDED
        if case.is_open:
            assert (case.suspended_at is not None) == suspended
            assert (case.resumes_to is not None) == suspended
        assert case.resumes_to is not CaseState.SUSPENDED
        if case.state is CaseState.CLOSED:
            assert case.closed_at is not None
        if case.state in (CaseState.IN_PROGRESS, CaseState.HANDLED, CaseState.CHECKING):
            assert case.dispatched_at is not None
        if case.state in (CaseState.HANDLED, CaseState.CHECKING):
            assert case.handled_at is not None

    @invariant()
    def finished_stays_finished(self) -> None:
        if not hasattr(self, "case") or self.case.state not in TERMINAL_STATES:
            return
        for action in Action:
            with pytest.raises(IllegalTransition):
                transition(self.case, action, self.now)


CaseWalk.TestCase.settings = settings(max_examples=150, stateful_step_count=40, deadline=None)
test_random_walks_through_the_loop = CaseWalk.TestCase


def test_with_changes_is_replace() -> None:
    case = make_case(CaseState.IN_PROGRESS, deadlines={"arrive": Deadline("arrive", AT, 900.0)},
                     duplicate_note="疑似重复", event_count=3, version=4)
    for changes in ({}, {"id": 9}, {"id": 9, "duplicate_of": 7, "duplicate_note": None}):
        assert with_changes(case, **changes) == replace(case, **changes)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        with_changes(case, no_such_field=1)
