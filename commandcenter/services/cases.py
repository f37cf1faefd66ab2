"""The dispatcher's and supervisor's case actions, each one unit of work returning `Changes`."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from commandcenter.domain.case import Action, Case, CaseState, state_name_zh, transition
from commandcenter.domain.unit import Unit
from commandcenter.services import audit
from commandcenter.services.actor import DISPATCHER, SUPERVISOR, Actor
from commandcenter.services.case_flow import ActionRefused, apply_action, check_permitted
from commandcenter.services.changes import Changes
from commandcenter.services.context import HallContext
from commandcenter.services.outbox import Outbox
from commandcenter.services.signals import case_from_signal
from commandcenter.store.mapping import case_snapshot
from commandcenter.store.repositories import (
    CaseRepo,
    EventRepo,
    QuarantineRepo,
    SignalRecord,
    UnitRepo,
)

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
    events: list[SignalRecord]
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
            note: str | None = None, assignee: str | None = None,
            extend_by: timedelta | None = None) -> Changes:
        now = self.ctx.clock()
        with self.ctx.db.write() as session:
            case = CaseRepo(session).get(case_id)
            result = apply_action(session, self.ctx, case, action, actor, now,
                                  expected_version=expected_version, note=note,
                                  assignee=assignee, extend_by=extend_by)
        # Committed: only now tell the field.
        self.outbox.send(result.outbound)
        log.info("%s %s %s -> %s", actor.id, action.value, case.number, result.case.state.value)
        return Changes(cases={case_id: result.case},
                       units={u.id: u for u in result.units})

    def merge(self, signal_id: int, into_id: int, actor: Actor, *,
              expected_version: int) -> Changes:
        """Attach a waiting signal to the open case it duplicates; the signal's own case is
        cancelled as "并入 <number>" and all its events now belong to the target."""
        now = self.ctx.clock()
        with self.ctx.db.write() as session:
            repo = CaseRepo(session)
            signal, target = repo.get(signal_id), repo.get(into_id)
            if signal_id == into_id:
                raise ActionRefused("不能合并到自身")
            if signal.state is not CaseState.REPORTED:
                raise ActionRefused(f"{signal.number} 已立案，只有待立案的信号可以合并")
            if not target.is_open:
                raise ActionRefused(f"{target.number} 已{state_name_zh(target.state)}，不能合并")
            note = f"并入 {target.number}"
            check_permitted(signal, Action.CANCEL, actor, note)
            moved = EventRepo(session).move(signal_id, into_id)
            merged = replace(transition(signal, Action.CANCEL, now), cancel_reason=note,
                             merged_into=into_id, duplicate_of=None, event_count=0)
            saved_signal = repo.update(merged, expected_version)
            saved_target = repo.update(replace(target, event_count=target.event_count + moved,
                                               updated_at=now), target.version)
            audit.append(session, at=now, actor=actor, action="merge", case_id=signal_id,
                         note=note, before=case_snapshot(signal),
                         after=case_snapshot(saved_signal))
            audit.append(session, at=now, actor=actor, action="attach", case_id=into_id,
                         note=f"合并 {signal.number}：{signal.title}")
        log.info("%s merged %s into %s", actor.id, signal.number, target.number)
        return Changes(cases={signal_id: saved_signal, into_id: saved_target})

    def split(self, event_id: int, actor: Actor) -> Changes:
        """Undo a wrong merge: the signal becomes a case of its own again, waiting for 立案."""
        now = self.ctx.clock()
        with self.ctx.db.write() as session:
            events, repo = EventRepo(session), CaseRepo(session)
            case_id, event = events.get(event_id)
            if case_id is None:
                raise ActionRefused("该信号不属于任何案件")
            case = repo.get(case_id)
            if case.event_count <= 1:
                raise ActionRefused(f"{case.number} 只有这一条信号，无需拆分")
            if not (actor.has(DISPATCHER) or actor.has(SUPERVISOR)):
                raise ActionRefused(f"{actor.name} 无权拆分信号")
            new = repo.add(case_from_signal(self.ctx, event, repo.next_number(now, self.ctx.tz),
                                            now))
            assert new.id is not None
            events.link(event_id, new.id)
            shrunk = repo.update(replace(case, event_count=case.event_count - 1, updated_at=now),
                                 case.version)
            audit.append(session, at=now, actor=actor, action="split", case_id=case_id,
                         note=f"拆分出 {new.number}：{event.title}")
            audit.append(session, at=now, actor=actor, action="report", case_id=new.id,
                         note=f"自 {case.number} 拆分：{event.title}",
                         after=case_snapshot(new))
        return Changes(cases={case_id: shrunk, new.id: new}, new_case_ids=[new.id])

    def detail(self, case_id: int) -> CaseDetail:
        with self.ctx.db.read() as session:
            case = CaseRepo(session).get(case_id)
            events = EventRepo(session).signals_for_case(case_id)
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
