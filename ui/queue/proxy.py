"""Sorting and filtering of the queue on roles the countdown tick never touches."""

from __future__ import annotations

from typing import Any

from ui.qt import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from ui.queue.model import FILTER_ROLE, OPEN_ROLE, SORT_ROLE, Column


class CaseQueueProxy(QSortFilterProxyModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._open_only = True
        self.setSortRole(SORT_ROLE)
        self.setFilterRole(FILTER_ROLE)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setDynamicSortFilter(True)
        self.sort(Column.TIMER, Qt.SortOrder.AscendingOrder)  # most urgent first

    def set_open_only(self, open_only: bool) -> None:
        self.beginFilterChange()
        self._open_only = open_only
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def open_only(self) -> bool:
        return self._open_only

    def filterAcceptsRow(self, source_row: int,
                         source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        if self._open_only:
            index = self.sourceModel().index(source_row, 0, source_parent)
            if not index.data(OPEN_ROLE):
                return False
        return super().filterAcceptsRow(source_row, source_parent)
