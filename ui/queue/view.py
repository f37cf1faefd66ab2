"""The queue pane: search box, "show closed" switch and the case table, sorted most urgent first.

The main window asks it three things: which case is selected, which rows are on screen (only
their countdowns need repainting each second) and to select a case wherever it is (a closed
one, or one the search hides).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo

from commandcenter.domain.catalog import Catalog
from ui.qt import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QItemSelectionModel,
    QLineEdit,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from ui.queue.delegate import QueueCellDelegate
from ui.queue.model import CASE_ID_ROLE, CaseQueueModel, Column
from ui.queue.proxy import CaseQueueProxy

ROW_HEIGHT = 26
_WIDTHS = {Column.NUMBER: 132, Column.STATE: 124, Column.TIMER: 110, Column.CATEGORY: 100,
           Column.STREET: 78, Column.ASSIGNEE: 56, Column.REPORTED: 66}


class CaseQueueView(QWidget):
    def __init__(self, catalog: Catalog, tz: tzinfo, clock: Callable[[], datetime],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = CaseQueueModel(catalog, tz, clock, self)
        self.proxy = CaseQueueProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = table = QTableView()
        table.setObjectName("caseQueue")
        table.setModel(self.proxy)
        table.setItemDelegate(QueueCellDelegate(self.proxy, table))
        table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        table.setSortingEnabled(True)
        table.sortByColumn(Column.TIMER, Qt.SortOrder.AscendingOrder)
        table.verticalHeader().hide()
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        header = table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(48)
        needed = self.model.min_widths(table.font())  # a translation may be longer
        for column, width in _WIDTHS.items():
            table.setColumnWidth(column, max(width, needed[column]))
        header.setSectionResizeMode(Column.TITLE, QHeaderView.ResizeMode.Stretch)
        table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)

        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("搜索编号、事项、地址、街道、处置人（Ctrl+F）"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.show_closed = QCheckBox(self.tr("显示已结案/作废"))
        self.show_closed.toggled.connect(lambda on: self.proxy.set_open_only(not on))
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.show_closed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 0, 4)
        layout.addLayout(top)
        layout.addWidget(table)

    def selected_case_id(self) -> int | None:
        index = self.table.currentIndex()
        return index.data(CASE_ID_ROLE) if index.isValid() else None

    def select_case(self, case_id: int) -> None:
        """Select `case_id` (showing closed cases, or clearing the search, if that is what
        hides it) and scroll to it."""
        row = self.model.row_of(case_id)
        if row is None:
            return
        proxy_index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not proxy_index.isValid() and self.proxy.open_only():
            self.show_closed.setChecked(True)
            proxy_index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not proxy_index.isValid():
            self.search.clear()
            proxy_index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.selectionModel().setCurrentIndex(
            proxy_index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(proxy_index)

    def visible_source_rows(self) -> list[int]:
        """Source rows on screen: the only ones whose countdown needs repainting each second."""
        count = self.proxy.rowCount()
        if count == 0:
            return []
        first = self.table.rowAt(0)
        last = self.table.rowAt(self.table.viewport().height() - 1)
        first = 0 if first < 0 else first
        last = count - 1 if last < 0 else last
        return [self.proxy.mapToSource(self.proxy.index(r, 0)).row()
                for r in range(first, last + 1)]
