"""Opening a database: schema on first start, SQLite settings, refusals with readable messages."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy
from sqlalchemy import func, inspect, select, text

from commandcenter.store.database import Database, DatabaseError, open_database
from commandcenter.store.schema import AuditHeadRow, EventRow, QuarantineRow

T0 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
TABLES = {"cases", "case_deadlines", "events", "units", "audit_log", "audit_head",
          "case_numbers", "quarantine", "alembic_version"}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest) -> str:
    return str(request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url"))


@pytest.fixture
def db(url: str) -> Iterator[Database]:
    database = open_database(url)
    yield database
    database.dispose()


def quarantine(db: Database, note: str = "x") -> None:
    with db.write() as s:
        s.add(QuarantineRow(received_at=T0, source="cc/v1/event/x", reason=note,
                            reason_code="not_json", payload=b"\xff\x00raw"))


def quarantined(db: Database) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(QuarantineRow)) or 0


def test_first_open_creates_the_schema(db: Database) -> None:
    with db.read_engine.connect() as conn:
        assert TABLES <= set(inspect(conn).get_table_names())
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    with db.read() as s:
        head = s.get(AuditHeadRow, 1)
        assert head is not None and head.last_hash == "0" * 64 and head.count == 0


def test_sqlite_runs_in_wal_mode_with_foreign_keys(sqlite_url: str, tmp_path: Path) -> None:
    db = open_database(sqlite_url)
    try:
        for engine in (db.write_engine, db.read_engine):
            with engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
                assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        quarantine(db)
        assert (tmp_path / "cc.db-wal").exists()
    finally:
        db.dispose()


def test_foreign_keys_are_enforced(db: Database) -> None:
    """An event can never point at a case that does not exist."""
    with pytest.raises(sqlalchemy.exc.IntegrityError), db.write() as s:
        s.add(EventRow(source="s", source_id="1", kind="report", severity="info",
                       occurred_at=T0, received_at=T0, body={}, case_id=12345))
        s.flush()


def test_a_failed_unit_of_work_leaves_nothing_behind(db: Database) -> None:
    with pytest.raises(RuntimeError), db.write() as s:
        s.add(QuarantineRow(received_at=T0, source="s", reason="r", reason_code="c",
                            payload=b""))
        s.flush()
        raise RuntimeError("boom")
    assert quarantined(db) == 0


def test_reopening_keeps_the_data(url: str) -> None:
    first = open_database(url)
    quarantine(first)
    first.dispose()
    again = open_database(url)
    try:
        assert quarantined(again) == 1
        with again.read() as s:
            row = s.scalars(select(QuarantineRow)).one()
            assert row.payload == b"\xff\x00raw" and row.received_at == T0
    finally:
        again.dispose()


def test_a_database_from_a_newer_program_is_refused(url: str) -> None:
    first = open_database(url)
    quarantine(first)
    with first.write() as s:
        s.execute(text("UPDATE alembic_version SET version_num = 'ffee0099aabb'"))
    first.dispose()

    with pytest.raises(DatabaseError, match="比本程序新") as info:
        open_database(url)
    assert "ffee0099aabb" in str(info.value)
    # Nothing was touched: the newer program still finds its data.
    raw = Database(url)
    try:
        with raw.read() as s:
            assert s.scalar(text("SELECT version_num FROM alembic_version")) == "ffee0099aabb"
        assert quarantined(raw) == 1
    finally:
        raw.dispose()


def test_unreachable_postgresql_is_a_readable_error() -> None:
    with pytest.raises(DatabaseError) as info:
        open_database("postgresql+psycopg://cc:secret@127.0.0.1:1/commandcenter")
    message = str(info.value)
    assert message.startswith("无法打开数据库")
    assert "127.0.0.1" in message and "commandcenter" in message
    assert "secret" not in message  # the password never reaches the screen or the log


def test_a_file_that_is_not_a_database_is_a_readable_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are meeting notes, not a database " * 50)
    with pytest.raises(DatabaseError, match="无法打开数据库") as info:
        open_database(f"sqlite+pysqlite:///{path}")
    assert "notes.db" in str(info.value)


def test_sqlite_folder_is_created(tmp_path: Path) -> None:
    path = tmp_path / "new" / "place" / "cc.db"
    db = open_database(f"sqlite+pysqlite:///{path}")
    try:
        assert path.is_file()
    finally:
        db.dispose()


def test_display_url_hides_the_password() -> None:
    db = Database("postgresql+psycopg://cc:secret@db.example:5432/hall")
    try:
        assert db.display_url() == "postgresql+psycopg://cc:***@db.example:5432/hall"
    finally:
        db.dispose()
