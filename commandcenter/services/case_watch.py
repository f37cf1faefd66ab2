"""Cases other writers changed: how a workstation of a multi-workstation hall learns of them.

On one PostgreSQL database several writers commit cases: the `commandcenter ingest` workers,
every console's own ingest process (whichever stores a message first opens the case; for the
others it is a duplicate and they report nothing), and the other dispatchers' actions. Each
such commit appends to the audit log, and the audit log is appended in commit order (every
append locks the chain head until its transaction ends, so ids are drawn one transaction after
another). Reading the entries after the last one seen is therefore one indexed range query,
and misses nothing that was committed.

Entries name the cases they touched; the cases' versions say which of them this workstation
does not have yet (what it committed itself is `note`d and skipped), and only those are loaded,
with the officers when an action (not a new report) was among them: a dispatch elsewhere makes
an officer busy here too, so he is not recommended twice.
Not seen this way: changes that write no audit entry (a repeated alarm raising its case's
signal count); the next audited change of that case brings them along.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from sqlalchemy import func, select

from commandcenter.services.changes import Changes
from commandcenter.store.database import Database
from commandcenter.store.repositories import CaseRepo, UnitRepo, in_chunks
from commandcenter.store.schema import AuditRow, CaseRow

log = logging.getLogger(__name__)

WATCH_EVERY_S = 0.5  # how often a console on a shared database looks for others' changes
# Entries read per poll at most: a flood is caught up over a few polls, each one bounded.
BATCH = 2000
LOOKBACK = timedelta(minutes=2)
KNOWN_LIMIT = 100_000  # versions remembered; beyond this the oldest half is forgotten
_OPENING = frozenset({"report"})  # audit actions that bring a new case into the queue


class CaseWatch:
    """`poll` returns the cases changed elsewhere since the previous poll."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._after: int | None = None  # the last audit entry read
        self._known: dict[int, int] = {}  # case id -> the newest version this side has
        self._lock = threading.Lock()  # `note` comes from the ingest writer's thread

    def start(self, now: datetime) -> None:
        """Begin with the entries of the last `LOOKBACK` (the console loads its picture at the
        same time, and a restarted ingest process must not miss what came while it was down;
        what the console has already is skipped by version there)."""
        with self.db.read() as session:
            first = session.scalar(select(func.min(AuditRow.id))
                                   .where(AuditRow.at >= now - LOOKBACK))
            last = session.scalar(select(func.max(AuditRow.id))) or 0
        self._after = first - 1 if first is not None else last

    def note(self, changes: Changes) -> None:
        """Versions this side committed or received itself: never reported back to it."""
        with self._lock:
            for case_id, case in changes.cases.items():
                if case.version > self._known.get(case_id, 0):
                    self._known[case_id] = case.version
            if len(self._known) > KNOWN_LIMIT:  # a long shift: forget the oldest half
                for case_id in list(self._known)[:KNOWN_LIMIT // 2]:
                    del self._known[case_id]

    def poll(self, now: datetime) -> Changes | None:
        """The cases committed elsewhere since the last poll, newer than this side has them;
        None when there are none. The first call (or the first that reaches the database)
        starts the watch."""
        if self._after is None:
            self.start(now)
        with self.db.read() as session:
            entries = session.execute(
                select(AuditRow.id, AuditRow.case_id, AuditRow.action)
                .where(AuditRow.id > self._after).order_by(AuditRow.id).limit(BATCH)).all()
            if not entries:
                return None
            self._after = entries[-1].id
            touched = {e.case_id for e in entries if e.case_id is not None}
            opened = {e.case_id for e in entries if e.action in _OPENING}
            # Actions on cases take officers and free them (a reported case holds none).
            moved_units = any(e.action not in _OPENING for e in entries)
            versions = {case_id: version for chunk in in_chunks(sorted(touched))
                        for case_id, version in session.execute(
                            select(CaseRow.id, CaseRow.version).where(CaseRow.id.in_(chunk)))}
            with self._lock:
                newer = [i for i, version in versions.items() if version > self._known.get(i, 0)]
            if not newer:
                return None
            repo = CaseRepo(session)
            cases = [case for chunk in in_chunks(newer) for case in repo.by_ids(chunk)]
            units = UnitRepo(session).all() if moved_units else []
        changes = Changes(cases={case.id or 0: case for case in cases},
                          units={unit.id: unit for unit in units})
        with self._lock:
            changes.new_case_ids = [case_id for case_id in changes.cases
                                    if case_id in opened and case_id not in self._known]
        self.note(changes)
        log.debug("%d case(s) changed elsewhere (%d new)", len(changes.cases),
                  len(changes.new_case_ids))
        return changes
