"""Pick the unit to dispatch: available units first, nearest first, Enter to send."""

from __future__ import annotations

import html
from datetime import datetime

from commandcenter.domain.case import Case
from commandcenter.domain.dispatch import DEPARTMENT, DUTY, rank_units
from commandcenter.domain.unit import Unit, UnitStatus
from ui.names import unit_status_name
from ui.qt import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    Qt,
    QVBoxLayout,
    QWidget,
)


class DispatchDialog(QDialog):
    def __init__(self, case: Case, units: list[Unit], now: datetime,
                 parent: QWidget | None = None, *,
                 default_notes: dict[str, str] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("派遣 {number}").format(number=case.number))
        self.resize(460, 480)
        self._default_notes = default_notes or {}
        self._list = QListWidget()
        for rec in rank_units(case, units, now):
            unit, distance = rec.unit, rec.distance_m
            if unit.kind == DEPARTMENT:
                where = self.tr("联动部门")
            elif unit.kind == DUTY:
                where = self.tr("夜间值班")
            else:
                where = (self.tr("{km:.1f} 公里").format(km=distance / 1000)
                         if distance is not None else self.tr("位置未知"))
            text = self.tr("{name}　{squad}　{status}　{distance}").format(
                name=unit.name, squad=unit.squad or "", status=unit_status_name(unit.status),
                distance=where)
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, unit.id)
            if unit.status is not UnitStatus.AVAILABLE:
                item.setForeground(Qt.GlobalColor.darkGray)
            self._list.addItem(item)
        self._list.itemActivated.connect(lambda _item: self.accept())
        self._note = QLineEdit()
        self._auto_note = ""
        self._list.currentItemChanged.connect(self._on_current)
        self._note.setPlaceholderText(self.tr("附言（可选），例如：注意北门出入车辆"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("派遣"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        title = html.escape(case.title)
        layout.addWidget(QLabel(
            f"<b>{title}</b><br>{html.escape(case.location.address or '')}"
            if case.location else f"<b>{title}</b>"))
        layout.addWidget(QLabel(self.tr("处置人员（空闲优先，按距离排序；联动部门与夜间值班在后）：")))
        layout.addWidget(self._list, 1)
        layout.addWidget(self._note)
        layout.addWidget(buttons)
        self._list.setCurrentRow(0)
        self._list.setFocus()

    def _on_current(self, item: QListWidgetItem | None, _previous: object) -> None:
        """Night duty has its standard wording: prefill it, never overwrite what was typed."""
        unit_id = item.data(Qt.ItemDataRole.UserRole) if item else None
        default = self._default_notes.get(unit_id, "") if unit_id else ""
        if self._note.text() in ("", self._auto_note):
            self._note.setText(default)
            self._auto_note = default

    def unit_id(self) -> str | None:
        item = self._list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def note(self) -> str | None:
        return self._note.text().strip() or None
