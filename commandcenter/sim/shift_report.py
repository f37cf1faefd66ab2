"""A shift's outcome in one JSON-able object, read back from the case rows and the audit log.

Only rows written by this run count: `RunMark` records the highest ids before it started, so a
rehearsal into a database that already holds an earlier one still reports on itself alone.
Every figure is derived from what the hall stored, never from the simulator's own bookkeeping,
so the report measures the hall's code and settings, not the simulation.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from commandcenter.domain.case import Case, CaseState
from commandcenter.domain.event import CASE_KINDS
from commandcenter.domain.sla import SlaPolicy
from commandcenter.domain.speaker import Outcome
from commandcenter.services import audit
from commandcenter.services.escalation import overdue
from commandcenter.services.requests import APPROVED, PENDING, REFUSED
from commandcenter.store.database import Database
from commandcenter.store.repositories import CaseRepo
from commandcenter.store.schema import AuditRow, CaseRow, EventRow, QuarantineRow, RequestRow
from commandcenter.store.speaker_schema import AnnouncementRow


@dataclass(frozen=True, slots=True)
class RunMark:
    """The highest row ids before the run: anything above belongs to it."""

    case_id: int
    audit_id: int
    event_id: int
    request_id: int
    quarantine_id: int

    @classmethod
    def of(cls, db: Database) -> RunMark:
        with db.read() as s:
            def top(column: Any) -> int:
                return int(s.scalar(select(func.max(column))) or 0)

            return cls(top(CaseRow.id), top(AuditRow.id), top(EventRow.id), top(RequestRow.id),
                       top(QuarantineRow.id))


def percentile(values: list[float], q: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q
    low, high = math.floor(pos), math.ceil(pos)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _minutes(value: float | None) -> float | None:
    return round(value, 1) if value is not None else None


def shift_report(db: Database, mark: RunMark, end: datetime, *, policy: SlaPolicy,
                 persuaded_note: str) -> dict[str, Any]:
    """Cases, merges, escalations, timers, requests and persuasions of the run since `mark`.

    - `overdue.at_end`: open cases whose next deadline had passed at `end`;
      `overdue.ever`: cases that were escalated (督办), met a deadline late, or are overdue at
      the end.
    - `on_scene_minutes`: from 立案 to the first 到场, per case that got an officer there.
    - `on_time_rate`: share of cases whose 到场 deadline was met in time (the deadline in force,
      extensions granted included, as the hall's assessment counts it);
      `on_time_rate_without_extensions`: share of first arrivals within the policy's 到场
      allowance from 立案 (what an SLA setting asks of the officers, before any 延期);
      `closed_within_sla_rate`: share of closed cases that met every deadline in time and were
      never escalated.
    """
    with db.read() as s:
        cases = _cases(s, mark)
        entries = list(s.execute(
            select(AuditRow.case_id, AuditRow.action, AuditRow.at)
            .where(AuditRow.id > mark.audit_id).order_by(AuditRow.id)))
        requests = list(s.execute(
            select(RequestRow.action, RequestRow.status).where(RequestRow.id > mark.request_id)))
        signals = int(s.scalar(select(func.count()).select_from(EventRow).where(
            EventRow.id > mark.event_id,
            EventRow.kind.in_([k.value for k in CASE_KINDS]))) or 0)
        warnings = list(s.execute(
            select(AnnouncementRow.case_id, AnnouncementRow.outcome)
            .where(AnnouncementRow.case_id > mark.case_id)))
        quarantined = int(s.scalar(select(func.count()).select_from(QuarantineRow).where(
            QuarantineRow.id > mark.quarantine_id)) or 0)
        chain = audit.verify(s)

    actions = Counter(action for _, action, _ in entries)
    escalated = {cid for cid, action, _ in entries if action == "escalate"}
    registered: dict[int, datetime] = {}
    arrived: dict[int, datetime] = {}
    for cid, action, at in entries:
        if cid is None:
            continue
        if action == "register":
            registered.setdefault(cid, at)
        elif action == "arrive":
            arrived.setdefault(cid, at)
    on_scene = [(arrived[c] - registered[c]).total_seconds() / 60
                for c in arrived if c in registered]
    by_id = {c.id: c for c in cases}
    within_allowance = sum(1 for c in arrived if c in registered and c in by_id
                           and arrived[c] <= _allowed(policy, by_id[c], registered[c]))

    by_state = Counter(c.state.value for c in cases)
    at_end = {c.id for c in cases if overdue(c, end)}
    late = {c.id for c in cases
            if any(d.met_at is not None and d.met_at > d.due for d in c.deadlines.values())}
    arrivals = [c.deadlines["arrive"] for c in cases
                if "arrive" in c.deadlines and c.deadlines["arrive"].met_at is not None]
    on_time = sum(1 for d in arrivals if d.met_at is not None and d.met_at <= d.due)
    closed = [c for c in cases if c.state is CaseState.CLOSED]
    within = sum(1 for c in closed if c.id not in escalated and c.id not in late)
    cancelled = [c for c in cases if c.state is CaseState.CANCELLED]
    merged = sum(1 for c in cancelled if c.merged_into is not None)
    persuaded_cancel = sum(1 for c in cancelled if c.cancel_reason == persuaded_note)

    req_counts = Counter(status for _, status in requests)
    by_action: dict[str, dict[str, int]] = {}
    for action, status in sorted(requests):
        entry = by_action.setdefault(action, {"made": 0, APPROVED: 0, REFUSED: 0, PENDING: 0})
        entry["made"] += 1
        entry[status] += 1

    return {
        "signals": signals,
        "cases": {
            "total": len(cases),
            "open": sum(1 for c in cases if c.is_open),
            "by_state": {state.value: by_state.get(state.value, 0) for state in CaseState},
            "cancelled": {"merged": merged, "persuaded": persuaded_cancel,
                          "other": len(cancelled) - merged - persuaded_cancel},
        },
        "merged_signals": actions["merge"],
        "dispatches": actions["dispatch"],
        "reworks": actions["rework"],
        "escalations": actions["escalate"],
        "overdue": {"at_end": len(at_end), "ever": len(escalated | late | at_end)},
        "requests": {"made": len(requests), "approved": req_counts[APPROVED],
                     "refused": req_counts[REFUSED], "pending": req_counts[PENDING],
                     "by_action": by_action},
        "speaker_warnings": len(warnings),
        "persuasions": len({cid for cid, outcome in warnings
                            if outcome == Outcome.PERSUADED.value}),
        "on_scene_minutes": {"p50": _minutes(percentile(on_scene, 0.5)),
                             "p90": _minutes(percentile(on_scene, 0.9)), "n": len(on_scene)},
        "on_time_rate": _rate(on_time, len(arrivals)),
        "on_time_rate_without_extensions": _rate(within_allowance, len(on_scene)),
        "arrivals": len(arrivals),
        "closed_within_sla_rate": _rate(within, len(closed)),
        "quarantined": quarantined,  # a rehearsal's own traffic should never be refused
        "audit": {"entries": len(entries), "by_action": dict(sorted(actions.items())),
                  "chain_ok": chain.ok},
    }


def _allowed(policy: SlaPolicy, case: Case, registered: datetime) -> datetime:
    """When the officer should be on scene for a case registered then, by the policy alone."""
    allow = policy.allowances(case.category, case.priority)
    amount = allow.of("arrive")
    return allow.calendar.add(registered, amount) if allow.calendar else registered + amount


def _cases(session: Session, mark: RunMark) -> list[Case]:
    ids = session.scalars(select(CaseRow.id).where(CaseRow.id > mark.case_id)
                          .order_by(CaseRow.id)).all()
    return sorted(CaseRepo(session).by_ids(ids), key=lambda c: c.id or 0)
