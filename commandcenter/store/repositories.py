"""Repositories: the queries services need, in domain terms. Each takes an open session;
the caller (a service) owns the unit of work."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, tzinfo
from typing import Any, NamedTuple

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from commandcenter.domain.case import OPEN_STATES, Case
from commandcenter.domain.errors import KnownError, StaleCase
from commandcenter.domain.event import Event
from commandcenter.domain.unit import Unit
from commandcenter.store.mapping import (
    case_columns,
    case_from_row,
    event_columns,
    event_from_row,
    unit_columns,
    unit_from_row,
)
from commandcenter.store.schema import (
    CaseNumberRow,
    CaseRow,
    DeadlineRow,
    EventRow,
    QuarantineRow,
    UnitRow,
)


class NotFound(KnownError):
    pass


class SignalRecord(NamedTuple):
    """A stored signal as the case panel lists it: its id (to split it off) and times."""

    id: int
    received_at: datetime
    event: Event


def dialect_insert(session: Session, table: Any) -> Any:
    """INSERT … ON CONFLICT for the session's dialect (SQLite and PostgreSQL both have it)."""
    name = session.get_bind().dialect.name
    if name == "postgresql":
        return postgresql.insert(table)
    if name == "sqlite":
        return sqlite.insert(table)
    raise KnownError(f"unsupported database dialect {name!r}")


