"""The dispatcher's and supervisor's case actions, each one unit of work returning `Changes`."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from commandcenter.domain.case import Action, Case
from commandcenter.domain.event import Event
from commandcenter.domain.unit import Unit
from commandcenter.services import audit
from commandcenter.services.actor import Actor
from commandcenter.services.case_flow import apply_action
from commandcenter.services.changes import Changes
from commandcenter.services.context import HallContext
from commandcenter.services.outbox import Outbox
from commandcenter.store.repositories import CaseRepo, EventRepo, QuarantineRepo, UnitRepo

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    at: datetime
    actor: str
    action: str
    note: str | None


@dataclass(frozen=True, slots=True)
class CaseDetail:
    """Everything the case panel shows about one case."""

    case: Case
    events: list[tuple[datetime, Event]]  # (received_at, event)
    timeline: list[TimelineEntry]


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The console's starting picture: open cases, recently finished ones, all units."""

    cases: list[Case]
    units: list[Unit]
    quarantine_count: int


class CaseService:
    def __init__(self, ctx: HallContext, outbox: Outbox) -> None:
        self.ctx = ctx
        self.outbox = outbox

    def act(self, case_id: int, action: Action, actor: Actor, *, expected_version: int,
            note: str | None = None, assignee: str | None = None) -> Changes:
        now = self.ctx.clock()
        with self.ctx.db.write() as session:
            case = CaseRepo(session).get(case_id)
            result = apply_action(session, self.ctx, case, action, actor, now,
                                  expected_version=expected_version, note=note,
                                  assignee=assignee)
        # Committed: only now tell the field.
        self.outbox.send(result.outbound)
        log.info("%s %s %s -> %s", actor.id, action.value, case.number, result.case.state.value)
        return Changes(cases={case_id: result.case},
                       units={u.id: u for u in result.units})

    def detail(self, case_id: int) -> CaseDetail:
        with self.ctx.db.read() as session:
            case = CaseRepo(session).get(case_id)
            events = EventRepo(session).for_case(case_id)
            timeline = [TimelineEntry(r.at, r.actor, r.action, r.note)
                        for r in audit.history(session, case_id)]
        return CaseDetail(case, events, timeline)

    def snapshot(self, recent: timedelta = timedelta(hours=12)) -> Snapshot:
        with self.ctx.db.read() as session:
            repo = CaseRepo(session)
            cases = repo.list_open() + repo.list_recent_closed(self.ctx.clock() - recent)
            return Snapshot(cases, UnitRepo(session).all(), QuarantineRepo(session).count())

    def register_units(self, units: list[Unit]) -> Changes:
        """Add units that are not known yet (the demo roster; IT's unit registry later)."""
        changes = Changes()
        with self.ctx.db.write() as session:
            repo = UnitRepo(session)
            for unit in units:
                if repo.get(unit.id) is None:
                    repo.save(unit)
                    changes.units[unit.id] = unit
        return changes
