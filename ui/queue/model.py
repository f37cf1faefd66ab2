"""`CaseQueueModel`: one row per case snapshot, updated in batches from `Changes`.

Rows are never reset under load: new cases arrive in one `beginInsertRows` per batch, updated
cases emit `dataChanged` over their own row, and the 1 Hz tick touches only the timer column
with display/colour roles — the proxy sorts and filters on custom roles that the tick never
changes, so a ticking clock never reshuffles the table under the dispatcher's cursor.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta, tzinfo
from enum import IntEnum
from typing import Any

from commandcenter.domain.case import OPEN_STATES, Case, CaseState, Deadline
from commandcenter.domain.catalog import Catalog
from commandcenter.domain.sla import TimerLevel, timer_level
from ui.format import DEADLINE_NAMES, LEVEL_COLOURS, countdown_text, local_time
from ui.i18n import ui_language
from ui.names import state_name
from ui.qt import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

Index = QModelIndex | QPersistentModelIndex

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
FILTER_ROLE = Qt.ItemDataRole.UserRole + 2
CASE_ID_ROLE = Qt.ItemDataRole.UserRole + 3
OPEN_ROLE = Qt.ItemDataRole.UserRole + 4

_STATE_ORDER = {s: i for i, s in enumerate(CaseState)}
# The roles `cell` answers (the proxy checks them first too); the view asks others as
# well (decoration, size hint, check state…).
CELL_ROLES = frozenset({Qt.ItemDataRole.DisplayRole, SORT_ROLE, FILTER_ROLE, CASE_ID_ROLE,
                    OPEN_ROLE, Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole,
                    Qt.ItemDataRole.FontRole, Qt.ItemDataRole.ToolTipRole,
                    Qt.ItemDataRole.TextAlignmentRole})
_FAR_FUTURE = 1e18
# What a cell shows: text, font, foreground, background, alignment (None: the defaults).
CellStyle = tuple[str, QFont | None, QBrush | None, QBrush | None, Any]


class Column(IntEnum):
    NUMBER = 0
    STATE = 1
    TIMER = 2
    CATEGORY = 3
    TITLE = 4
    STREET = 5
    ASSIGNEE = 6
    REPORTED = 7


ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_COLUMNS = tuple(Column)  # by number, without an enum lookup per cell
_LEVEL_BRUSHES = {level: QBrush(QColor(colour)) for level, colour in LEVEL_COLOURS.items()}
_DARK_TEXT, _WHITE_TEXT = QBrush(QColor("#212121")), QBrush(QColor("#ffffff"))
_GREY_TEXT, _RED_TEXT = QBrush(QColor("#9e9e9e")), QBrush(QColor("#c62828"))
_PLAIN, _BOLD = QFont(), QFont()
_BOLD.setBold(True)
_CENTRED = int(Qt.AlignmentFlag.AlignCenter)

_HEADERS = {
    Column.NUMBER: QT_TRANSLATE_NOOP("CaseQueueModel", "编号"),
    Column.STATE: QT_TRANSLATE_NOOP("CaseQueueModel", "状态"),
    Column.TIMER: QT_TRANSLATE_NOOP("CaseQueueModel", "时限"),
    Column.CATEGORY: QT_TRANSLATE_NOOP("CaseQueueModel", "类别"),
    Column.TITLE: QT_TRANSLATE_NOOP("CaseQueueModel", "事项"),
    Column.STREET: QT_TRANSLATE_NOOP("CaseQueueModel", "街道"),
    Column.ASSIGNEE: QT_TRANSLATE_NOOP("CaseQueueModel", "处置人"),
    Column.REPORTED: QT_TRANSLATE_NOOP("CaseQueueModel", "上报时间"),
}


class CaseQueueModel(QAbstractTableModel):
    def __init__(self, catalog: Catalog, tz: tzinfo, clock: Callable[[], datetime],
                 parent: Any = None) -> None:
        super().__init__(parent)
        self._catalog = catalog
        self._tz = tz
        self._clock = clock
        self._rows: list[Case] = []
        self._row_of: dict[int, int] = {}
        # Per row, the cells' styles as last answered (None: not yet, or the case changed);
        # all but the countdown depend on the case alone, and a repaint asks for every
        # visible cell again.
        self._styles: list[list[CellStyle | None] | None] = []
        self._now = clock()

    # --- updates ---------------------------------------------------------------------------
    def upsert(self, cases: Iterable[Case]) -> None:
        """Apply a batch of case snapshots: one insert for the new ones, per-row updates."""
        self._now = self._clock()
        new: list[Case] = []
        for case in cases:
            assert case.id is not None
            row = self._row_of.get(case.id)
            if row is None:
                new.append(case)
            elif self._rows[row].version <= case.version:
                self._rows[row] = case
                self._styles[row] = None
                self.dataChanged.emit(self.index(row, 0),
                                      self.index(row, len(Column) - 1))
        if new:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            for case in new:
                self._row_of[case.id or 0] = len(self._rows)
                self._rows.append(case)
                self._styles.append(None)
            self.endInsertRows()

    def tick(self, rows: Iterable[int] | None = None) -> None:
        """Advance the countdowns: display and colour roles of the timer column only, of the
        given source rows (the visible ones) or of all.

        These roles change no sort or filter key, so the proxy only passes them on; the view
        still repaints what a dataChanged covers, so the window ticks just the visible rows.
        """
        self._now = self._clock()
        roles = [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.BackgroundRole,
                 Qt.ItemDataRole.ForegroundRole]
        if rows is None:
            if self._rows:
                self.dataChanged.emit(self.index(0, Column.TIMER),
                                      self.index(len(self._rows) - 1, Column.TIMER), roles)
            return
        for row in sorted(set(rows)):
            if 0 <= row < len(self._rows):
                index = self.index(row, Column.TIMER)
                self.dataChanged.emit(index, index, roles)

    def sort_value(self, row: int, column: int) -> Any:
        """What `SORT_ROLE` gives for a cell, without a trip through Qt (the proxy's keys)."""
        return self._sort_key(self._rows[row], Column(column))

    def matches(self, row: int, *, open_only: bool, needle: str) -> bool:
        """Whether the proxy shows the row: open (unless `open_only` is off), and containing the
        case-folded `needle` in its `FILTER_ROLE` text."""
        case = self._rows[row]
        if open_only and case.state not in OPEN_STATES:
            return False
        return not needle or needle in self._filter_text(case).casefold()

    def case(self, case_id: int) -> Case | None:
        row = self._row_of.get(case_id)
        return self._rows[row] if row is not None else None

    def row_of(self, case_id: int) -> int | None:
        return self._row_of.get(case_id)

    def cases(self) -> list[Case]:
        return list(self._rows)

    def min_widths(self, font: QFont) -> dict[Column, int]:
        """What the headers, the state names and the longest countdown need in the UI language:
        the view's fixed widths fit Chinese, a translation may need more."""
        plain = QFontMetricsF(font)
        bold_font = QFont(font)
        bold_font.setBold(True)
        bold = QFontMetricsF(bold_font)
        widths = {column: plain.horizontalAdvance(self.tr(text)) + 14  # the margins
                  for column, text in _HEADERS.items()}
        states = max(bold.horizontalAdvance(state_name(state)) for state in CaseState)  # bold too
        widths[Column.STATE] = max(widths[Column.STATE], states + 10)
        now, longest = self._now, timedelta(hours=9, minutes=59, seconds=59)
        timers = max(bold.horizontalAdvance(countdown_text(Deadline(kind, now + sign * longest,
                                                                    0.0), now))
                     for kind in DEADLINE_NAMES for sign in (1, -1))
        widths[Column.TIMER] = max(widths[Column.TIMER], timers + 10)
        return {column: math.ceil(width) for column, width in widths.items()}

    # --- Qt model interface ----------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            if 0 <= section < len(Column):
                return self.tr(_HEADERS[Column(section)])
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return ROW_FLAGS

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        return self.cell(index.row(), index.column(), role)

    def cell(self, row: int, column_number: int, role: int) -> Any:
        """`data` by row and column numbers: the view asks a dozen roles of every visible cell
        at each repaint (~2,000 calls), so unasked-for roles are answered first and nothing
        here builds a QModelIndex, a brush or a font."""
        if role not in CELL_ROLES or not 0 <= row < len(self._rows):
            return None
        case = self._rows[row]
        column = _COLUMNS[column_number]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(case, column)
        if role == SORT_ROLE:
            return self._sort_key(case, column)
        if role == FILTER_ROLE:
            return self._filter_text(case)
        if role == CASE_ID_ROLE:
            return case.id
        if role == OPEN_ROLE:
            return case.state in OPEN_STATES
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._background(case, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(case, column)
        if role == Qt.ItemDataRole.FontRole:
            return self._font(case, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return case.description or case.title if column is Column.TITLE else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column is Column.TIMER:
            return _CENTRED
        return None

    def style(self, row: int, column_number: int) -> CellStyle | None:
        """Everything the queue's delegate paints in a cell, in one call: text, font,
        foreground and background brushes, alignment (None: the view's defaults)."""
        if not 0 <= row < len(self._rows):
            return None
        case = self._rows[row]
        column = _COLUMNS[column_number]
        if column is Column.TIMER:  # the countdown: changes with the clock, never kept
            return self._style(case, column)
        styles = self._styles[row]
        if styles is None:
            styles = self._styles[row] = [None] * len(_COLUMNS)
        style = styles[column_number]
        if style is None:
            style = styles[column_number] = self._style(case, column)
        return style

    def _style(self, case: Case, column: Column) -> CellStyle:
        return (self._display(case, column), self._font(case, column),
                self._foreground(case, column), self._background(case, column),
                _CENTRED if column is Column.TIMER else None)

    def _background(self, case: Case, column: Column) -> QBrush | None:
        if column is not Column.TIMER:
            return None
        level = timer_level(case, self._now)
        return None if level is TimerLevel.IDLE else _LEVEL_BRUSHES[level]

    def _foreground(self, case: Case, column: Column) -> QBrush | None:
        if column is Column.TIMER:
            level = timer_level(case, self._now)
            if level is not TimerLevel.IDLE:
                return _DARK_TEXT if level is TimerLevel.WARN else _WHITE_TEXT
        if case.state not in OPEN_STATES:
            return _GREY_TEXT
        if column is Column.STATE and case.escalated_at is not None:
            return _RED_TEXT
        return None

    def _font(self, case: Case, column: Column) -> QFont | None:
        if column not in (Column.NUMBER, Column.TIMER, Column.STATE):
            return None
        bold = (column is Column.TIMER or case.state is CaseState.REPORTED
                or (column is Column.STATE and case.escalated_at is not None))
        return _BOLD if bold else _PLAIN

    def _display(self, case: Case, column: Column) -> str:
        if column is Column.NUMBER:
            return case.number
        if column is Column.STATE:
            if case.escalated_at is not None and case.state in OPEN_STATES:
                return self.tr("{state}·督办").format(state=state_name(case.state))
            if case.state is CaseState.REPORTED and case.duplicate_of:
                return self.tr("{state}·疑似重复").format(state=state_name(case.state))
            return state_name(case.state)
        if column is Column.TIMER:
            nd = case.next_deadline()
            if nd is not None:
                return countdown_text(nd, self._now)
            return self.tr("已暂停") if case.state is CaseState.SUSPENDED else ""
        if column is Column.CATEGORY:
            return self._catalog.name(case.category, ui_language())
        if column is Column.TITLE:
            return case.title
        if column is Column.STREET:
            return case.street or ""
        if column is Column.ASSIGNEE:
            return case.assignee_name or ""
        return local_time(case.reported_at, self._tz)

    def _filter_text(self, case: Case) -> str:
        return " ".join(filter(None, (case.number, case.title, case.street, case.assignee_name,
                                      self._catalog.name(case.category, ui_language()),
                                      case.location.address if case.location else None)))

    def _sort_key(self, case: Case, column: Column) -> Any:
        if column is Column.TIMER:
            nd = case.next_deadline()
            return nd.due.timestamp() if nd else _FAR_FUTURE
        if column is Column.STATE:
            return _STATE_ORDER[case.state]
        if column is Column.REPORTED:
            return case.reported_at.timestamp()
        return self._display(case, column)
