"""值班长's list of pending requests (延期, 挂账, 回退, 返工, 作废): approve or refuse each."""

from __future__ import annotations

from collections.abc import Callable
from datetime import tzinfo
from typing import Any

from commandcenter.domain.case import Case
from commandcenter.services.requests import CaseRequest
from ui.format import local_time
from ui.names import action_name
from ui.qt import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QShortcut,
    Qt,
    QVBoxLayout,
    QWidget,
)

Run = Callable[..., Any]


class RequestsDialog(QDialog):
    def __init__(self, load: Callable[[], list[CaseRequest]],
                 decide: Callable[[int, bool, str | None], object], run: Run,
                 case_of: Callable[[int], Case | None], actor_name: Callable[[str], str],
                 tz: tzinfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("待审批申请"))
        self.resize(760, 460)
        self._load, self._decide, self._run = load, decide, run
        self._case_of, self._actor_name, self._tz = case_of, actor_name, tz
        self._list = QListWidget()
        self._list.setAlternatingRowColors(True)
        self._note = QLineEdit()
        self._note.setPlaceholderText(self.tr("审批意见（可选）"))
        self._status = QLabel()
        approve = QPushButton(self.tr("批准 (Ctrl+Y)"))
        refuse = QPushButton(self.tr("驳回 (Ctrl+N)"))
        approve.clicked.connect(lambda: self._act(True))
        refuse.clicked.connect(lambda: self._act(False))
        QShortcut(QKeySequence("Ctrl+Y"), self, lambda: self._act(True))
        QShortcut(QKeySequence("Ctrl+N"), self, lambda: self._act(False))
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self._note, 1)
        row.addWidget(approve)
        row.addWidget(refuse)
        layout = QVBoxLayout(self)
        layout.addWidget(self._list, 1)
        layout.addLayout(row)
        layout.addWidget(self._status)
        layout.addWidget(close)
        self.refresh()

    def refresh(self) -> None:
        self._status.setText(self.tr("正在加载…"))
        self._run(self._load, self._show)

    def _show(self, requests: list[CaseRequest]) -> None:
        self._list.clear()
        for req in requests:
            case = self._case_of(req.case_id)
            number = case.number if case else str(req.case_id)
            title = case.title if case else ""
            minutes = self.tr("（{n} 分钟）").format(n=req.minutes) if req.minutes else ""
            asked = self.tr("{who}：{reason}").format(who=self._actor_name(req.requested_by),
                                                     reason=req.reason)
            text = (f"{local_time(req.requested_at, self._tz)}　{number}　"
                    f"{action_name(req.action.value)}{minutes}　{asked}\n　{title}")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, req.id)
            self._list.addItem(item)
        self._list.setCurrentRow(0)
        self._status.setText(self.tr("{n} 条待审批").format(n=len(requests)) if requests
                             else self.tr("没有待审批的申请"))
        self._list.setFocus()

    def _act(self, approve: bool) -> None:
        item = self._list.currentItem()
        if item is None:
            return
        request_id = int(item.data(Qt.ItemDataRole.UserRole))
        note = self._note.text().strip() or None
        self._status.setText(self.tr("正在处理…"))
        self._run(lambda: self._decide(request_id, approve, note),
                  lambda _r: (self._note.clear(), self.refresh()),
                  lambda exc: self._status.setText(str(exc)))
