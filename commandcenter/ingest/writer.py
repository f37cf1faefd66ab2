"""The single ingest writer: a batch of raw messages in, one transaction, `Changes` out.

decode → validate → normalize → dedup on (source, source_id) → store → cases/units updated.
A message that cannot be used goes to quarantine with its reason; one bad message never spoils
its neighbours and never stalls the batch. Reports and camera hits are stored as a set
(`signal_batch.py`); a batch where anything fails in the database is stored again message by
message, each in its own SAVEPOINT.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from commandcenter.domain.alarm import AlarmState
from commandcenter.domain.case import Action, Case, CaseState
from commandcenter.domain.errors import KnownError
from commandcenter.domain.event import Event, EventKind
from commandcenter.domain.speaker import SpeakerAck, UnknownAnnouncement
from commandcenter.domain.speaker import load_registry as load_speaker_registry
from commandcenter.domain.unit import Unit, UnitStatus
from commandcenter.ingest.decode import (
    DEFAULT_MAX_PAYLOAD,
    RejectedMessage,
    UnitPosition,
    UnitStatusReport,
)
from commandcenter.ingest.message import InboundMessage
from commandcenter.ingest.new_events import store_new_events
from commandcenter.ingest.position_batch import PositionBatch, unknown_unit
from commandcenter.ingest.reading_batch import ReadingBatch
from commandcenter.ingest.router import Routed, Router
from commandcenter.ingest.signal_batch import SignalBatch, opens_its_own_case
from commandcenter.services import audit, escalation
from commandcenter.services.actor import Actor
from commandcenter.services.alarms import AlarmEngine
from commandcenter.services.case_flow import ActionResult, apply_action
from commandcenter.services.changes import Changes
from commandcenter.services.context import HallContext
from commandcenter.services.speakers import apply_ack
from commandcenter.store.repositories import CaseRepo, EventRepo, QuarantineRepo, UnitRepo
from commandcenter.store.schema import CaseRow, EventRow
from commandcenter.store.site_repo import AlarmRepo

log = logging.getLogger(__name__)

# Officer app reply -> the unit's own status.
_UNIT_STATUS = {
    "accepted": UnitStatus.DISPATCHED, "rejected": UnitStatus.AVAILABLE,
    "en_route": UnitStatus.EN_ROUTE, "on_scene": UnitStatus.ON_SCENE,
    "handled": UnitStatus.ON_SCENE, "available": UnitStatus.AVAILABLE,
    "off_duty": UnitStatus.OFF_DUTY,
}
# Officer app reply -> the case actions it implies, in order (a missed "accepted" is implied by
# "on_scene"); actions whose milestone is already met are skipped, so redelivery is harmless.
_CASE_ACTIONS = {
    "accepted": (Action.ACCEPT,),
    "rejected": (Action.REJECT,),
    "on_scene": (Action.ACCEPT, Action.ARRIVE),
    "handled": (Action.ACCEPT, Action.ARRIVE, Action.HANDLE),
}


@dataclass(frozen=True, slots=True)
class _Gathered:
    """What the fast path has gathered and not stored yet."""

    signals: SignalBatch
    fixes: PositionBatch
    readings: ReadingBatch


class _FastPathFailed(Exception):
    """A message failed while the batch ran without savepoints: redo it carefully."""


class IngestWriter:
    def __init__(self, ctx: HallContext, *, max_payload: int = DEFAULT_MAX_PAYLOAD,
                 alarms: AlarmEngine | None = None, router: Router | None = None) -> None:
        self.ctx = ctx
        self.alarms = alarms or AlarmEngine()
        self.router = router or Router(prefix=ctx.topic_prefix, max_payload=max_payload,
                                       cameras=ctx.cameras, hj212_modes=ctx.hj212_modes)
        self.speakers = load_speaker_registry()

    @property
    def max_payload(self) -> int:
        """The largest payload taken in; the router enforces it for every format."""
        return self.router.max_payload

    @max_payload.setter
    def max_payload(self, value: int) -> None:
        self.router.max_payload = value

    def process(self, batch: list[InboundMessage]) -> Changes:
        """Store the batch in one transaction; raise only if the database itself fails (then
        nothing was committed and the caller retries the same batch).

        Decoding needs no database, so malformed messages are known before any write. The
        batch is then stored without per-message savepoints; if any message fails inside the
        database phase, that attempt is rolled back whole and the batch is stored again with a
        savepoint per message, so the one bad message is quarantined and its neighbours kept.
        """
        now = self.ctx.clock()
        routed = [self._route(msg) for msg in batch]
        try:
            return self._store(routed, now, savepoints=False)
        except _FastPathFailed as failed:
            log.info("batch of %d: %s; storing message by message", len(batch), failed)
            return self._store(routed, now, savepoints=True)

    def _route(self, msg: InboundMessage) -> tuple[InboundMessage, list[Routed] | Exception]:
        try:
            return msg, self.router.route(msg.topic, msg.payload, msg.received_at)
        except Exception as exc:  # RejectedMessage, or a bug in an adapter: quarantined below
            return msg, exc

    def _store(self, routed: list[tuple[InboundMessage, list[Routed] | Exception]],
               now: datetime, *, savepoints: bool) -> Changes:
        changes = Changes()
        with self.ctx.db.write() as session:
            if savepoints:
                for msg, decoded in routed:
                    if isinstance(decoded, Exception):
                        self._reject(session, msg, decoded, changes)
                        continue
                    try:
                        with session.begin_nested():
                            self._one(session, msg, decoded, now, changes)
                    except Exception as exc:
                        self._reject(session, msg, exc, changes)
                return changes
            session.info[audit.BATCH_KEY] = True
            # Signals that open their own case, and officers' position fixes, are gathered
            # and stored together; any other message first stores what was gathered, so the
            # batch keeps message order. (Fixes and signals never touch each other's rows.)
            signals, fixes = SignalBatch(self.ctx), PositionBatch()
            readings = ReadingBatch(self.alarms)
            gathered = _Gathered(signals, fixes, readings)
            for seq, (msg, decoded) in enumerate(routed):
                if isinstance(decoded, Exception):
                    self._reject(session, msg, decoded, changes)
                elif all(isinstance(d, Event) and opens_its_own_case(d) for d in decoded):
                    for d in decoded:
                        assert isinstance(d, Event)
                        signals.add(d, msg.received_at, seq)
                elif all(isinstance(d, Event) and d.kind is EventKind.READING for d in decoded):
                    for d in decoded:
                        assert isinstance(d, Event)
                        readings.add(d, msg.received_at, seq)
                elif all(isinstance(d, UnitPosition) for d in decoded):
                    for d in decoded:
                        assert isinstance(d, UnitPosition)
                        fixes.add(msg, d)
                else:
                    self._flush(session, gathered, now, changes, msg.topic)
                    try:
                        self._one(session, msg, decoded, now, changes)
                    except Exception as exc:
                        raise _FastPathFailed(f"{msg.topic}: {type(exc).__name__}") from exc
            self._flush(session, gathered, now, changes, "the end of the batch")
        return changes

    def _flush(self, session: Session, gathered: _Gathered, now: datetime, changes: Changes,
               before: str) -> None:
        """Store what was gathered; a failure sends the batch down the careful path.

        The alarms the readings raise open their cases in message order among the gathered
        signals (numbers and duplicate proposals as if one by one): the signals before each
        raise are stored first. Fixes touch no case."""
        try:
            for raised in gathered.readings.flush(session, changes):
                gathered.signals.flush(session, now, changes, before=raised.seq)
                self._raise(session, raised.alarm, raised.state, raised.received_at, now,
                            changes)
            gathered.signals.flush(session, now, changes)
            refused = gathered.fixes.flush(session, changes)
        except Exception as exc:
            raise _FastPathFailed(f"gathered before {before}: {type(exc).__name__}") from exc
        for msg, rejection in refused:
            self._reject(session, msg, rejection, changes)

    def _raise(self, session: Session, alarm: Event, state: AlarmState, received_at: datetime,
               now: datetime, changes: Changes) -> None:
        """An alarm the rules raised (its state stored already) opens or joins its case; the
        state notes the case. Only the case is written: a batch's later readings may have
        moved the state on since the raise."""
        case_id = self._event(session, alarm, received_at, now, changes)
        if case_id is not None:
            AlarmRepo(session).set_case(state.device, state.alarm_type, case_id)

    def _reject(self, session: Session, msg: InboundMessage, exc: Exception,
                changes: Changes) -> None:
        if isinstance(exc, RejectedMessage):
            self._quarantine(session, msg, exc.code, exc.reason, changes, raw=exc.raw,
                             source=exc.source)
        elif isinstance(exc, KnownError):
            self._quarantine(session, msg, "refused", str(exc), changes)
        else:  # a bug on one message must not stall the pipeline
            log.error("ingest failed on %s", msg.topic, exc_info=exc)
            self._quarantine(session, msg, "internal_error", f"{type(exc).__name__}: {exc}",
                             changes)

    def housekeeping(self) -> Changes:
        """Time-driven rules that no message triggers: monitors that fell silent, deadlines
        that passed (督办)."""
        changes = Changes()
        now = self.ctx.clock()
        with self.ctx.db.write() as session:
            for alarm, state in self.alarms.offline_check(session, now):
                self._raise(session, alarm, state, now, now, changes)
            for case in escalation.sweep(session, now):
                changes.cases[case.id or 0] = case
                changes.escalated_ids.append(case.id or 0)
        return changes

    def _quarantine(self, session: Session, msg: InboundMessage, code: str, reason: str,
                    changes: Changes, *, raw: bytes | None = None,
                    source: str | None = None) -> None:
        log.warning("quarantined message on %s: %s (%s)", msg.topic, reason, code)
        where = f"{msg.topic} ({source})" if source else msg.topic
        QuarantineRepo(session).add(msg.received_at, where, code, reason,
                                    raw if raw is not None else msg.payload)
        changes.quarantined += 1

    def _one(self, session: Session, msg: InboundMessage, routed: list[Routed], now: datetime,
             changes: Changes) -> None:
        for decoded in routed:
            if isinstance(decoded, Event):
                self._event(session, decoded, msg.received_at, now, changes)
            elif isinstance(decoded, UnitStatusReport):
                self._unit_status(session, decoded, msg, now, changes)
            elif isinstance(decoded, UnitPosition):
                self._unit_position(session, decoded, msg, changes)
            else:
                self._speaker_ack(session, decoded, now, changes)

    # --- signals -------------------------------------------------------------------------
    def _event(self, session: Session, event: Event, received_at: datetime, now: datetime,
               changes: Changes) -> int | None:
        """Store one event; a signal becomes (or joins) a case, whose id is returned."""
        if event.kind is EventKind.READING:  # a set of one, as the fast path stores them
            readings = ReadingBatch(self.alarms)
            readings.add(event, received_at)
            for raised in readings.flush(session, changes):
                self._raise(session, raised.alarm, raised.state, received_at, now, changes)
            return None
        existing = None if opens_its_own_case(event) else self._active_alarm_case(session, event)
        if existing is None:
            signals = SignalBatch(self.ctx)
            signals.add(event, received_at)
            return signals.flush(session, now, changes)[0]
        # One active alarm per (device, type): repeats update it instead of a new case.
        event_id = self._store_new(session, event, received_at, changes)
        if event_id is None:
            return None
        updated = CaseRepo(session).update(replace(existing, event_count=existing.event_count + 1,
                                                   updated_at=now), existing.version)
        EventRepo(session).link(event_id, updated.id or 0)
        changes.cases[updated.id or 0] = updated
        return updated.id

    def _active_alarm_case(self, session: Session, event: Event) -> Case | None:
        if event.kind is not EventKind.ALARM or not event.device:
            return None
        open_states = [s.value for s in CaseState if s not in
                       (CaseState.CLOSED, CaseState.CANCELLED)]
        case_id = session.scalar(
            select(EventRow.case_id).join(CaseRow, CaseRow.id == EventRow.case_id)
            .where(EventRow.device == event.device, EventRow.kind == EventKind.ALARM.value,
                   CaseRow.category == (event.category or "0000"),
                   CaseRow.state.in_(open_states))
            .order_by(EventRow.case_id.desc()).limit(1)
        )
        return CaseRepo(session).get(case_id) if case_id is not None else None

    def _speaker_ack(self, session: Session, ack: SpeakerAck, now: datetime,
                     changes: Changes) -> None:
        try:
            announcement, changed = apply_ack(session, self.speakers, ack, now)
        except UnknownAnnouncement as exc:
            raise RejectedMessage("unknown_request", str(exc)) from None
        if changed:
            changes.announcements[announcement.request_id] = announcement

    # --- field units ---------------------------------------------------------------------
    def _known_unit(self, session: Session, unit_id: str) -> Unit:
        unit = UnitRepo(session).get(unit_id)
        if unit is None:
            raise unknown_unit(unit_id)
        return unit

    def _unit_status(self, session: Session, report: UnitStatusReport, msg: InboundMessage,
                     now: datetime, changes: Changes) -> None:
        unit = self._known_unit(session, report.unit_id)
        # Kept as an event for the shift replay; a repeated reply is absorbed here.
        event = Event(source="unit",
                      source_id=f"{report.unit_id}/{report.at.isoformat()}/{report.status}",
                      kind=EventKind.UNIT_STATUS, occurred_at=report.at, title=report.status,
                      description=report.note or "", media=report.media, device=report.unit_id)
        if self._store_new(session, event, msg.received_at, changes) is None:
            return
        case_id = unit.case_id
        if report.case_number:
            case = CaseRepo(session).get_by_number(report.case_number)
            if case is None:
                raise RejectedMessage("unknown_case", f"case {report.case_number} does not exist")
            self._apply_reply(session, unit, case, report, now, changes)
            case_id = case.id
        status = _UNIT_STATUS[report.status]
        if status in (UnitStatus.AVAILABLE, UnitStatus.OFF_DUTY):
            case_id = None
        updated = replace(UnitRepo(session).get(unit.id) or unit, status=status, case_id=case_id,
                          updated_at=report.at)
        UnitRepo(session).save(updated)
        changes.units[unit.id] = updated

    def _apply_reply(self, session: Session, unit: Unit, case: Case, report: UnitStatusReport,
                     now: datetime, changes: Changes) -> None:
        actions = _CASE_ACTIONS.get(report.status, ())
        if not actions:
            return
        if case.assignee != unit.id:
            raise RejectedMessage("not_assigned",
                                  f"case {case.number} is not assigned to unit {unit.id}")
        actor = Actor.unit(unit.id, unit.name)
        note = report.note or ("已拒单" if report.status == "rejected" else None)
        for action in actions:
            if _milestone_met(case, action):
                continue
            result: ActionResult = apply_action(session, self.ctx, case, action, actor, now,
                                                expected_version=case.version, note=note)
            case = result.case
            for u in result.units:
                changes.units[u.id] = u
        assert case.id is not None
        changes.cases[case.id] = case

    def _unit_position(self, session: Session, pos: UnitPosition, msg: InboundMessage,
                       changes: Changes) -> None:
        fixes = PositionBatch()
        fixes.add(msg, pos)
        for _, rejection in fixes.flush(session, changes):
            raise rejection

    @staticmethod
    def _store_new(session: Session, event: Event, received_at: datetime,
                   changes: Changes) -> int | None:
        """Store one event unless it is stored already: its id, or None for a repeat."""
        stored = store_new_events(session, [(event, event, received_at)], changes)
        return stored[0][1] if stored else None


def _milestone_met(case: Case, action: Action) -> bool:
    """True when a reply's action already happened (redelivery, or an implied earlier step)."""
    if action is Action.ACCEPT:
        return case.accepted_at is not None or case.state is not CaseState.DISPATCHED
    if action is Action.ARRIVE:
        return case.arrived_at is not None or case.state is not CaseState.IN_PROGRESS
    if action is Action.HANDLE:
        return case.state is not CaseState.IN_PROGRESS
    if action is Action.REJECT:
        return case.state is not CaseState.DISPATCHED
    return False
