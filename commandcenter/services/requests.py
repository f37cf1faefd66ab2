"""Supervised exceptions: the dispatcher asks, the supervisor (值班长) approves or refuses.

An approved request is carried out as the supervisor's own action, in the same transaction as
the decision, so the audit log shows who asked, who allowed it and why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from commandcenter.domain.case import SUPERVISED, Action, action_name_zh, next_state
from commandcenter.domain.errors import KnownError
from commandcenter.services import audit
from commandcenter.services.actor import DISPATCHER, SUPERVISOR, Actor
from commandcenter.services.case_flow import ActionRefused, apply_action
from commandcenter.services.changes import Changes
from commandcenter.services.context import HallContext
from commandcenter.services.outbox import Outbox
from commandcenter.store.repositories import CaseRepo
from commandcenter.store.schema import RequestRow

PENDING, APPROVED, REFUSED = "pending", "approved", "refused"


@dataclass(frozen=True, slots=True)
class CaseRequest:
    id: int
    case_id: int
    action: Action
    reason: str
    minutes: int | None
    requested_by: str
    requested_at: datetime
    status: str
    decided_by: str | None = None
    decision_note: str | None = None


def _from_row(row: RequestRow) -> CaseRequest:
    return CaseRequest(row.id, row.case_id, Action(row.action), row.reason, row.minutes,
                       row.requested_by, row.requested_at, row.status, row.decided_by,
                       row.decision_note)


class RequestService:
    def __init__(self, ctx: HallContext, outbox: Outbox) -> None:
        self.ctx = ctx
        self.outbox = outbox

    def request(self, case_id: int, action: Action, actor: Actor, reason: str, *,
                minutes: int | None = None) -> Changes:
        if not actor.has(DISPATCHER):
            raise ActionRefused(f"{actor.name} 无权提交申请")
        if not reason.strip():
            raise ActionRefused(f"申请“{action_name_zh(action)}”必须填写原因")
        if action is Action.EXTEND and not (minutes and minutes > 0):
            raise ActionRefused("延期申请需要填写延长的分钟数")
        now = self.ctx.clock()
        with self.ctx.db.write() as session:
            case = CaseRepo(session).get(case_id)
            next_state(case, action)  # the action must be legal now (clear message if not)
            if (case.state, action) not in SUPERVISED:
                raise ActionRefused(f"“{action_name_zh(action)}”无需审批，可直接执行")
            open_same = session.scalar(select(RequestRow.id).where(
                RequestRow.case_id == case_id, RequestRow.action == action.value,
                RequestRow.status == PENDING))
            if open_same is not None:
                raise ActionRefused(f"{case.number} 已有待审批的“{action_name_zh(action)}”申请")
            session.add(RequestRow(case_id=case_id, action=action.value, reason=reason.strip(),
                                   minutes=minutes, requested_by=actor.id, requested_at=now,
                                   status=PENDING))
            note = reason.strip() + (f"（{minutes} 分钟）" if minutes else "")
            audit.append(session, at=now, actor=actor, action=f"request_{action.value}",
                         case_id=case_id, note=note)
        return Changes(requests_changed=True)

    def pending(self) -> list[CaseRequest]:
        with self.ctx.db.read() as session:
            rows = session.scalars(select(RequestRow).where(RequestRow.status == PENDING)
                                   .order_by(RequestRow.requested_at))
            return [_from_row(r) for r in rows]

    def for_case(self, case_id: int) -> list[CaseRequest]:
        with self.ctx.db.read() as session:
            rows = session.scalars(select(RequestRow).where(RequestRow.case_id == case_id)
                                   .order_by(RequestRow.requested_at))
            return [_from_row(r) for r in rows]

    def decide(self, request_id: int, approve: bool, supervisor: Actor,
               note: str | None = None) -> Changes:
        if not supervisor.has(SUPERVISOR):
            raise ActionRefused(f"{supervisor.name} 不是值班长，不能审批")
        now = self.ctx.clock()
        with self.ctx.db.write() as session:
            row = session.get(RequestRow, request_id, with_for_update=True)
            if row is None:
                raise KnownError(f"申请 {request_id} 不存在")
            if row.status != PENDING:
                raise ActionRefused("该申请已处理")
            case = CaseRepo(session).get(row.case_id)
            row.status = APPROVED if approve else REFUSED
            row.decided_by, row.decided_at, row.decision_note = supervisor.id, now, note
            changes = Changes(requests_changed=True)
            if approve:
                requester = row.requested_by.split(":", 1)[-1]
                reason = f"{row.reason}（{requester} 申请，{supervisor.name} 批准）"
                result = apply_action(
                    session, self.ctx, case, Action(row.action), supervisor, now,
                    expected_version=case.version, note=reason,
                    extend_by=timedelta(minutes=row.minutes) if row.minutes else None)
                changes.cases[case.id or 0] = result.case
                changes.units.update({u.id: u for u in result.units})
                outbound = result.outbound
            else:
                audit.append(session, at=now, actor=supervisor, action="refuse",
                             case_id=case.id, note=note or row.reason)
                outbound = []
        self.outbox.send(outbound)
        return changes
