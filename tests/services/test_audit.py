"""The hash-chained audit log: an untouched log verifies; any edit or deletion is found."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, text

from commandcenter.config import Settings
from commandcenter.domain.case import Action
from commandcenter.domain.unit import Unit
from commandcenter.hall import Hall, open_hall
from commandcenter.ingest.message import InboundMessage
from commandcenter.services import audit
from commandcenter.services.actor import DISPATCHER, SUPERVISOR, Actor
from commandcenter.store.schema import AuditRow
from tests.conftest import FakeClock, event_payload

DISPATCH = Actor("user:li", "李调度", frozenset({DISPATCHER}))
CHIEF = Actor("user:wang", "王值班长", frozenset({DISPATCHER, SUPERVISOR}))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def hall(request: pytest.FixtureRequest, clock: FakeClock) -> Iterator[Hall]:
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")
    h = open_hall(Settings(db_url=url))
    h.ctx.clock = clock
    h.cases.register_units([Unit("u-1", "张伟", lat=32.03, lon=120.87, position_at=clock.now)])
    yield h
    h.close()


@pytest.fixture
def logged(hall: Hall, clock: FakeClock) -> list[int]:
    """A short shift: two reports, one dispatched, one suspended and resumed. The audit ids."""
    batch = [InboundMessage("cc/v1/event/suishoupai", event_payload(source_id=f"r-{i}"),
                            clock.now) for i in (1, 2)]
    first, second = hall.ingest.writer.process(batch).new_case_ids
    clock.advance(minutes=1)
    case = hall.cases.act(first, Action.REGISTER, DISPATCH, expected_version=1).cases[first]
    clock.advance(seconds=30)
    hall.cases.act(first, Action.DISPATCH, DISPATCH, expected_version=case.version,
                   assignee="u-1")
    case = hall.cases.act(second, Action.REGISTER, DISPATCH, expected_version=1).cases[second]
    clock.advance(minutes=2)
    case = hall.cases.act(second, Action.SUSPEND, CHIEF, expected_version=case.version,
                          note="等待产权单位确认").cases[second]
    clock.advance(hours=1)
    hall.cases.act(second, Action.RESUME, CHIEF, expected_version=case.version)
    with hall.ctx.db.read() as s:
        return list(s.scalars(select(AuditRow.id).order_by(AuditRow.id)))


def verify(hall: Hall) -> audit.VerifyResult:
    with hall.ctx.db.read() as s:
        return audit.verify(s)


def sql(hall: Hall, statement: str, **params: object) -> None:
    with hall.ctx.db.write() as s:
        s.execute(text(statement), params)


def test_an_untouched_log_verifies(hall: Hall, logged: list[int]) -> None:
    assert len(logged) == 7
    result = verify(hall)
    assert result.ok and result.entries == 7
    assert result.first_bad_id is None and result.problem is None
    with hall.ctx.db.read() as s:
        rows = list(s.scalars(select(AuditRow).order_by(AuditRow.id)))
    assert [r.action for r in rows] == ["report", "report", "register", "dispatch", "register",
                                        "suspend", "resume"]
    assert rows[0].prev_hash == audit.GENESIS
    assert all(b.prev_hash == a.hash for a, b in pairwise(rows))


def test_an_empty_log_verifies(hall: Hall) -> None:
    result = verify(hall)
    assert result.ok and result.entries == 0


def test_an_edited_note_is_found(hall: Hall, logged: list[int]) -> None:
    suspended = logged[5]
    sql(hall, "UPDATE audit_log SET note = :note WHERE id = :id", note="领导同意", id=suspended)
    result = verify(hall)
    assert not result.ok
    assert result.first_bad_id == suspended
    assert result.problem and "hash" in result.problem


def test_an_edited_snapshot_is_found(hall: Hall, logged: list[int]) -> None:
    with hall.ctx.db.write() as s:
        row = s.get(AuditRow, logged[3])
        assert row is not None and row.after is not None
        row.after = {**row.after, "assignee_name": "别人"}
    result = verify(hall)
    assert not result.ok and result.first_bad_id == logged[3]


def test_an_edit_with_a_recomputed_hash_is_found_at_the_next_entry(hall: Hall,
                                                                   logged: list[int]) -> None:
    with hall.ctx.db.write() as s:
        row = s.get(AuditRow, logged[2])
        assert row is not None
        row.actor = "user:someone"
        row.hash = audit._entry_hash(row.prev_hash, row.at, row.actor, row.action, row.case_id,
                                     row.note, row.before, row.after)
    result = verify(hall)
    assert not result.ok
    assert result.first_bad_id == logged[3]
    assert result.problem and "prev_hash" in result.problem


def test_deleting_the_last_entry_is_found(hall: Hall, logged: list[int]) -> None:
    sql(hall, "DELETE FROM audit_log WHERE id = :id", id=logged[-1])
    result = verify(hall)
    assert not result.ok
    assert result.entries == len(logged) - 1
    assert result.first_bad_id is None
    assert result.problem and "removed from the end" in result.problem


def test_deleting_an_entry_in_the_middle_is_found(hall: Hall, logged: list[int]) -> None:
    sql(hall, "DELETE FROM audit_log WHERE id = :id", id=logged[3])
    result = verify(hall)
    assert not result.ok
    assert result.first_bad_id == logged[4]
    assert result.problem and "prev_hash" in result.problem


def test_appending_after_a_reload_keeps_the_chain(hall: Hall, logged: list[int],
                                                  clock: FakeClock) -> None:
    """Times are stored as UTC: an entry written with a local (+08:00) time still verifies."""
    local = (clock.now + timedelta(minutes=1)).astimezone(ZoneInfo("Asia/Shanghai"))
    with hall.ctx.db.write() as s:
        audit.append(s, at=local, actor=CHIEF, action="note", note="交接班")
    result = verify(hall)
    assert result.ok and result.entries == len(logged) + 1
