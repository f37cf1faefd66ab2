"""UtcDateTime: aware in, aware UTC out, stored as naive UTC in SQLAlchemy's own format."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import DateTime, create_engine, select
from sqlalchemy.dialects import sqlite

from commandcenter.store.types import UtcDateTime

SQLITE = sqlite.dialect()
ZONES = st.sampled_from([UTC, timezone(timedelta(hours=8)), timezone(timedelta(hours=-5,
                                                                             minutes=-30))])


@given(st.datetimes(min_value=datetime(1000, 1, 1), max_value=datetime(9999, 1, 1),
                    timezones=ZONES))
def test_the_sqlite_shortcut_writes_what_sqlalchemy_would(value: datetime) -> None:
    """The fused SQLite processor must produce the exact text of the general chain, or
    comparisons between rows written before and after it would go wrong."""
    ours = UtcDateTime().bind_processor(SQLITE)
    general = DateTime().dialect_impl(SQLITE).bind_processor(SQLITE)
    assert general is not None
    naive_utc = value.astimezone(UTC).replace(tzinfo=None)
    assert ours(value) == general(naive_utc)
    assert ours(None) is None


def test_a_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        UtcDateTime().bind_processor(SQLITE)(datetime(2026, 11, 28, 9, 0))


def test_round_trip_through_sqlite(tmp_path: Path) -> None:
    from sqlalchemy import Column, Integer, MetaData, Table

    table = Table("t", MetaData(), Column("id", Integer, primary_key=True),
                  Column("at", UtcDateTime()))
    engine = create_engine(f"sqlite:///{tmp_path / 'types.db'}")
    table.metadata.create_all(engine)
    local = datetime(2026, 11, 28, 17, 0, 0, 5, tzinfo=timezone(timedelta(hours=8)))
    with engine.begin() as conn:
        conn.execute(table.insert(), [{"at": local}])
        (back,) = conn.execute(select(table.c.at)).scalars()
        earlier = conn.execute(select(table.c.id).where(
            table.c.at > local - timedelta(microseconds=1))).scalars().all()
    engine.dispose()
    assert back == local and back.tzinfo is UTC
    assert earlier == [1]


def test_a_repeated_ambiguous_local_time_is_its_own_instant() -> None:
    """Remembered conversions must not hand the first 01:30 of a DST change-back to the
    second one: they compare equal but are an hour apart."""
    from zoneinfo import ZoneInfo

    ours = UtcDateTime().bind_processor(SQLITE)
    first = datetime(2026, 11, 1, 1, 30, tzinfo=ZoneInfo("America/New_York"))
    second = first.replace(fold=1)
    assert ours(first) == "2026-11-01 05:30:00.000000"
    assert ours(second) == "2026-11-01 06:30:00.000000"
    assert ours(first) == "2026-11-01 05:30:00.000000"
