"""Shared fixtures: tests never touch the real user folders; databases are real (SQLite in a
temp dir, PostgreSQL where the machine has it)."""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Property tests check behaviour, not speed: no per-example deadline (a loaded CI machine
# would fail them at random). Locally every run explores new examples; CI replays a fixed
# set, so a landing never depends on the draw (a failure found locally becomes a test).
settings.register_profile("local", deadline=None, print_blob=True)
settings.register_profile("ci", deadline=None, print_blob=True, derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") else "local")

PG_URL = os.environ.get("CC_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.fixture(autouse=True)
def _private_user_dirs(tmp_path_factory: pytest.TempPathFactory,
                       monkeypatch: pytest.MonkeyPatch) -> None:
    base = tmp_path_factory.mktemp("userdirs")
    for name in ("DATA", "CONFIG", "LOG"):
        monkeypatch.setenv(f"CC_{name}_DIR", str(base / name.lower()))
    for name in ("CC_DB_URL", "CC_BROKER_URL"):
        monkeypatch.delenv(name, raising=False)


class FakeClock:
    """A settable clock for services (time is an input, not a test hazard)."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 11, 28, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> datetime:
        self.now += timedelta(**kw)
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+pysqlite:///{tmp_path / 'cc.db'}"


@contextmanager
def _pg_schema() -> Iterator[str]:
    """A fresh schema in the `test` database, dropped afterwards: its URL."""
    sqlalchemy = pytest.importorskip("sqlalchemy")
    schema = f"cc_{uuid.uuid4().hex[:12]}"
    admin = sqlalchemy.create_engine(PG_URL)
    try:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    except sqlalchemy.exc.OperationalError as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"PostgreSQL not reachable at {PG_URL}: {exc.orig}")
    try:
        yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh schema in the `test` database, dropped afterwards."""
    with _pg_schema() as url:
        yield url


@pytest.fixture
def other_pg_url() -> Iterator[str]:
    """A second fresh schema, for tests that compare two databases."""
    with _pg_schema() as url:
        yield url


def event_payload(source: str = "suishoupai", source_id: str = "r-1", **over: object) -> bytes:
    body: dict[str, object] = {
        "source": source, "source_id": source_id, "kind": "report", "category": "0501",
        "severity": "minor", "occurred_at": "2026-11-28T16:58:00+08:00",
        "location": {"lat": 32.0305, "lon": 120.8702, "crs": "wgs84", "address": "民安花苑北门"},
        "title": "民安花苑北门有流动摊贩占道经营", "description": "三轮车摊贩堵住北门",
    }
    body.update(over)
    return json.dumps(body, ensure_ascii=False).encode()


@pytest.fixture
def mosquitto(tmp_path: Path) -> Iterator[object]:
    """A private Mosquitto on a free port, with the shipped hall configuration."""
    from tests.support.mosquitto import Mosquitto

    broker = Mosquitto(tmp_path / "broker")
    broker.start()
    yield broker
    broker.stop()


@pytest.fixture
def auth_broker(tmp_path: Path) -> Iterator[object]:
    """A private Mosquitto that refuses anonymous clients; user cc, password s3cret."""
    from tests.support.mosquitto import with_passwords

    broker = with_passwords(tmp_path / "auth")
    broker.start()
    yield broker
    broker.stop()


@pytest.fixture
def tls_broker(tmp_path: Path) -> Iterator[tuple[object, Path]]:
    """A private TLS-only Mosquitto and the file of the CA that signed its certificate."""
    from tests.support.mosquitto import with_tls

    if shutil.which("openssl") is None:
        if os.environ.get("CI"):  # scripts/test installs it: missing there is a defect
            raise RuntimeError("openssl is missing: the TLS tests cannot run")
        pytest.skip("openssl is needed to make the test certificates")
    broker, ca = with_tls(tmp_path / "tls")
    broker.start()
    yield broker, ca
    broker.stop()
