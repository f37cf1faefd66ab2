"""Sorting and filtering of the queue in Python, by keys computed once per case change.

A `QSortFilterProxyModel` compares rows by calling the model's `data()` from C++: inserting 500
cases into a sorted queue of 20,000 took ~30,000 such calls, each a trip into Python that waits
for the GIL while the ingest thread holds it — over a second of frozen GUI at 2,000 reports/s.
Here each shown case has one sort key, `(value, source row)`, kept in an ascending list; a case
is placed with `bisect`, a batch goes in as one `beginInsertRows` per contiguous run (or, when
scattered over many places, as one layout change), and only the rows a view paints ever call
back into `data()`. The countdown tick changes no key: its
`dataChanged` is passed on without a re-sort or re-filter.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from ui.qt import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from ui.queue.model import (
    CELL_ROLES,
    FILTER_ROLE,
    OPEN_ROLE,
    SORT_ROLE,
    CaseQueueModel,
    CellStyle,
    Column,
)

Index = QModelIndex | QPersistentModelIndex
Key = tuple[Any, int]  # (sort value, source row): unique, so every case has one place

# A dataChanged with these roles (or with none: all roles) may move or hide a row.
_KEY_ROLES = frozenset({SORT_ROLE, FILTER_ROLE, OPEN_ROLE})
# More separate places than this in one batch: one layout change instead (see `_merge`).
_MAX_RUNS = 16
_COLUMNS = len(Column)


class CaseQueueProxy(QAbstractTableModel):
    """The queue as the view shows it: open cases only (unless asked), matching the search text,
    sorted by one column (most urgent deadline first by default); maps rows to the source model.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._source: CaseQueueModel | None = None
        self._open_only = True
        self._needle = ""
        self._column = int(Column.TIMER)
        self._order = Qt.SortOrder.AscendingOrder
        self._keys: list[Key] = []  # shown cases, ascending
        self._key_of: list[Key | None] = []  # per source row; None when not shown

    # --- source ----------------------------------------------------------------------------
    def setSourceModel(self, model: CaseQueueModel) -> None:
        self.beginResetModel()
        if self._source is not None:
            self._source.disconnect(self)
        self._source = model
        model.rowsInserted.connect(self._on_rows_inserted)
        model.dataChanged.connect(self._on_data_changed)
        model.headerDataChanged.connect(self.headerDataChanged)
        # The queue model only appends and updates; anything else is rare: start over.
        model.modelAboutToBeReset.connect(self.beginResetModel)
        model.modelReset.connect(self._end_reset)
        model.rowsAboutToBeRemoved.connect(self.beginResetModel)
        model.rowsRemoved.connect(self._end_reset)
        model.layoutAboutToBeChanged.connect(self.beginResetModel)
        model.layoutChanged.connect(self._end_reset)
        self._rebuild()
        self.endResetModel()

    def sourceModel(self) -> CaseQueueModel | None:
        return self._source

    def mapToSource(self, index: Index) -> QModelIndex:
        if self._source is None or not index.isValid():
            return QModelIndex()
        return self._source.index(self._source_row(index.row()), index.column())

    def mapFromSource(self, index: Index) -> QModelIndex:
        row = self._proxy_row_of(index.row()) if index.isValid() else None
        return QModelIndex() if row is None else self.index(row, index.column())

    # --- filter and sort -------------------------------------------------------------------
    def set_open_only(self, open_only: bool) -> None:
        if open_only != self._open_only:
            self._open_only = open_only
            self._refilter()

    def open_only(self) -> bool:
        return self._open_only

    def setFilterFixedString(self, text: str) -> None:
        """Show only cases whose number, title, address, street, assignee or category contain
        `text` (case-insensitive), as `QSortFilterProxyModel` did."""
        needle = text.casefold()
        if needle != self._needle:
            self._needle = needle
            self._refilter()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if (column, order) == (self._column, self._order):
            return

        def resort() -> None:
            self._column, self._order = column, order
            # A new sort column shows and hides nothing: the shown rows get new keys.
            self._keys = sorted(new for row, key in enumerate(self._key_of)
                                if key is not None and (new := self._key(row)) is not None)
            for key in self._keys:
                self._key_of[key[1]] = key

        self._relayout(resort)

    def sort_column(self) -> int:
        return self._column

    def sort_order(self) -> Qt.SortOrder:
        return self._order

    # --- Qt model interface ----------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._keys)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self._source is None or orientation != Qt.Orientation.Horizontal:
            return None
        return self._source.headerData(section, orientation, role)

    # `flags` is not overridden: the table's own (enabled, selectable) needs no call into
    # Python. `index` is, so that making one costs one such call instead of two (the
    # table's checks the row and column counts through Python): a repaint makes one per cell.
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if parent.isValid() or not (0 <= row < len(self._keys) and 0 <= column < _COLUMNS):
            return QModelIndex()
        return self.createIndex(row, column)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Straight to the source's cell by numbers: a repaint asks ~2,000 of these, most of
        # them for roles no cell has.
        row = index.row()
        if role not in CELL_ROLES or self._source is None or not 0 <= row < len(self._keys):
            return None
        return self._source.cell(self._source_row(row), index.column(), role)

    def cell_style(self, row: int, column: int) -> CellStyle | None:
        """What the queue's delegate paints in a cell (`CaseQueueModel.style`); None outside
        the rows."""
        source = self._source
        if source is None or not 0 <= row < len(self._keys):
            return None
        return source.style(self._source_row(row), column)

    # --- keeping in step with the source ---------------------------------------------------
    def _on_rows_inserted(self, parent: QModelIndex, first: int, last: int) -> None:
        if parent.isValid():
            return
        if first != len(self._key_of):  # not an append: the keys of later rows are stale
            self.beginResetModel()
            self._end_reset()
            return
        self._key_of.extend([None] * (last - first + 1))
        self._insert([key for row in range(first, last + 1) if (key := self._key(row))])

    def _on_data_changed(self, top_left: QModelIndex, bottom_right: QModelIndex,
                         roles: Sequence[int] = ()) -> None:
        rows = range(top_left.row(), bottom_right.row() + 1)
        if not roles or _KEY_ROLES.intersection(roles):
            for row in rows:
                self._update(row)
            return
        # A change no key depends on (the countdown tick): pass it on, nothing moves.
        shown = [r for row in rows if (r := self._proxy_row_of(row)) is not None]
        if shown:
            self.dataChanged.emit(self.index(min(shown), top_left.column()),
                                  self.index(max(shown), bottom_right.column()), list(roles))

    def _end_reset(self) -> None:
        self._rebuild()
        self.endResetModel()

    # --- internals -------------------------------------------------------------------------
    def _key(self, source_row: int) -> Key | None:
        """Where the case goes, or None when the filter hides it."""
        source = self._source
        assert source is not None
        if not source.matches(source_row, open_only=self._open_only, needle=self._needle):
            return None
        if self._column < 0:  # unsorted: source order
            return (0, source_row)
        return (source.sort_value(source_row, self._column), source_row)

    def _rebuild(self) -> None:
        count = self._source.rowCount() if self._source is not None else 0
        self._key_of = [self._key(row) for row in range(count)]
        self._keys = sorted(key for key in self._key_of if key is not None)

    def _proxy_row(self, position: int, count: int) -> int:
        """The view's row of the key at `position` in an ascending list of `count` keys."""
        if self._order == Qt.SortOrder.AscendingOrder:
            return position
        return count - 1 - position

    def _source_row(self, proxy_row: int) -> int:
        return self._keys[self._proxy_row(proxy_row, len(self._keys))][1]

    def _proxy_row_of(self, source_row: int) -> int | None:
        key = self._key_of[source_row] if 0 <= source_row < len(self._key_of) else None
        if key is None:
            return None
        return self._proxy_row(bisect_left(self._keys, key), len(self._keys))

    def _insert(self, keys: Iterable[Key]) -> None:
        """Show new keys: one insertion per run of keys that land next to each other."""
        runs: list[tuple[int, list[Key]]] = []  # (position in the current list, keys)
        for key in sorted(keys):
            at = bisect_left(self._keys, key)
            if runs and runs[-1][0] == at:
                runs[-1][1].append(key)
            else:
                runs.append((at, [key]))
        if len(runs) > _MAX_RUNS:
            self._merge([key for _at, run in runs for key in run])
            return
        for at, run in reversed(runs):  # from the end, so earlier positions stay put
            count = len(self._keys)
            if self._order == Qt.SortOrder.AscendingOrder:
                first = at
            else:
                first = count - at
            self.beginInsertRows(QModelIndex(), first, first + len(run) - 1)
            self._keys[at:at] = run
            for key in run:
                self._key_of[key[1]] = key
            self.endInsertRows()

    def _merge(self, keys: list[Key]) -> None:
        """Show many scattered keys at once: one layout change, not one insertion per run
        (each is a round trip through Qt and the views); selected rows stay selected."""
        def merge() -> None:
            self._keys += keys
            self._keys.sort()  # two sorted runs: timsort merges them in one pass
            for key in keys:
                self._key_of[key[1]] = key

        self._relayout(merge)

    def _relayout(self, change: Callable[[], None]) -> None:
        """Re-place shown rows (no row appears or goes): the views' persistent indexes — the
        selection, the current row — follow their cases to where `change` puts them."""
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        sources = [(self._source_row(i.row()), i.column()) for i in persistent]
        change()
        self.changePersistentIndexList(persistent, [
            self.index(self._proxy_row_of(row) or 0, column) for row, column in sources])
        self.layoutChanged.emit()

    def _remove_at(self, position: int) -> None:
        row = self._proxy_row(position, len(self._keys))
        self.beginRemoveRows(QModelIndex(), row, row)
        key = self._keys.pop(position)
        self._key_of[key[1]] = None
        self.endRemoveRows()

    def _update(self, source_row: int) -> None:
        """A case changed: move, show or hide its row; a selected row stays selected."""
        if not 0 <= source_row < len(self._key_of):
            return
        old, new = self._key_of[source_row], self._key(source_row)
        if old is None:
            if new is not None:
                self._insert([new])
            return
        at = bisect_left(self._keys, old)
        if new is None:
            self._remove_at(at)
            return
        count = len(self._keys)
        old_row = self._proxy_row(at, count)
        if new != old:
            to = bisect_left(self._keys, new)
            to -= to > at  # its place once the old key is gone
            new_row = self._proxy_row(to, count)
            if new_row != old_row:
                destination = new_row + 1 if new_row > old_row else new_row
                self.beginMoveRows(QModelIndex(), old_row, old_row, QModelIndex(), destination)
            del self._keys[at]
            self._keys.insert(to, new)
            self._key_of[source_row] = new
            if new_row != old_row:
                self.endMoveRows()
            old_row = new_row
        self.dataChanged.emit(self.index(old_row, 0), self.index(old_row, len(Column) - 1))

    def _refilter(self) -> None:
        """The filter changed: hide what no longer matches, then show what newly does."""
        wanted = [self._key(row) for row in range(len(self._key_of))]
        gone = sorted((bisect_left(self._keys, key) for row, key in enumerate(self._key_of)
                       if key is not None and wanted[row] is None), reverse=True)
        # Remove runs of adjacent rows at once, from the end so positions stay valid.
        while gone:
            last = gone.pop(0)
            first = last
            while gone and gone[0] == first - 1:
                first = gone.pop(0)
            count = len(self._keys)
            rows = sorted((self._proxy_row(first, count), self._proxy_row(last, count)))
            self.beginRemoveRows(QModelIndex(), rows[0], rows[1])
            for key in self._keys[first:last + 1]:
                self._key_of[key[1]] = None
            del self._keys[first:last + 1]
            self.endRemoveRows()
        self._insert([key for row, key in enumerate(wanted)
                      if key is not None and self._key_of[row] is None])
