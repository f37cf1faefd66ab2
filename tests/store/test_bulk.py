"""Rows written straight to the driver read back as SQLAlchemy would have stored them, on
SQLite and PostgreSQL: times, JSON (a JSON null too), conflicts skipped, ids returned across
several statements, updates by key."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import (
    JSON,
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
    insert,
    select,
)

from commandcenter.store.bulk import BulkInsert, BulkUpdate
from commandcenter.store.database import Database, open_database
from commandcenter.store.types import UtcDateTime

T0 = datetime(2026, 11, 28, 16, 58, 12, 345678, tzinfo=ZoneInfo("Asia/Shanghai"))
_META = MetaData()
ITEMS = Table(
    "bulk_items", _META,
    Column("id", Integer, primary_key=True), Column("key", String(32)),
    Column("at", UtcDateTime()), Column("body", JSON), Column("size", Float),
    Column("label", String(32), default="none"), UniqueConstraint("key"),
)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest) -> Iterator[Database]:
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")
    database = open_database(url)
    _META.create_all(database.write_engine)
    yield database
    database.dispose()


def _row(i: int) -> dict[str, object]:
    return {"key": f"k-{i}", "at": T0 + timedelta(seconds=i), "body": {"n": i, "名": "值"},
            "size": i / 4, "label": f"l-{i}"}


def test_rows_read_back_as_sqlalchemy_stores_them(db: Database) -> None:
    rows = [_row(1), {**_row(2), "body": None, "at": None}]
    with db.write() as s:
        BulkInsert(ITEMS).run(s.connection(), [dict(r) for r in rows])
        s.execute(insert(ITEMS), [{**r, "key": f"sa-{r['key']}"} for r in rows])
    with db.read() as s:
        got = {r.key: r for r in s.execute(select(ITEMS))}
        raw = dict(s.execute(select(ITEMS.c.key, ITEMS.c.body.is_(None))).all())
    for r in rows:
        mine, theirs = got[str(r["key"])], got[f"sa-{r['key']}"]
        assert (mine.at, mine.body, mine.size, mine.label) == \
               (theirs.at, theirs.body, theirs.size, theirs.label)
        assert mine.body == r["body"] and raw[r["key"]] == raw[f"sa-{r['key']}"]
    assert got["k-1"].at == T0 + timedelta(seconds=1)


def test_conflicts_are_skipped_and_ids_come_back_across_statements(db: Database) -> None:
    many = BulkInsert(ITEMS, skip_conflicts_on=("key",), returning=("id", "key"))
    with db.write() as s:
        first = many.run(s.connection(), [_row(i) for i in range(0, 3000, 2)])
        again = many.run(s.connection(), [_row(i) for i in range(3000)])  # > one statement
    assert len(first) == 1500 and len(again) == 1500
    assert {r.key for r in again} == {f"k-{i}" for i in range(1, 3000, 2)}
    with db.read() as s:
        stored = dict(s.execute(select(ITEMS.c.key, ITEMS.c.id)).all())
    assert stored == {r.key: r.id for r in first + again}


def test_update_by_key(db: Database) -> None:
    with db.write() as s:
        ids = {r.key: r.id for r in BulkInsert(ITEMS, returning=("id", "key"))
               .run(s.connection(), [_row(i) for i in range(5)])}
        BulkUpdate(ITEMS, changed=("size", "at"), key=("id",)).run(
            s.connection(), [{"id": ids["k-3"], "size": 99.0, "at": T0}])
    with db.read() as s:
        got = {r.key: (r.size, r.at) for r in s.execute(select(ITEMS))}
    assert got["k-3"] == (99.0, T0) and got["k-4"] == (1.0, T0 + timedelta(seconds=4))


def test_a_missing_defaulted_column_is_an_error(db: Database) -> None:
    row = _row(1)
    del row["label"]
    with pytest.raises(ValueError, match="label"), db.write() as s:
        BulkInsert(ITEMS).run(s.connection(), [row])
