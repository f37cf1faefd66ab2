"""Open a database (SQLite or PostgreSQL), bring its schema up to date, hand out sessions.

SQLite gets WAL, foreign keys and a busy timeout; its write transactions start with
`BEGIN IMMEDIATE` so two writers never both read then fail to upgrade their lock.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from commandcenter.domain.errors import KnownError

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# The newest migration this code ships (a test keeps it equal to Alembic's head). Knowing it
# lets a start on an up-to-date database skip importing Alembic (~90 ms of the first paint).
SCHEMA_HEAD = "0005"


class DatabaseError(KnownError):
    """The database cannot be used: unreachable, locked, or from a newer program version."""


def sqlite_url(path: Path) -> str:
    return f"sqlite+pysqlite:///{path}"


def _sqlite_engine(url: str, *, immediate: bool) -> Engine:
    engine = create_engine(url, connect_args={"timeout": 10, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (pysqlite quirk)
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=10000")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


class Database:
    """Two engines on one database: writes (serialized on SQLite) and reads (never blocking)."""

    def __init__(self, url: str) -> None:
        self.url = url
        parsed = make_url(url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        if self.is_sqlite:
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            self.write_engine = _sqlite_engine(url, immediate=True)
            self.read_engine = _sqlite_engine(url, immediate=False)
        else:
            self.write_engine = create_engine(url, pool_pre_ping=True)
            self.read_engine = self.write_engine
        self._writer = sessionmaker(self.write_engine, expire_on_commit=False)
        self._reader = sessionmaker(self.read_engine, expire_on_commit=False)

    def display_url(self) -> str:
        """The URL without its password, for logs and the status bar."""
        return make_url(self.url).render_as_string(hide_password=True)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One unit of work: commit on success, roll back on any exception."""
        with self._writer() as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._reader() as session, session.begin():
            yield session

    def current_revision(self) -> str | None:
        try:
            with self.read_engine.connect() as conn:
                if not inspect(conn).has_table("alembic_version"):
                    return None
                return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except DBAPIError as exc:  # unreachable, refused, or a file that is not a database
            raise DatabaseError(
                f"无法打开数据库 {self.display_url()}：{exc.orig}"
            ) from exc

    def migrate(self) -> None:
        """Upgrade the schema to this program's head; refuse a schema newer than the code."""
        current = self.current_revision()
        if current == SCHEMA_HEAD:
            return
        from alembic import command
        from alembic.config import Config
        from alembic.script import ScriptDirectory

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        script = ScriptDirectory.from_config(config)
        # get_revision() raises, not returns None, for an id it does not know.
        known = {rev.revision for rev in script.walk_revisions()}
        if current is not None and current not in known:
            raise DatabaseError(
                f"数据库 {self.display_url()} 的结构版本 {current} 比本程序新，请升级程序"
                f" (the database schema {current} is newer than this program)"
            ) from None
        with self.write_engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
        log.info("database %s at schema %s", self.display_url(), script.get_current_head())

    def dispose(self) -> None:
        self.write_engine.dispose()
        if self.read_engine is not self.write_engine:
            self.read_engine.dispose()


def open_database(url: str, *, migrate: bool = True) -> Database:
    db = Database(url)
    if migrate:
        try:
            db.migrate()
        except BaseException:
            db.dispose()  # a refused database must not keep a connection open
            raise
    return db
