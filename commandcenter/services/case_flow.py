"""Apply one action to one case inside an open unit of work.

Both the dispatcher's actions (services/cases.py) and the officer's replies arriving through
ingest go through `apply_action`, so roles, reasons, deadlines and the audit entry are enforced in
one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from commandcenter.domain.case import (
    NEEDS_REASON,
    SUPERVISED,
    UNIT_ACTIONS,
    Action,
    Case,
    action_name_zh,
    transition,
)
from commandcenter.domain.dispatch import DEPARTMENT, DUTY
from commandcenter.domain.errors import KnownError, NotPermitted
from commandcenter.domain.sla import apply_deadlines
from commandcenter.domain.unit import Unit, UnitStatus
from commandcenter.services import audit
from commandcenter.services.actor import DISPATCHER, SUPERVISOR, UNIT, Actor
from commandcenter.services.context import HallContext
from commandcenter.services.escalation import clear_if_dealt_with
from commandcenter.store.mapping import case_snapshot
from commandcenter.store.repositories import CaseRepo, UnitRepo


class ActionRefused(KnownError):
    pass


@dataclass(slots=True)
class ActionResult:
    case: Case
    units: list[Unit] = field(default_factory=list)
    outbound: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


def check_permitted(case: Case, action: Action, actor: Actor, note: str | None) -> None:
    name = action_name_zh(action)
    if action in UNIT_ACTIONS:
        if not (actor.has(UNIT) or actor.has(DISPATCHER) or actor.has(SUPERVISOR)):
            raise NotPermitted(f"{actor.name} 无权执行“{name}”")
        if actor.has(UNIT) and actor.id != f"unit:{case.assignee}":
            raise NotPermitted(f"案件 {case.number} 未派给 {actor.name}")
    elif not (actor.has(DISPATCHER) or actor.has(SUPERVISOR)):
        raise NotPermitted(f"{actor.name} 无权执行“{name}”")
    if (case.state, action) in SUPERVISED and not actor.has(SUPERVISOR):
        raise NotPermitted(f"“{name}”需要值班长审批")
    if action in NEEDS_REASON and not (note and note.strip()):
        raise ActionRefused(f"“{name}”必须填写原因")


def apply_action(session: Session, ctx: HallContext, case: Case, action: Action, actor: Actor,
                 now: datetime, *, expected_version: int, note: str | None = None,
                 assignee: str | None = None, extend_by: timedelta | None = None
                 ) -> ActionResult:
    """Check, transition, recompute deadlines, save (version-checked), audit; no commit."""
    check_permitted(case, action, actor, note)
    units = UnitRepo(session)
    changed_units: list[Unit] = []
    outbound: list[tuple[str, dict[str, Any]]] = []

    after = transition(case, action, now)
    if action is Action.DISPATCH:
        if not assignee:
            raise ActionRefused("派遣需要选择处置人员")
        unit = units.get(assignee)
        if unit is None:
            raise ActionRefused(f"处置人员 {assignee} 不存在")
        if unit.status is UnitStatus.OFF_DUTY:
            raise ActionRefused(f"{unit.name} 已下班，不能派遣")
        after = replace(after, assignee=unit.id, assignee_name=unit.name)
        if unit.kind not in (DEPARTMENT, DUTY):  # a department takes many cases at once
            busy = replace(unit, status=UnitStatus.DISPATCHED, case_id=case.id, updated_at=now)
            changed_units.append(busy)
    elif action is Action.REWORK and case.assignee:
        unit = units.get(case.assignee)
        if unit is not None:
            changed_units.append(replace(unit, status=UnitStatus.DISPATCHED, case_id=case.id,
                                         updated_at=now))
    elif action in (Action.REJECT, Action.RETURN, Action.CANCEL) and case.assignee:
        freed = units.get(case.assignee)
        if freed is not None and freed.case_id == case.id:
            changed_units.append(replace(freed, status=UnitStatus.AVAILABLE, case_id=None,
                                         updated_at=now))
    if action is Action.CANCEL:
        after = replace(after, cancel_reason=note)

    if action is Action.EXTEND and not (extend_by and extend_by > timedelta(0)):
        raise ActionRefused("延期需要填写延长的时间")
    after = replace(after, deadlines=apply_deadlines(case, after, action, ctx.policy, now,
                                                     extend_by=extend_by))
    after = clear_if_dealt_with(after, now)
    saved = CaseRepo(session).update(after, expected_version)
    for unit in changed_units:
        units.save(unit)
    audit.append(session, at=now, actor=actor, action=action.value, case_id=case.id, note=note,
                 before=case_snapshot(case), after=case_snapshot(saved))

    if action in (Action.DISPATCH, Action.REWORK) and saved.assignee:
        outbound.append((f"{ctx.topic_prefix}/dispatch/{saved.assignee}",
                         dispatch_order(saved, ctx, actor, note)))
    return ActionResult(saved, changed_units, outbound)


def dispatch_order(case: Case, ctx: HallContext, actor: Actor, note: str | None) -> dict[str, Any]:
    """The assignment as the officer's app receives it (`cc/v1/dispatch/<unit>`)."""
    loc = case.location
    return {
        "case_id": case.number,
        "title": case.title,
        "category": case.category,
        "category_name": ctx.catalog.name(case.category),
        "location": ({"lat": loc.lat, "lon": loc.lon, "crs": "wgs84", "address": loc.address}
                     if loc else None),
        "deadlines": {k: d.due.isoformat() for k, d in case.deadlines.items() if d.met_at is None},
        "note": note,
        "by": actor.name,
    }
