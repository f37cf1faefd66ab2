"""The case and its closed loop: 上报 → 立案 → 派遣 → 处置 → 反馈 → 核查 → 结案.

The transition table below is the only place that says which action is legal in which state
(DESIGN.md §3, after GB/T 30428's loop). Services apply actions through `transition()`; the UI asks
`allowed_actions()` to enable its buttons, so the two can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from enum import StrEnum
from operator import attrgetter
from typing import Any

from commandcenter.domain.errors import IllegalTransition
from commandcenter.domain.event import Location
from commandcenter.domain.pickling import quick_pickle


class CaseState(StrEnum):
    REPORTED = "reported"  # 上报: a signal waiting for triage
    REGISTERED = "registered"  # 立案
    DISPATCHED = "dispatched"  # 派遣: sent to a unit, not yet accepted
    IN_PROGRESS = "in_progress"  # 处置: accepted; on scene once `arrived_at` is set
    HANDLED = "handled"  # 反馈: the unit reports it done
    CHECKING = "checking"  # 核查: the hall verifies the result
    CLOSED = "closed"  # 结案
    CANCELLED = "cancelled"  # 作废/注销
    SUSPENDED = "suspended"  # 挂账: clock stopped


class Action(StrEnum):
    REGISTER = "register"  # 立案
    DISPATCH = "dispatch"  # 派遣
    ACCEPT = "accept"  # unit: 接单
    REJECT = "reject"  # unit declines: back for re-dispatch
    ARRIVE = "arrive"  # unit: 到场
    HANDLE = "handle"  # unit: 处置完毕 (反馈)
    CHECK = "check"  # 核查: start verifying
    CLOSE = "close"  # 结案
    REWORK = "rework"  # 返工: the check failed
    RETURN = "return"  # 回退/改派
    EXTEND = "extend"  # 延期: more time for the remaining steps
    SUSPEND = "suspend"  # 挂账
    RESUME = "resume"  # 恢复
    CANCEL = "cancel"  # 作废/注销


OPEN_STATES = frozenset(CaseState) - {CaseState.CLOSED, CaseState.CANCELLED}
TERMINAL_STATES = frozenset({CaseState.CLOSED, CaseState.CANCELLED})

S, A = CaseState, Action
# (state, action) -> next state. RESUME is special: it returns to the state before suspension.
TRANSITIONS: dict[tuple[CaseState, Action], CaseState] = {
    (S.REPORTED, A.REGISTER): S.REGISTERED,
    (S.REPORTED, A.CANCEL): S.CANCELLED,
    (S.REGISTERED, A.DISPATCH): S.DISPATCHED,
    (S.REGISTERED, A.CANCEL): S.CANCELLED,
    (S.REGISTERED, A.SUSPEND): S.SUSPENDED,
    (S.DISPATCHED, A.ACCEPT): S.IN_PROGRESS,
    (S.DISPATCHED, A.REJECT): S.REGISTERED,
    (S.DISPATCHED, A.RETURN): S.REGISTERED,
    (S.DISPATCHED, A.CANCEL): S.CANCELLED,
    (S.DISPATCHED, A.SUSPEND): S.SUSPENDED,
    (S.IN_PROGRESS, A.ARRIVE): S.IN_PROGRESS,
    (S.IN_PROGRESS, A.HANDLE): S.HANDLED,
    (S.IN_PROGRESS, A.RETURN): S.REGISTERED,
    (S.IN_PROGRESS, A.CANCEL): S.CANCELLED,
    (S.IN_PROGRESS, A.SUSPEND): S.SUSPENDED,
    (S.HANDLED, A.CHECK): S.CHECKING,
    (S.HANDLED, A.REWORK): S.DISPATCHED,
    (S.CHECKING, A.CLOSE): S.CLOSED,
    (S.CHECKING, A.REWORK): S.DISPATCHED,
    (S.SUSPENDED, A.RESUME): S.SUSPENDED,  # placeholder: resolved to `resumes_to`
    (S.SUSPENDED, A.CANCEL): S.CANCELLED,
    **{(state, A.EXTEND): state for state in (S.REGISTERED, S.DISPATCHED, S.IN_PROGRESS,
                                              S.HANDLED, S.CHECKING)},
}
del S, A

# Exceptions to the normal loop need a supervisor (值班长) and a reason (DESIGN.md §3).
# Cancelling is the dispatcher's triage call until a unit has been sent; after that it is an
# exception too.
SUPERVISED: frozenset[tuple[CaseState, Action]] = frozenset(
    (state, action) for (state, action) in TRANSITIONS
    if action in {Action.SUSPEND, Action.RESUME, Action.RETURN, Action.REWORK, Action.EXTEND}
    or (action is Action.CANCEL and state not in {CaseState.REPORTED, CaseState.REGISTERED})
)
NEEDS_REASON = frozenset(
    {Action.CANCEL, Action.SUSPEND, Action.RETURN, Action.REWORK, Action.REJECT, Action.EXTEND}
)
# Actions a field unit performs from its app; the hall performs the others.
UNIT_ACTIONS = frozenset({Action.ACCEPT, Action.REJECT, Action.ARRIVE, Action.HANDLE})

_ACTION_ZH = {
    Action.REGISTER: "立案", Action.DISPATCH: "派遣", Action.ACCEPT: "接单", Action.REJECT: "拒单",
    Action.ARRIVE: "到场", Action.HANDLE: "处置完毕", Action.CHECK: "核查", Action.CLOSE: "结案",
    Action.REWORK: "返工", Action.RETURN: "回退", Action.SUSPEND: "挂账", Action.RESUME: "恢复",
    Action.EXTEND: "延期",
    Action.CANCEL: "作废",
}
_STATE_ZH = {
    CaseState.REPORTED: "待立案", CaseState.REGISTERED: "待派遣", CaseState.DISPATCHED: "待接单",
    CaseState.IN_PROGRESS: "处置中", CaseState.HANDLED: "待核查", CaseState.CHECKING: "核查中",
    CaseState.CLOSED: "已结案", CaseState.CANCELLED: "已作废", CaseState.SUSPENDED: "挂账",
}


def action_name_zh(action: Action) -> str:
    return _ACTION_ZH[action]


def state_name_zh(state: CaseState) -> str:
    return _STATE_ZH[state]


@quick_pickle
@dataclass(frozen=True, slots=True)
class Deadline:
    """One timer: `due` is an absolute UTC instant, `allowance` the full time it granted."""

    kind: str  # register | accept | arrive | resolve | check
    due: datetime
    allowance_s: float
    met_at: datetime | None = None

    def fraction_used(self, now: datetime) -> float:
        """0.0 at the start, 1.0 at the deadline, above 1.0 once overdue."""
        if self.allowance_s <= 0:
            return 1.0 if now >= self.due else 0.0
        return 1.0 - (self.due - now).total_seconds() / self.allowance_s


@quick_pickle
@dataclass(frozen=True, slots=True)
class Case:
    id: int | None
    number: str  # CC-YYYYMMDD-NNNN
    category: str
    priority: int
    title: str
    state: CaseState
    reported_at: datetime
    description: str = ""
    location: Location | None = None
    street: str | None = None
    assignee: str | None = None  # unit id or department code
    assignee_name: str | None = None
    registered_at: datetime | None = None
    dispatched_at: datetime | None = None
    accepted_at: datetime | None = None
    arrived_at: datetime | None = None
    handled_at: datetime | None = None
    closed_at: datetime | None = None
    suspended_at: datetime | None = None
    resumes_to: CaseState | None = None
    cancel_reason: str | None = None
    duplicate_of: int | None = None  # proposed: this signal is probably about that open case
    duplicate_note: str | None = None  # why, in words ("同类，相距 35 米，间隔 6 分钟")
    merged_into: int | None = None  # attached to that case (this one is then cancelled)
    escalated_at: datetime | None = None  # 督办: a deadline passed and nobody has dealt with it
    deadlines: dict[str, Deadline] = field(default_factory=dict)
    event_count: int = 0
    version: int = 1
    updated_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def next_deadline(self) -> Deadline | None:
        """The earliest unmet deadline; none while suspended (the clock is stopped) or closed."""
        if not self.is_open or self.state is CaseState.SUSPENDED:
            return None
        pending = [d for d in self.deadlines.values() if d.met_at is None]
        return min(pending, key=lambda d: d.due, default=None)


_CASE_FIELDS = tuple(f.name for f in fields(Case))
_case_values = attrgetter(*_CASE_FIELDS)


def with_changes(case: Case, **changes: Any) -> Case:
    """`dataclasses.replace` for a case at half its cost (it checks every field's kind one
    by one): the ingest writer copies each case it opens once, to give it its new id."""
    values = dict(zip(_CASE_FIELDS, _case_values(case), strict=True))
    values.update(changes)
    return Case(**values)


def allowed_actions(state: CaseState) -> list[Action]:
    return [action for (s, action) in TRANSITIONS if s is state]


def next_state(case: Case, action: Action) -> CaseState:
    """The state `action` leads to from `case`, or `IllegalTransition` saying why not."""
    target = TRANSITIONS.get((case.state, action))
    if target is None:
        legal = "、".join(action_name_zh(a) for a in allowed_actions(case.state)) or "无"
        raise IllegalTransition(
            f"案件 {case.number} 当前状态为“{state_name_zh(case.state)}”，不能执行“"
            f"{action_name_zh(action)}”（可执行：{legal}）"
        )
    if action is Action.RESUME:
        if case.resumes_to is None:
            raise IllegalTransition(f"案件 {case.number} 没有挂账前的状态，无法恢复")
        return case.resumes_to
    return target


def transition(case: Case, action: Action, at: datetime) -> Case:
    """Apply `action` to `case` at instant `at`: new state and milestone times; deadlines are
    recomputed by the SLA clock in the service, which knows the policy."""
    target = next_state(case, action)
    changes: dict[str, object] = {"state": target, "updated_at": at}
    if action is Action.REGISTER:
        changes["registered_at"] = at
    elif action is Action.DISPATCH:
        changes["dispatched_at"] = at
        changes["accepted_at"] = None
    elif action is Action.ACCEPT:
        changes["accepted_at"] = at
    elif action is Action.ARRIVE:
        changes["arrived_at"] = at
    elif action is Action.HANDLE:
        changes["handled_at"] = at
    elif action is Action.CLOSE:
        changes["closed_at"] = at
    elif action in (Action.REJECT, Action.RETURN):
        changes.update(assignee=None, assignee_name=None, dispatched_at=None, accepted_at=None,
                       arrived_at=None)
    elif action is Action.REWORK:
        changes.update(handled_at=None, arrived_at=None, accepted_at=None, dispatched_at=at)
    elif action is Action.SUSPEND:
        changes.update(suspended_at=at, resumes_to=case.state)
    elif action in (Action.RESUME, Action.CANCEL):
        changes.update(suspended_at=None, resumes_to=None)
    return replace(case, **changes)  # type: ignore[arg-type]
