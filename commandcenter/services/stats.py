"""Hall totals in one JSON-able object: what a supervisor glances at and a script monitors.

Every figure is a GROUP BY in the database, so the cost does not grow with the rows loaded.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from commandcenter.domain.case import OPEN_STATES
from commandcenter.store.database import Database
from commandcenter.store.schema import CaseRow, EventRow, QuarantineRow

_OPEN = frozenset(state.value for state in OPEN_STATES)


def _counts(session: Session, column: InstrumentedAttribute[Any]) -> dict[str, int]:
    """{value: n}, largest first (ties by name) so the JSON reads the same on every run."""
    rows = session.execute(select(column, func.count()).group_by(column)).all()
    pairs = [(str(value) if value is not None else "", int(n)) for value, n in rows]
    return dict(sorted(pairs, key=lambda p: (-p[1], p[0])))


def _iso(at: datetime | None) -> str | None:
    return at.isoformat().replace("+00:00", "Z") if at is not None else None


def hall_stats(db: Database) -> dict[str, Any]:
    """Counts of events, cases and quarantined messages, and when the hall last heard a signal.

    `last_event_at` is the newest *received* time (not the occurred time a device claims):
    it answers "is anything still arriving?", which is what a stale feed breaks.
    All figures come from one read transaction, so they are consistent with each other.
    """
    with db.read() as s:
        events_by_kind = _counts(s, EventRow.kind)
        cases_by_state = _counts(s, CaseRow.state)
        quarantine_by_reason = _counts(s, QuarantineRow.reason_code)
        out: dict[str, Any] = {
            "database": db.display_url(),
            "events": {
                "total": sum(events_by_kind.values()),
                "by_kind": events_by_kind,
                "by_source": _counts(s, EventRow.source),
            },
            "cases": {
                "total": sum(cases_by_state.values()),
                "open": sum(n for state, n in cases_by_state.items() if state in _OPEN),
                "by_state": cases_by_state,
            },
            "quarantine": {
                "total": sum(quarantine_by_reason.values()),
                "by_reason": quarantine_by_reason,
                "last_at": _iso(s.scalar(select(func.max(QuarantineRow.received_at)))),
            },
            "last_event_at": _iso(s.scalar(select(func.max(EventRow.received_at)))),
        }
    return out
