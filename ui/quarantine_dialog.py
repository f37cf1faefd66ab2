"""隔离消息: the supervisor's view of inbound messages the ingest rejected (DESIGN.md §4).

The dialog never touches the database: it is handed a `load` callable and runs it off the GUI
thread through `run(job, on_done)` (the console's `Bridge.run`), so a slow database never
freezes the hall's screens.
"""

from __future__ import annotations

import html
import logging
from collections import Counter
from collections.abc import Callable
from datetime import tzinfo
from enum import IntEnum
from typing import Any
from zoneinfo import ZoneInfo

from commandcenter.domain.errors import KnownError
from commandcenter.services.quarantine import QuarantineEntry, payload_preview
from ui.format import local_time
from ui.names import quarantine_reason_name
from ui.qt import (
    QT_TRANSLATE_NOOP,
    QAbstractItemView,
    QAbstractTableModel,
    QComboBox,
    QCoreApplication,
    QDialog,
    QFontDatabase,
    QGuiApplication,
    QHBoxLayout,
    QHeaderView,
    QKeySequence,
    QLabel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPlainTextEdit,
    QPushButton,
    QShowEvent,
    QSplitter,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
)

log = logging.getLogger(__name__)
Load = Callable[[], list[QuarantineEntry]]
Run = Callable[[Callable[[], Any], Callable[[Any], None]], object]
Index = QModelIndex | QPersistentModelIndex
ENTRY_ID_ROLE = Qt.ItemDataRole.UserRole + 1


def reason_label(code: str) -> str:
    return quarantine_reason_name(code)


class Column(IntEnum):
    TIME, SOURCE, CODE, REASON = range(4)


_HEADERS = (QT_TRANSLATE_NOOP("QuarantineDialog", "时间"),
            QT_TRANSLATE_NOOP("QuarantineDialog", "来源"),
            QT_TRANSLATE_NOOP("QuarantineDialog", "原因类别"),
            QT_TRANSLATE_NOOP("QuarantineDialog", "原因"))


