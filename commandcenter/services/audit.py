"""The append-only, hash-chained audit log: hash = SHA-256(prev_hash, canonical entry).

Appending locks the single chain-head row, so concurrent writers (several workstations on
PostgreSQL) serialize and the chain never forks; `verify` recomputes it end to end.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from commandcenter.services.actor import Actor
from commandcenter.store.bulk import BulkInsert
from commandcenter.store.repositories import without_null_columns
from commandcenter.store.schema import AuditHeadRow, AuditRow

GENESIS = "0" * 64
# The one canonical JSON of an entry (built once: json.dumps with options builds an encoder
# per call, and the writer hashes an entry for every case it opens).
_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                              default=str)
_HEAD_FOR_UPDATE = (select(AuditHeadRow.last_hash, AuditHeadRow.count)
                    .where(AuditHeadRow.id == 1).with_for_update())
_HEAD_UPDATE = update(AuditHeadRow).where(AuditHeadRow.id == 1)
_INSERT = BulkInsert(AuditRow.__table__)


def _entry_hash(prev_hash: str, at: datetime, actor: str, action: str, case_id: int | None,
                note: str | None, before: Any, after: Any) -> str:
    entry = _CANONICAL.encode(
        # Times are hashed in UTC: that is how the store hands them back.
        {"at": at.astimezone(UTC).isoformat(), "actor": actor, "action": action,
         "case_id": case_id, "note": note, "before": before, "after": after})
    return hashlib.sha256((prev_hash + entry).encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Entry:
    """One audit entry before it is chained: what happened, to which case, by whom."""

    at: datetime
    actor: Actor
    action: str
    case_id: int | None = None
    note: str | None = None
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None


def append(session: Session, *, at: datetime, actor: Actor, action: str,
           case_id: int | None = None, note: str | None = None,
           before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> None:
    append_many(session, [Entry(at, actor, action, case_id, note, before, after)])


def append_many(session: Session, entries: list[Entry]) -> None:
    """Chain `entries` in order after the head and insert them in one statement (the ingest
    writer opens hundreds of cases per batch; one INSERT each would dominate its time)."""
    if not entries:
        return
    conn = session.connection()  # plain Core: this runs for every stored signal
    batched = session.info.get(BATCH_KEY) is not None
    head = session.info.get(_HEAD_KEY) if batched else None
    if head is None:
        head = tuple(conn.execute(_HEAD_FOR_UPDATE).one())  # locks the head till commit
    last_hash, count = head
    rows = []
    for e in entries:
        digest = _entry_hash(last_hash, e.at, e.actor.id, e.action, e.case_id, e.note,
                             e.before, e.after)
        rows.append({"at": e.at, "actor": e.actor.id, "action": e.action,
                     "case_id": e.case_id, "note": e.note, "before": e.before,
                     "after": e.after, "prev_hash": last_hash, "hash": digest})
        last_hash = digest
    _INSERT.run(conn, without_null_columns(AuditRow, rows))
    count += len(rows)
    if batched:  # written once, just before the commit (see `_write_head`)
        session.info[_HEAD_KEY] = (last_hash, count)
    else:
        conn.execute(_HEAD_UPDATE, {"last_hash": last_hash, "count": count})


# A unit of work that runs without savepoints (the ingest writer's fast path) may keep the chain
# head in memory and write it once at commit; with savepoints every append writes it at once,
# since a rolled-back savepoint would otherwise leave the remembered head ahead of the table.
BATCH_KEY = "audit_batched"
_HEAD_KEY = "audit_head"


@event.listens_for(Session, "before_commit")
def _write_head(session: Session) -> None:
    head = session.info.pop(_HEAD_KEY, None)
    session.info.pop(BATCH_KEY, None)
    if head is not None:
        session.connection().execute(_HEAD_UPDATE, {"last_hash": head[0], "count": head[1]})


@event.listens_for(Session, "after_rollback")
def _forget_head(session: Session) -> None:
    session.info.pop(_HEAD_KEY, None)
    session.info.pop(BATCH_KEY, None)


@dataclass(frozen=True, slots=True)
class VerifyResult:
    entries: int
    ok: bool
    first_bad_id: int | None = None
    problem: str | None = None


def verify(session: Session) -> VerifyResult:
    prev = GENESIS
    n = 0
    for row in session.scalars(select(AuditRow).order_by(AuditRow.id)).yield_per(1000):
        n += 1
        if row.prev_hash != prev:
            return VerifyResult(n, False, row.id, "prev_hash does not match the entry before")
        expected = _entry_hash(prev, row.at, row.actor, row.action, row.case_id, row.note,
                               row.before, row.after)
        if expected != row.hash:
            return VerifyResult(n, False, row.id, "entry content does not match its hash")
        prev = row.hash
    head = session.get(AuditHeadRow, 1)
    if head is None or head.last_hash != prev or head.count != n:
        return VerifyResult(n, False, None, "chain head does not match the last entry "
                                            "(entries removed from the end?)")
    return VerifyResult(n, True)


def history(session: Session, case_id: int) -> list[AuditRow]:
    return list(session.scalars(select(AuditRow).where(AuditRow.case_id == case_id)
                                .order_by(AuditRow.id)))
