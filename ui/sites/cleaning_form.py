"""登记清洗: the small form an inspector fills after seeing a restaurant's purifier cleaned."""

from __future__ import annotations

import html
from datetime import date, timedelta

from commandcenter.domain.site import Cleaning, Site
from ui.qt import (
    QDate,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

CLEANING_INTERVAL = timedelta(days=30)  # purifiers are cleaned monthly (the local rule)


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


class CleaningForm(QDialog):
    """Date (today), by whom, next due (+30 days, following the date until edited), note."""

    def __init__(self, site: Site, today: date, *, by: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._site = site
        self._due_edited = False
        self.setWindowTitle(self.tr("登记清洗 — {name}").format(name=site.name))

        name = QLabel(f"<b>{html.escape(site.name)}</b>")
        self.cleaned_on = QDateEdit(_qdate(today))
        self.cleaned_on.setCalendarPopup(True)
        self.cleaned_on.setDisplayFormat("yyyy-MM-dd")
        self.cleaned_on.setMaximumDate(_qdate(today))  # a record of what happened, not a plan
        self.by = QLineEdit(by)
        self.by.setPlaceholderText(self.tr("清洗单位或人员，如：绿源清洗公司"))
        self.by.setClearButtonEnabled(True)
        self.next_due = QDateEdit(_qdate(today + CLEANING_INTERVAL))
        self.next_due.setCalendarPopup(True)
        self.next_due.setDisplayFormat("yyyy-MM-dd")
        self.next_due.setMinimumDate(_qdate(today + timedelta(days=1)))
        self.note = QLineEdit()
        self.note.setPlaceholderText(self.tr("可选，如：更换滤网"))

        form = QFormLayout()
        form.addRow(self.tr("站点："), name)
        form.addRow(self.tr("清洗日期(&D)："), self.cleaned_on)
        form.addRow(self.tr("清洗单位(&B)："), self.by)
        form.addRow(self.tr("下次到期(&N)："), self.next_due)
        form.addRow(self.tr("备注(&M)："), self.note)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("登记"))
        self.ok_button.setDefault(True)  # Enter registers, Esc cancels
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)

        self.cleaned_on.dateChanged.connect(self._follow_date)
        self.next_due.dateChanged.connect(self._due_changed)
        self.by.textChanged.connect(self._update_ok)
        self._update_ok()
        self.by.setFocus()

    def cleaning(self) -> Cleaning:
        return Cleaning(site_mn=self._site.mn, cleaned_on=_pydate(self.cleaned_on.date()),
                        by=self.by.text().strip(), next_due=_pydate(self.next_due.date()),
                        note=self.note.text().strip() or None)

    def accept(self) -> None:
        if self.ok_button.isEnabled():  # Enter with an empty "by" must not register
            super().accept()

    def _follow_date(self, cleaned: QDate) -> None:
        self.next_due.setMinimumDate(cleaned.addDays(1))
        if not self._due_edited:
            self.next_due.blockSignals(True)
            self.next_due.setDate(cleaned.addDays(CLEANING_INTERVAL.days))
            self.next_due.blockSignals(False)

    def _due_changed(self, _due: QDate) -> None:
        self._due_edited = True

    def _update_ok(self) -> None:
        self.ok_button.setEnabled(bool(self.by.text().strip()))