class CaseRepo:
    def __init__(self, session: Session) -> None:
        self.s = session

    def _load(self, rows: Iterable[CaseRow]) -> list[Case]:
        rows = list(rows)
        if not rows:
            return []
        by_case: dict[int, list[DeadlineRow]] = {r.id: [] for r in rows}
        ids = list(by_case)
        for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
            for d in self.s.scalars(select(DeadlineRow).where(DeadlineRow.case_id.in_(chunk))):
                by_case[d.case_id].append(d)
        return [case_from_row(r, by_case[r.id]) for r in rows]

    def get(self, case_id: int) -> Case:
        row = self.s.get(CaseRow, case_id)
        if row is None:
            raise NotFound(f"案件 {case_id} 不存在")
        return self._load([row])[0]

    def get_by_number(self, number: str) -> Case | None:
        row = self.s.scalar(select(CaseRow).where(CaseRow.number == number))
        return self._load([row])[0] if row else None

    def by_ids(self, ids: Iterable[int]) -> list[Case]:
        ids = list(ids)
        if not ids:
            return []
        return self._load(self.s.scalars(select(CaseRow).where(CaseRow.id.in_(ids))))

    def list_open(self) -> list[Case]:
        states = [s.value for s in OPEN_STATES]
        return self._load(self.s.scalars(select(CaseRow).where(CaseRow.state.in_(states))))

    def open_near(self, lat: float, lon: float, radius_m: float,
                  categories: Iterable[str], active_since: datetime,
                  limit: int = 20) -> list[Case]:
        """Open cases of these categories inside a bounding box around the point, active
        since `active_since`, that are not themselves proposed duplicates: the candidates a
        new signal may duplicate (the exact distance is the caller's). Bounded, so a flood
        of reports about one spot stays cheap."""
        dlat = radius_m / 111_000.0
        dlon = dlat / max(0.1, math.cos(math.radians(lat)))
        states = [s.value for s in OPEN_STATES]
        query = (select(CaseRow).where(
            CaseRow.state.in_(states), CaseRow.category.in_(list(categories)),
            CaseRow.duplicate_of.is_(None), CaseRow.updated_at >= active_since,
            CaseRow.lat.between(lat - dlat, lat + dlat),
            CaseRow.lon.between(lon - dlon, lon + dlon))
            .order_by(CaseRow.updated_at.desc()).limit(limit))
        return self._load(self.s.scalars(query))

    def list_recent_closed(self, since: datetime) -> list[Case]:
        query = select(CaseRow).where(CaseRow.state.not_in([s.value for s in OPEN_STATES]),
                                      CaseRow.updated_at >= since)
        return self._load(self.s.scalars(query))

    def next_number(self, now: datetime, tz: tzinfo) -> str:
        """CC-YYYYMMDD-NNNN, the day in the hall's time zone; the counter row is upserted under
        the write lock, so two writers never draw the same number."""
        day = now.astimezone(tz).strftime("%Y%m%d")
        stmt = dialect_insert(self.s, CaseNumberRow).values(day=day, last=1)
        stmt = stmt.on_conflict_do_update(index_elements=["day"],
                                          set_={"last": CaseNumberRow.last + 1})
        self.s.execute(stmt.returning(CaseNumberRow.last))
        last = self.s.scalar(select(CaseNumberRow.last).where(CaseNumberRow.day == day))
        return f"CC-{day}-{last:04d}"

    def add(self, case: Case) -> Case:
        row = CaseRow(version=1, **case_columns(case))
        self.s.add(row)
        self.s.flush()
        self._write_deadlines(row.id, case)
        return replace(case, id=row.id, version=1)

    def update(self, case: Case, expected_version: int) -> Case:
        """Save `case` if nobody changed it since `expected_version`; else `StaleCase`."""
        assert case.id is not None
        result = self.s.execute(
            update(CaseRow)
            .where(CaseRow.id == case.id, CaseRow.version == expected_version)
            .values(version=expected_version + 1, **case_columns(case))
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise StaleCase(f"案件 {case.number} 已被他人修改，请刷新后重试")
        self.s.execute(delete(DeadlineRow).where(DeadlineRow.case_id == case.id))
        self._write_deadlines(case.id, case)
        return replace(case, version=expected_version + 1)

    def _write_deadlines(self, case_id: int, case: Case) -> None:
        for d in case.deadlines.values():
            self.s.add(DeadlineRow(case_id=case_id, kind=d.kind, due=d.due,
                                   allowance_s=d.allowance_s, met_at=d.met_at))
        self.s.flush()

    def count_by_state(self) -> dict[str, int]:
        rows = self.s.execute(select(CaseRow.state, func.count()).group_by(CaseRow.state))
        return {state: n for state, n in rows}  # Row unpacks; .tuples() is deprecated in 2.1


class EventRepo:
    def __init__(self, session: Session) -> None:
        self.s = session

    def insert_new(self, event: Event, received_at: datetime) -> int | None:
        """Store `event` unless its `(source, source_id)` is already stored: the id, or None
        for a duplicate (a redelivery or a re-sent message)."""
        stmt = (dialect_insert(self.s, EventRow)
                .values(received_at=received_at, **event_columns(event))
                .on_conflict_do_nothing(index_elements=["source", "source_id"])
                .returning(EventRow.id))
        event_id: int | None = self.s.scalar(stmt)
        return event_id

    def link(self, event_id: int, case_id: int) -> None:
        self.s.execute(update(EventRow).where(EventRow.id == event_id).values(case_id=case_id))

    def for_case(self, case_id: int) -> list[tuple[datetime, Event]]:
        rows = self.s.scalars(select(EventRow).where(EventRow.case_id == case_id)
                              .order_by(EventRow.occurred_at))
        return [(r.received_at, event_from_row(r)) for r in rows]

    def signals_for_case(self, case_id: int) -> list[SignalRecord]:
        rows = self.s.scalars(select(EventRow).where(EventRow.case_id == case_id)
                              .order_by(EventRow.occurred_at))
        return [SignalRecord(r.id, r.received_at, event_from_row(r)) for r in rows]

    def get(self, event_id: int) -> tuple[int | None, Event]:
        """An event and the case it belongs to."""
        row = self.s.get(EventRow, event_id)
        if row is None:
            raise NotFound(f"信号 {event_id} 不存在")
        return row.case_id, event_from_row(row)

    def move(self, from_case: int, to_case: int) -> int:
        """Re-link every event of `from_case` to `to_case`; how many moved."""
        result = self.s.execute(update(EventRow).where(EventRow.case_id == from_case)
                                .values(case_id=to_case))
        return int(result.rowcount)  # type: ignore[attr-defined]

    def count(self) -> int:
        return self.s.scalar(select(func.count()).select_from(EventRow)) or 0


class UnitRepo:
    def __init__(self, session: Session) -> None:
        self.s = session

    def get(self, unit_id: str) -> Unit | None:
        row = self.s.get(UnitRow, unit_id)
        return unit_from_row(row) if row else None

    def all(self) -> list[Unit]:
        return [unit_from_row(r) for r in self.s.scalars(select(UnitRow).order_by(UnitRow.id))]

    def save(self, unit: Unit) -> None:
        stmt = dialect_insert(self.s, UnitRow).values(id=unit.id, **unit_columns(unit))
        stmt = stmt.on_conflict_do_update(index_elements=["id"], set_=unit_columns(unit))
        self.s.execute(stmt)


class QuarantineRepo:
    def __init__(self, session: Session) -> None:
        self.s = session

    def add(self, received_at: datetime, source: str, reason_code: str, reason: str,
            payload: bytes) -> None:
        self.s.add(QuarantineRow(received_at=received_at, source=source[:200],
                                 reason_code=reason_code, reason=reason, payload=payload))

    def count(self) -> int:
        return self.s.scalar(select(func.count()).select_from(QuarantineRow)) or 0
