"""Repositories: the queries services need, in domain terms. Each takes an open session;
the caller (a service) owns the unit of work."""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import datetime, tzinfo
from typing import Any, NamedTuple

from sqlalchemy import (
    Column,
    Float,
    Integer,
    MetaData,
    Table,
    and_,
    bindparam,
    delete,
    func,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session
from sqlalchemy.schema import CreateTable

from commandcenter.domain.case import OPEN_STATES, Case, CaseState
from commandcenter.domain.errors import KnownError, StaleCase
from commandcenter.domain.event import Event, Location
from commandcenter.domain.unit import Unit
from commandcenter.store.bulk import BulkInsert, BulkUpdate
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
from commandcenter.store.types import UtcDateTime


class NotFound(KnownError):
    pass


EventKey = tuple[str, str]  # (source, source_id): what makes a message the same message


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


# Statements built once and executed with parameters: SQLAlchemy then reuses their compiled
# form, instead of building and hashing a new statement for every stored signal (the ingest
# writer runs these thousands of times a minute under load).
_CASE_INSERT = BulkInsert(CaseRow.__table__, returning=("id", "number"))
_CASE_UPDATE = (update(CaseRow)
                .where(CaseRow.id == bindparam("_id"), CaseRow.version == bindparam("_version")))
_DUPLICATE_OF = (update(CaseRow).where(CaseRow.id == bindparam("_id"))
                 .values(duplicate_of=bindparam("_of")))
_DEADLINE_INSERT = BulkInsert(DeadlineRow.__table__)
_UNIT_MOVE = update(UnitRow).where(UnitRow.id == bindparam("_id"))
_DEADLINE_DELETE = delete(DeadlineRow).where(DeadlineRow.case_id == bindparam("_case_id"))
_EVENT_INSERT = BulkInsert(EventRow.__table__, skip_conflicts_on=("source", "source_id"),
                           returning=("id", "source", "source_id"))
_EVENT_LINK = BulkUpdate(EventRow.__table__, changed=("case_id",), key=("id",))
_OPEN_NEAR_COLUMNS = (CaseRow.id, CaseRow.number, CaseRow.category, CaseRow.priority,
                      CaseRow.title, CaseRow.state, CaseRow.reported_at, CaseRow.lat,
                      CaseRow.lon, CaseRow.address, CaseRow.updated_at, CaseRow.version)
_OPEN_NEAR = (
    select(*_OPEN_NEAR_COLUMNS)
    # Only what the partial index ix_cases_candidates_lat covers: with state or category here
    # SQLite prefers their indexes and scans every open case (state and category are checked
    # on the few rows this returns).
    .where(CaseRow.duplicate_of.is_(None), CaseRow.updated_at >= bindparam("since"),
           CaseRow.lat.between(bindparam("lat_lo"), bindparam("lat_hi")),
           CaseRow.lon.between(bindparam("lon_lo"), bindparam("lon_hi")))
    .order_by(CaseRow.updated_at.desc()).limit(bindparam("limit"))
)
_BY_DIALECT: dict[tuple[str, str], Any] = {}
_FEW_POINTS = 3  # up to this many points, the prebuilt per-point statement is cheaper


class Nearby(NamedTuple):
    """Where and since when to look for the open cases a new signal may duplicate."""

    lat: float
    lon: float
    radius_m: float
    categories: frozenset[str]
    active_since: datetime

    def box(self) -> dict[str, float]:
        dlat = self.radius_m / 111_000.0
        dlon = dlat / max(0.1, math.cos(math.radians(self.lat)))
        return {"lat_lo": self.lat - dlat, "lat_hi": self.lat + dlat,
                "lon_lo": self.lon - dlon, "lon_hi": self.lon + dlon}


# The points of a batched duplicate search: a temporary table (one per connection, emptied
# each time) filled with one executemany, so the joined search below is one fixed statement
# compiled once; a VALUES list would be compiled anew for every batch, at ~0.3 ms a point.
_POINTS = Table(
    "cc_nearby_points", MetaData(),  # not the schema's metadata: no migration ever sees it
    Column("point", Integer, primary_key=True), Column("since", UtcDateTime()),
    Column("lat_lo", Float), Column("lat_hi", Float), Column("lon_lo", Float),
    Column("lon_hi", Float), prefixes=["TEMPORARY"],
)
_POINTS_CREATE = CreateTable(_POINTS, if_not_exists=True)
_POINTS_CLEAR = delete(_POINTS)
_POINTS_INSERT = BulkInsert(_POINTS)
_RANKED = (
    select(_POINTS.c.point, CaseRow.id,
           func.row_number().over(partition_by=_POINTS.c.point,
                                  order_by=CaseRow.updated_at.desc()).label("rank"))
    .join_from(_POINTS, CaseRow, and_(CaseRow.duplicate_of.is_(None),
                                      CaseRow.updated_at >= _POINTS.c.since,
                                      CaseRow.lat.between(_POINTS.c.lat_lo, _POINTS.c.lat_hi),
                                      CaseRow.lon.between(_POINTS.c.lon_lo, _POINTS.c.lon_hi)))
    .subquery()
)
_OPEN_NEAR_MANY = (select(_RANKED.c.point, _RANKED.c.id)
                   .where(_RANKED.c.rank <= bindparam("limit"))
                   .order_by(_RANKED.c.point, _RANKED.c.rank))
_CANDIDATES_BY_ID = select(*_OPEN_NEAR_COLUMNS).where(
    CaseRow.id.in_(bindparam("ids", expanding=True)))
_OPEN_STATE_VALUES = frozenset(s.value for s in OPEN_STATES)


def in_chunks(values: list[Any], size: int = 500) -> Iterator[list[Any]]:
    """`values` in slices small enough for an `IN (…)` list on every database."""
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _deadline_rows(case_id: int, case: Case) -> list[dict[str, Any]]:
    return [{"case_id": case_id, "kind": d.kind, "due": d.due, "allowance_s": d.allowance_s,
             "met_at": d.met_at} for d in case.deadlines.values()]


def without_null_columns(row: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Leave out (in place) the columns that are NULL in every row and would be NULL if left
    out (no default): a new case leaves a dozen of its columns empty, and each bound
    parameter costs SQLAlchemy a Python call per row in a bulk insert."""
    if not rows:
        return rows
    droppable = _nullable_without_default(row.__table__)
    empty = [k for k in rows[0] if k in droppable and all(r[k] is None for r in rows)]
    for r in rows:
        for k in empty:
            del r[k]
    return rows


@functools.cache
def _nullable_without_default(table: Table) -> frozenset[str]:
    return frozenset(c.name for c in table.columns
                     if c.nullable and c.default is None and c.server_default is None)


def _number_upsert(session: Session) -> Any:
    key = (session.get_bind().dialect.name, "number")
    if key not in _BY_DIALECT:
        stmt = dialect_insert(session, CaseNumberRow)
        # `last` inserted is how many numbers to draw; on conflict the counter moves that far.
        _BY_DIALECT[key] = (stmt.on_conflict_do_update(
            index_elements=["day"], set_={"last": CaseNumberRow.last + stmt.excluded.last})
            .returning(CaseNumberRow.last))
    return _BY_DIALECT[key]


class CaseRepo:
    def __init__(self, session: Session) -> None:
        self.s = session

    @property
    def _core(self) -> Connection:
        """The session's own connection: plain Core statements skip the ORM's bookkeeping."""
        return self.s.connection()

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

    def open_near_many(self, points: list[Nearby], limit: int = 20) -> list[list[Case]]:
        """For each point, the open cases of its categories inside a bounding box around it,
        active since its `active_since`, that are not themselves proposed duplicates: the
        candidates a new signal may duplicate (the exact distance is the caller's). Bounded
        and light (at most `limit`, no deadlines loaded), so a flood of reports about one
        spot stays cheap. One statement ranks every point's most recent candidates (ids
        only), a second loads each distinct candidate once (in a busy spot the points share
        most of them); a few points use the prebuilt per-point statement."""
        if len(points) <= _FEW_POINTS:
            return [self._candidates(point, list(self._core.execute(
                        _OPEN_NEAR, {"since": point.active_since, **point.box(),
                                     "limit": limit * 3})), limit)
                    for point in points]
        conn = self._core
        conn.execute(_POINTS_CREATE)
        conn.execute(_POINTS_CLEAR)
        _POINTS_INSERT.run(conn, [{"point": i, "since": p.active_since, **p.box()}
                                  for i, p in enumerate(points)])
        ids_by_point: list[list[int]] = [[] for _ in points]
        # Fetched whole: row by row, SQLAlchemy's fetch machinery cost more than the loop.
        for point_index, case_id in conn.execute(_OPEN_NEAR_MANY, {"limit": limit * 3}).all():
            ids_by_point[point_index].append(case_id)
        distinct = sorted({i for ids in ids_by_point for i in ids})
        rows: dict[int, Any] = {}
        for chunk in in_chunks(distinct):
            rows.update((r.id, r) for r in conn.execute(_CANDIDATES_BY_ID, {"ids": chunk}).all())
        built: dict[int, Case] = {}
        return [self._candidates(point, [rows[i] for i in ids], limit, built)
                for point, ids in zip(points, ids_by_point, strict=True)]

    @staticmethod
    def _candidates(point: Nearby, rows: list[Any], limit: int,
                    built: dict[int, Case] | None = None) -> list[Case]:
        """The open candidates of one point among its rows; `built` shares the Case objects
        between points (in a busy spot most points see the same few cases)."""
        built = {} if built is None else built
        out = []
        for r in rows:
            if r.category not in point.categories or r.state not in _OPEN_STATE_VALUES:
                continue
            case = built.get(r.id)
            if case is None:
                case = built[r.id] = Case(
                    id=r.id, number=r.number, category=r.category, priority=r.priority,
                    title=r.title, state=CaseState(r.state), reported_at=r.reported_at,
                    location=Location(r.lat, r.lon, r.address), updated_at=r.updated_at,
                    version=r.version)
            out.append(case)
            if len(out) == limit:
                break
        return out

    def list_recent_closed(self, since: datetime) -> list[Case]:
        query = select(CaseRow).where(CaseRow.state.not_in([s.value for s in OPEN_STATES]),
                                      CaseRow.updated_at >= since)
        return self._load(self.s.scalars(query))

    def next_number(self, now: datetime, tz: tzinfo) -> str:
        """CC-YYYYMMDD-NNNN, the day in the hall's time zone; the counter row is upserted under
        the write lock, so two writers never draw the same number."""
        return self.reserve_numbers(now, tz, 1)[0]

    def reserve_numbers(self, now: datetime, tz: tzinfo, count: int) -> list[str]:
        """`count` consecutive case numbers of the day, drawn with one statement."""
        if count <= 0:
            return []
        day = now.astimezone(tz).strftime("%Y%m%d")
        last = self._core.execute(_number_upsert(self.s),
                                  {"day": day, "last": count}).scalar_one()
        return [f"CC-{day}-{n:04d}" for n in range(last - count + 1, last + 1)]

    def add(self, case: Case) -> Case:
        """Insert a new case and its deadlines: the case with its id."""
        (case_id,) = self.insert_rows([case], [case_columns(case)])
        return replace(case, id=case_id, version=1)

    def insert_rows(self, cases: list[Case], columns: list[dict[str, Any]]) -> list[int]:
        """Insert new cases from their `case_columns` (consumed; the caller may have changed
        some, e.g. a duplicate proposal) with the cases' deadlines: the new ids, in order."""
        if not cases:
            return []
        for row in columns:
            row["version"] = 1
        # Ids come back keyed by the (unique) number: a multi-row INSERT … RETURNING promises
        # no order, and asking SQLAlchemy for one makes it insert row by row on SQLite.
        returned = _CASE_INSERT.run(self._core, without_null_columns(CaseRow, columns))
        by_number = {r.number: int(r.id) for r in returned}
        ids = [by_number[c.number] for c in cases]
        _DEADLINE_INSERT.run(self._core, [row for c, i in zip(cases, ids, strict=True)
                                          for row in _deadline_rows(i, c)])
        return ids

    def set_duplicate_of(self, pairs: list[tuple[int, int]]) -> None:
        """Point just-added cases at the case each probably duplicates: `(case_id, of)`."""
        if pairs:
            self._core.execute(_DUPLICATE_OF, [{"_id": c, "_of": of} for c, of in pairs])

    def update(self, case: Case, expected_version: int) -> Case:
        """Save `case` if nobody changed it since `expected_version`; else `StaleCase`."""
        assert case.id is not None
        result = self._core.execute(_CASE_UPDATE, {"_id": case.id, "_version": expected_version,
                                               "version": expected_version + 1,
                                               **case_columns(case)})
        if result.rowcount != 1:
            raise StaleCase(f"案件 {case.number} 已被他人修改，请刷新后重试")
        self._core.execute(_DEADLINE_DELETE, {"_case_id": case.id})
        self._write_deadlines(case.id, case)
        return replace(case, version=expected_version + 1)

    def _write_deadlines(self, case_id: int, case: Case) -> None:
        _DEADLINE_INSERT.run(self._core, _deadline_rows(case_id, case))

    def count_by_state(self) -> dict[str, int]:
        rows = self.s.execute(select(CaseRow.state, func.count()).group_by(CaseRow.state))
        return {state: n for state, n in rows}  # Row unpacks; .tuples() is deprecated in 2.1


class EventRepo:
    def __init__(self, session: Session) -> None:
        self.s = session

    def insert_new_many(self, events: list[tuple[Event, datetime]]) -> dict[EventKey, int]:
        """Store each `(event, received_at)` whose `(source, source_id)` is not stored yet, in
        one statement: the ids of those stored, by key (absent: a duplicate). Conflicts are
        settled by the unique index, so two writers racing on one message store it once."""
        if not events:
            return {}
        returned = _EVENT_INSERT.run(self.s.connection(), without_null_columns(
            EventRow, [{"received_at": received_at, **event_columns(event)}
                       for event, received_at in events]))
        return {(r.source, r.source_id): int(r.id) for r in returned}

    def link(self, event_id: int, case_id: int) -> None:
        self.link_many([(event_id, case_id)])

    def link_many(self, links: list[tuple[int, int]]) -> None:
        """Attach events to cases: `(event_id, case_id)` pairs, one statement."""
        _EVENT_LINK.run(self.s.connection(), [{"id": e, "case_id": c} for e, c in links])

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

    def get_many(self, unit_ids: Iterable[str]) -> dict[str, Unit]:
        out: dict[str, Unit] = {}
        for chunk in in_chunks(sorted(set(unit_ids))):
            rows = self.s.scalars(select(UnitRow).where(UnitRow.id.in_(chunk)))
            out.update((r.id, unit_from_row(r)) for r in rows)
        return out

    def move_many(self, units: list[Unit]) -> None:
        """Write the positions of these units (each already stored), one statement."""
        if units:
            self.s.connection().execute(_UNIT_MOVE, [
                {"_id": u.id, "lat": u.lat, "lon": u.lon, "position_at": u.position_at}
                for u in units])

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