class QuarantineModel(QAbstractTableModel):
    """Thin: the rows are the entries as loaded, newest first; one reset per load or filter."""

    def __init__(self, tz: tzinfo, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tz = tz
        self._entries: list[QuarantineEntry] = []

    def set_entries(self, entries: list[QuarantineEntry]) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self.endResetModel()

    def entry(self, row: int) -> QuarantineEntry:
        return self._entries[row]

    def row_of(self, entry_id: int) -> int | None:
        return next((i for i, e in enumerate(self._entries) if e.id == entry_id), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry = self._entries[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (local_time(entry.received_at, self._tz, with_date=True), entry.source,
                    reason_label(entry.reason_code), entry.reason.replace("\n", " "))[column]
        if role == Qt.ItemDataRole.ToolTipRole and column != Column.TIME:  # what elision hides
            return (None, entry.source, entry.reason_code, entry.reason)[column]
        if role == ENTRY_ID_ROLE:
            return entry.id
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(_HEADERS)):
            return QCoreApplication.translate("QuarantineDialog", _HEADERS[section])
        return None


def _load_safely(load: Load) -> list[QuarantineEntry] | str:
    """Runs on the worker thread. A failed load becomes a message the dialog shows (and the log
    keeps), so the dialog never waits forever on a load that will not come back."""
    try:
        return load()
    except KnownError as exc:
        log.warning("loading the quarantine failed: %s", exc)
        return str(exc)
    except Exception as exc:
        log.exception("loading the quarantine failed")
        return f"{type(exc).__name__}: {exc}"


class QuarantineDialog(QDialog):
    def __init__(self, load: Load, run: Run, *, tz: tzinfo | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._load, self._run = load, run
        self._tz = tz or ZoneInfo("Asia/Shanghai")
        self._entries: list[QuarantineEntry] = []
        self.loading = False
        self.setWindowTitle(self.tr("隔离消息"))
        self.model = QuarantineModel(self._tz, self)

        self.filter = QComboBox()
        self.filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.filter.currentIndexChanged.connect(lambda _i: self._apply_filter())
        filter_label = QLabel(self.tr("原因类别(&R)："))
        filter_label.setBuddy(self.filter)
        self.status = QLabel()
        self.status.setWordWrap(True)  # a long database error must not widen the dialog
        self.refresh_button = QPushButton(self.tr("刷新 (F5)"))
        self.refresh_button.setShortcut(QKeySequence("F5"))
        self.refresh_button.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(filter_label)
        top.addWidget(self.filter)
        top.addWidget(self.status, 1)
        top.addWidget(self.refresh_button)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        for column, width in ((Column.TIME, 130), (Column.SOURCE, 230), (Column.CODE, 130)):
            self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(Column.REASON, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._show(current.row()))

        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.reason.setTextFormat(Qt.TextFormat.RichText)
        self.reason.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.meta = QLabel()
        self.meta.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.meta.setStyleSheet("color: #555555;")
        self.preview = QPlainTextEdit()
        self.preview.setReadOnly(True)
        self.preview.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.preview.setPlaceholderText(self.tr("选择一条消息查看原始内容"))
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 4, 0, 0)
        detail_layout.addWidget(self.reason)
        detail_layout.addWidget(self.meta)
        detail_layout.addWidget(self.preview, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(detail)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([300, 340])

        self.copy_button = QPushButton(self.tr("复制"))
        self.copy_button.setToolTip(self.tr("复制原始内容预览到剪贴板"))
        self.copy_button.clicked.connect(self.copy_preview)
        close_button = QPushButton(self.tr("关闭"))
        close_button.clicked.connect(self.reject)  # as Esc does
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.copy_button)
        bottom.addWidget(close_button)
        for button in (self.refresh_button, self.copy_button, close_button):
            button.setAutoDefault(False)  # Enter in the table must not refresh or close

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)
        self.resize(1040, 680)
        self.table.setFocus()  # ↑/↓ walk the messages straight away
        self.copy_button.setEnabled(False)

    # --- loading -----------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()  # reopening the dialog shows what arrived meanwhile

    def refresh(self) -> None:
        if self.loading:
            return
        self.loading = True
        self.refresh_button.setEnabled(False)
        self.status.setText(self.tr("正在加载…"))
        load = self._load
        self._run(lambda: _load_safely(load), self._on_loaded)

    def _on_loaded(self, result: list[QuarantineEntry] | str) -> None:
        self.loading = False
        self.refresh_button.setEnabled(True)
        if isinstance(result, str):
            self.status.setText(self.tr("加载失败：{error}").format(error=result))
            return
        self._entries = result
        counts = Counter(e.reason_code for e in result)
        keep = self.filter.currentData()
        self.filter.blockSignals(True)  # one reset below, not one per rebuilt item
        self.filter.clear()
        self.filter.addItem(self.tr("全部（{n}）").format(n=len(result)), None)
        for code, n in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
            self.filter.addItem(self.tr("{label}（{n}）").format(label=reason_label(code), n=n),
                                code)
        if keep is not None and keep not in counts:  # keep the supervisor's choice, now empty
            self.filter.addItem(self.tr("{label}（0）").format(label=reason_label(keep)), keep)
        self.filter.setCurrentIndex(max(0, self.filter.findData(keep)) if keep else 0)
        self.filter.blockSignals(False)
        self._apply_filter()

    # --- filtering and the detail pane ------------------------------------------------------
    def _apply_filter(self) -> None:
        code = self.filter.currentData()
        current = self.table.currentIndex()
        keep_id = current.data(ENTRY_ID_ROLE) if current.isValid() else None
        shown = [e for e in self._entries if code is None or e.reason_code == code]
        self.model.set_entries(shown)
        self.status.setText(self.tr("显示 {shown} 条，共 {total} 条（最新在前）").format(
            shown=len(shown), total=len(self._entries)))
        row = self.model.row_of(keep_id) if keep_id is not None else None
        if row is None:
            row = 0 if shown else -1
        if row >= 0:
            self.table.selectRow(row)  # its currentRowChanged shows the entry
        else:
            self._show(-1)

    def _show(self, row: int) -> None:
        if row < 0 or row >= self.model.rowCount():
            self.reason.setText(self.tr("没有选中的消息") if self._entries
                                else self.tr("没有隔离消息"))
            self.meta.clear()
            self.preview.clear()
            self.copy_button.setEnabled(False)
            return
        entry = self.model.entry(row)
        self.reason.setText(self.tr("<b>{label}</b>：{reason}").format(  # reasons quote input
            label=html.escape(reason_label(entry.reason_code)), reason=html.escape(entry.reason)))
        self.meta.setText(self.tr("来源 {source}　·　接收于 {time}　·　{size} 字节").format(
            source=entry.source, size=f"{entry.size:,}",
            time=local_time(entry.received_at, self._tz, with_date=True)))
        self.preview.setPlainText(payload_preview(entry.payload, size=entry.size))
        self.copy_button.setEnabled(True)

    def copy_preview(self) -> None:
        QGuiApplication.clipboard().setText(self.preview.toPlainText())
