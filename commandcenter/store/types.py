"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Dialect
from sqlalchemy.types import TypeDecorator

# Converted instants kept for reuse, per stored form; emptied when this full (a batch binds
# a few distinct instants per message, so this holds several batches' worth).
_MEMO_SIZE = 8192


class UtcDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out; stored as naive UTC.

    SQLite has no time zones and PostgreSQL's `timestamptz` would convert to the session zone:
    storing naive UTC everywhere keeps both identical and comparisons index-friendly.
    """

    impl = DateTime(timezone=False)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return _naive_utc(value)

    def bind_processor(self, dialect: Dialect) -> Any:
        """One function from the aware datetime to what the driver gets, remembering what it
        converted: the ingest writer binds ~17 datetimes a report, most of them the same few
        instants (the batch's clock, the deadlines of a category), and the general chain (this
        type, then the dialect's DATETIME formatter) costs several Python calls each.

        On SQLite the text is SQLAlchemy's own storage format, "YYYY-MM-DD HH:MM:SS.ffffff"
        (tests/store/test_types.py). An instant converts the same whichever zone it is given
        in, so equal datetimes share one entry; a second occurrence of an ambiguous local time
        (fold=1) compares equal to the first but is another instant, so it is never kept."""
        if dialect.name == "sqlite":
            return _remembering(_sqlite_text, _SQLITE_MEMO)
        impl = self.impl_instance.dialect_impl(dialect).bind_processor(dialect)
        if impl is None:
            return _remembering(_naive_utc, _NAIVE_MEMO)
        return _remembering(lambda value: impl(_naive_utc(value)), {})

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC)


def _naive_utc(value: Any) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise ValueError(f"an aware datetime is required, got {value!r}")
    return value.astimezone(UTC).replace(tzinfo=None)


def _sqlite_text(value: Any) -> str:
    return _naive_utc(value).isoformat(" ", "microseconds")


_SQLITE_MEMO: dict[datetime, Any] = {}
_NAIVE_MEMO: dict[datetime, Any] = {}


def _remembering(convert: Callable[[Any], Any], memo: dict[datetime, Any]) -> Callable[[Any], Any]:
    def process(value: Any) -> Any:
        if value is None:
            return None
        if value.__class__ is not datetime or value.fold:  # a subclass, a wrong type (then
            return convert(value)                           # refused) or a repeated hour
        done = memo.get(value)
        if done is None:
            done = convert(value)
            if len(memo) >= _MEMO_SIZE:
                memo.clear()
            memo[value] = done
        return done

    return process
