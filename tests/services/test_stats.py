"""Hall totals from a real database filled through the real ingest path, and the `stats` command
a supervisor or a monitoring script runs."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from commandcenter.config import Settings
from commandcenter.domain.case import Action
from commandcenter.hall import Hall, open_hall
from commandcenter.ingest.message import InboundMessage
from commandcenter.services.actor import DISPATCHER, Actor
from commandcenter.services.stats import hall_stats
from commandcenter.stats_cli import add_stats_parser, run_stats
from commandcenter.store.database import DatabaseError
from tests.conftest import FakeClock, event_payload
from tests.services.test_quarantine import BAD_MESSAGES, feed_bad_messages

DISPATCH = Actor("user:li", "李调度", frozenset({DISPATCHER}))
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    return str(request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url"))


@pytest.fixture
def hall(db_url: str, clock: FakeClock) -> Iterator[Hall]:
    h = open_hall(Settings(db_url=db_url))
    h.ctx.clock = clock
    yield h
    h.close()


def feed(hall: Hall, clock: FakeClock, topic: str, payload: bytes) -> None:
    hall.ingest.process_now([InboundMessage(topic, payload, clock.now)])


def fill(hall: Hall, clock: FakeClock) -> None:
    """Four citizen reports (one a repeat), a camera hit, a reading, one case registered,
    and the whole catalogue of bad messages."""
    for n in (1, 2, 3):
        feed(hall, clock, "cc/v1/event/suishoupai", event_payload(source_id=f"r-{n}"))
        clock.advance(seconds=30)
    feed(hall, clock, "cc/v1/event/suishoupai", event_payload(source_id="r-1"))  # redelivery
    feed(hall, clock, "cc/v1/event/frigate",
         event_payload(source="frigate", source_id="cam-7:1", kind="camera"))
    clock.advance(seconds=30)
    feed(hall, clock, "cc/v1/event/oilfume",
         event_payload(source="oilfume", source_id="m-1", kind="reading", category=None))
    snapshot = hall.cases.snapshot()
    first = min(snapshot.cases, key=lambda c: c.id or 0)
    hall.cases.act(first.id or 0, Action.REGISTER, DISPATCH, expected_version=first.version)
    feed_bad_messages(hall, clock)


def test_empty_hall(hall: Hall) -> None:
    stats = hall_stats(hall.ctx.db)
    assert stats["events"] == {"total": 0, "by_kind": {}, "by_source": {}}
    assert stats["cases"] == {"total": 0, "open": 0, "by_state": {}}
    assert stats["quarantine"] == {"total": 0, "by_reason": {}, "last_at": None}
    assert stats["last_event_at"] is None


def test_counts_match_what_arrived(hall: Hall, clock: FakeClock) -> None:
    start = clock.now
    fill(hall, clock)
    stats = hall_stats(hall.ctx.db)
    assert stats["events"]["total"] == 5  # the redelivered report is not counted twice
    assert stats["events"]["by_kind"] == {"report": 3, "camera": 1, "reading": 1}
    assert stats["events"]["by_source"] == {"suishoupai": 3, "frigate": 1, "oilfume": 1}
    assert stats["cases"]["by_state"] == {"reported": 3, "registered": 1}
    assert stats["cases"]["total"] == stats["cases"]["open"] == 4
    assert stats["quarantine"]["total"] == len(BAD_MESSAGES)
    assert stats["quarantine"]["by_reason"] == {
        "not_json": 3, "bad_location": 2, "invalid_field": 2, "encoding": 1,
        "missing_field": 1, "too_large": 1, "unknown_topic": 1, "unknown_unit": 1}
    # The reading arrived last, 2 minutes into the shift; the bad messages kept coming after it.
    assert stats["last_event_at"] == "2026-11-28T09:02:00Z"
    assert datetime.fromisoformat(stats["last_event_at"]) == start.replace(minute=2)
    assert stats["quarantine"]["last_at"] == "2026-11-28T09:13:00Z"
    assert datetime.fromisoformat(stats["quarantine"]["last_at"]).tzinfo == UTC
    json.dumps(stats)  # JSON-able as it is


def _args(db_url: str, *extra: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="commandcenter")
    add_stats_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(["stats", "--db", db_url, *extra])


def test_stats_json_is_one_line_a_script_can_read(hall: Hall, clock: FakeClock, db_url: str,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    fill(hall, clock)
    args = _args(db_url, "--json")
    assert args.func is run_stats
    assert run_stats(args) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and out.endswith("\n")
    assert json.loads(out) == hall_stats(hall.ctx.db)
    assert "\\u" not in out  # ensure_ascii=False: Chinese stays readable in pipes and logs


def test_stats_table_for_a_supervisor(hall: Hall, clock: FakeClock, db_url: str,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    fill(hall, clock)
    assert run_stats(_args(db_url)) == 0
    lines = capsys.readouterr().out.splitlines()
    rows = {line.rsplit(maxsplit=1)[0].strip(): line.rsplit(maxsplit=1)[1] for line in lines
            if not line.startswith(("数据库", "最近")) and not line.endswith(("kind", "source",
                                                                         "state", "reason"))}
    assert rows["事件 events"] == "5"
    assert rows["report 上报"] == "3"
    assert rows["隔离消息 quarantine"] == str(len(BAD_MESSAGES))
    assert rows["not_json 非JSON格式"] == "3"
    assert rows["registered 待派遣"] == "1"
    assert rows["案件 cases"] == rows["未结 open"] == "4"
    # Local time first (the hall's clock), then the exact UTC instant.
    assert lines[-1].endswith("2026-11-28 17:02:00 (Asia/Shanghai) = 2026-11-28T09:02:00Z")


def test_stats_never_creates_a_missing_database(tmp_path: Path) -> None:
    missing = tmp_path / "typo.db"
    with pytest.raises(DatabaseError, match="数据库文件不存在"):
        run_stats(_args(f"sqlite+pysqlite:///{missing}"))
    assert not missing.exists()


def test_stats_refuses_a_database_without_the_schema(tmp_path: Path) -> None:
    import sqlite3

    other = tmp_path / "other.db"
    sqlite3.connect(other).close()
    with pytest.raises(DatabaseError, match="db upgrade"):
        run_stats(_args(f"sqlite+pysqlite:///{other}"))


def test_stats_command_end_to_end(hall: Hall, clock: FakeClock, db_url: str) -> None:
    fill(hall, clock)
    result = subprocess.run([sys.executable, "-m", "commandcenter", "stats", "--db", db_url,
                             "--json"], cwd=ROOT, capture_output=True, text=True, timeout=60,
                            encoding="utf-8")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == hall_stats(hall.ctx.db)
