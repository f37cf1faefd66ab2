"""督办: a case whose deadline passed is flagged to the supervisor, once, and stays flagged until
the late step happens, an extension is granted, or the case ends.

The sweep runs with the ingest writer's housekeeping (every few seconds); flagging is a
conditional update, so two workers sweeping the same database never flag a case twice.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from commandcenter.domain.case import Case, CaseState
from commandcenter.domain.errors import StaleCase
from commandcenter.services import audit
from commandcenter.services.actor import Actor
from commandcenter.store.repositories import CaseRepo
from commandcenter.store.schema import CaseRow

ESCALATOR = Actor.system("督办")
_KIND_ZH = {"register": "立案", "accept": "接单", "arrive": "到场", "resolve": "处置",
            "check": "核查"}


def overdue(case: Case, now: datetime) -> bool:
    nd = case.next_deadline()
    return nd is not None and nd.due < now


def sweep(session: Session, now: datetime) -> list[Case]:
    """Flag every open, running case whose next deadline has passed; returns them."""
    repo = CaseRepo(session)
    ids = session.scalars(select(CaseRow.id).where(
        CaseRow.next_due < now, CaseRow.escalated_at.is_(None),
        CaseRow.state.not_in([CaseState.CLOSED.value, CaseState.CANCELLED.value,
                              CaseState.SUSPENDED.value]))).all()
    flagged = []
    for case in repo.by_ids(ids):
        nd = case.next_deadline()
        if nd is None or nd.due >= now:
            continue
        try:
            saved = repo.update(replace(case, escalated_at=now), case.version)
        except StaleCase:
            continue  # someone acted on it meanwhile: the next sweep looks again
        audit.append(session, at=now, actor=ESCALATOR, action="escalate", case_id=case.id,
                     note=f"{_KIND_ZH.get(nd.kind, nd.kind)}超时（时限 "
                          f"{nd.due.isoformat(timespec='seconds')}）")
        flagged.append(saved)
    return flagged


def clear_if_dealt_with(case: Case, now: datetime) -> Case:
    """After an action: the flag goes once nothing is overdue any more."""
    if case.escalated_at is not None and not (case.is_open and overdue(case, now)):
        return replace(case, escalated_at=None)
    return case
