"""Many rows written with one driver call: INSERT (optionally skipping conflicts and returning
columns) and UPDATE by key, on SQLite and PostgreSQL alike.

The ingest writer stores hundreds of events, cases, deadlines and audit entries per batch.
Through a Core statement SQLAlchemy builds a parameter dict for every row and runs each value
through the column's bind processor inside its own loops: that bookkeeping, not the database,
was most of an INSERT's cost. Here the SQL text is written once per dialect and column set,
the column's own bind processors (the same conversions SQLAlchemy applies, so what is stored
does not change) run in one flat loop, and `Connection.exec_driver_sql` hands the rows to the
driver, so SQLAlchemy's transaction, events and error wrapping still apply.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import FromClause, Table
from sqlalchemy.engine import Connection, Dialect, Row

_PLACEHOLDER = {"qmark": "?", "format": "%s", "pyformat": "%s"}
_Processor = Callable[[Any], Any]


def _placeholder(dialect: Dialect) -> str:
    try:
        return _PLACEHOLDER[dialect.paramstyle]
    except KeyError:
        raise NotImplementedError(f"paramstyle {dialect.paramstyle!r}") from None


def _as_table(table: FromClause) -> Table:
    """An ORM class's `__table__` is typed as any FromClause; these need a real table."""
    if not isinstance(table, Table):
        raise TypeError(f"expected a Table, got {type(table).__name__}")
    return table


def _processor(table: Table, column: str, dialect: Dialect) -> _Processor | None:
    """The column type's own conversion for this dialect (None: the value goes as it is)."""
    kind = table.c[column].type
    return kind.dialect_impl(dialect).bind_processor(dialect)


class _Shape:
    """What one table and column list need on one dialect: quoted names and how to turn a row
    (a dict) into the driver's values."""

    def __init__(self, table: Table, columns: tuple[str, ...], dialect: Dialect) -> None:
        quote = dialect.identifier_preparer.quote
        self.table = dialect.identifier_preparer.format_table(table)
        self.columns = [quote(c) for c in columns]
        self.mark = _placeholder(dialect)
        self.width = len(columns)
        getter = itemgetter(*columns)
        self.values: Callable[[dict[str, Any]], tuple[Any, ...]] = (
            getter if len(columns) > 1 else lambda row: (getter(row),))
        processors = [_processor(table, c, dialect) for c in columns]
        self.processed = [(i, p) for i, p in enumerate(processors) if p is not None]

    def row(self, row: dict[str, Any]) -> tuple[Any, ...]:
        """The driver's values of one row, in column order."""
        values = self.values(row)
        if not self.processed:
            return values
        out = list(values)
        for i, process in self.processed:
            out[i] = process(out[i])
        return tuple(out)


class BulkInsert:
    """INSERT INTO `table` the given rows (dicts with the same keys), in statements of many
    rows each. `skip_conflicts_on`: ON CONFLICT (those columns) DO NOTHING. `returning`: the
    columns each inserted row gives back (in no promised order, as a multi-row INSERT …
    RETURNING promises none).

    Every column the table fills with a Python-side default must be in the rows (SQLAlchemy
    would fill it; this does not): a missing one is an error, not a silent NULL."""

    def __init__(self, table: FromClause, *, skip_conflicts_on: Sequence[str] = (),
                 returning: Sequence[str] = ()) -> None:
        self.table = _as_table(table)
        self.conflict = tuple(skip_conflicts_on)
        self.returning = tuple(returning)
        self._defaulted = frozenset(c.name for c in table.columns if c.default is not None)
        self._shapes: dict[tuple[str, str, tuple[str, ...]], _Shape] = {}

    def run(self, conn: Connection, rows: list[dict[str, Any]]) -> list[Row[Any]]:
        """Insert `rows`: the returned rows (empty without `returning`)."""
        if not rows:
            return []
        shape = self._shape(conn.dialect, tuple(rows[0]))
        if not self.returning:  # one prepared statement, the driver loops over the rows
            conn.exec_driver_sql(self._sql(shape, 1), [shape.row(r) for r in rows])
            return []
        per_statement = max(1, min(conn.dialect.insertmanyvalues_page_size,
                                   conn.dialect.insertmanyvalues_max_parameters // shape.width))
        out: list[Row[Any]] = []
        for start in range(0, len(rows), per_statement):
            page = rows[start:start + per_statement]
            flat: list[Any] = []
            for r in page:
                flat.extend(shape.row(r))
            out.extend(conn.exec_driver_sql(self._sql(shape, len(page)), tuple(flat)).all())
        return out

    def _shape(self, dialect: Dialect, columns: tuple[str, ...]) -> _Shape:
        key = (dialect.name, dialect.driver, columns)
        shape = self._shapes.get(key)
        if shape is None:
            missing = self._defaulted.difference(columns)
            if missing:
                raise ValueError(f"{self.table.name}: no value for {sorted(missing)}")
            shape = self._shapes[key] = _Shape(self.table, columns, dialect)
        return shape

    def _sql(self, shape: _Shape, count: int) -> str:
        group = "(" + ", ".join([shape.mark] * shape.width) + ")"
        sql = (f"INSERT INTO {shape.table} ({', '.join(shape.columns)}) "
               f"VALUES {', '.join([group] * count)}")
        if self.conflict:
            sql += f" ON CONFLICT ({', '.join(self.conflict)}) DO NOTHING"
        if self.returning:
            sql += f" RETURNING {', '.join(self.returning)}"
        return sql


class BulkUpdate:
    """UPDATE `table` SET the `changed` columns WHERE the `key` columns match, for many rows
    (dicts holding both) with one prepared statement."""

    def __init__(self, table: FromClause, changed: Sequence[str], key: Sequence[str]) -> None:
        self.table = _as_table(table)
        self.changed = tuple(changed)
        self.key = tuple(key)
        self._shapes: dict[tuple[str, str], tuple[_Shape, str]] = {}

    def run(self, conn: Connection, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        shape, sql = self._prepared(conn.dialect)
        conn.exec_driver_sql(sql, [shape.row(r) for r in rows])

    def _prepared(self, dialect: Dialect) -> tuple[_Shape, str]:
        key = (dialect.name, dialect.driver)
        if key not in self._shapes:
            shape = _Shape(self.table, self.changed + self.key, dialect)
            names = shape.columns
            sets = ", ".join(f"{n} = {shape.mark}" for n in names[:len(self.changed)])
            where = " AND ".join(f"{n} = {shape.mark}" for n in names[len(self.changed):])
            self._shapes[key] = (shape, f"UPDATE {shape.table} SET {sets} WHERE {where}")
        return self._shapes[key]
