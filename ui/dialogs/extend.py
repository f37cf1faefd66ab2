"""延期: how much more time, and why (the supervisor grants it, or approves the request)."""

from __future__ import annotations

from ui.qt import (
    QT_TRANSLATE_NOOP,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QWidget,
)

REASONS = [QT_TRANSLATE_NOOP("ExtendDialog", "交通管制，需绕行"),
           QT_TRANSLATE_NOOP("ExtendDialog", "现场情况复杂，需联合处置"),
           QT_TRANSLATE_NOOP("ExtendDialog", "等待当事人到场"),
           QT_TRANSLATE_NOOP("ExtendDialog", "天气原因")]


class ExtendDialog(QDialog):
    def __init__(self, title: str, note: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(400, 170)
        self._minutes = QSpinBox()
        self._minutes.setRange(5, 24 * 60)
        self._minutes.setSingleStep(5)
        self._minutes.setValue(30)
        self._minutes.setSuffix(self.tr(" 分钟"))
        self._reason = QComboBox()
        self._reason.setEditable(True)
        self._reason.addItems([self.tr(r) for r in REASONS])
        self._reason.setCurrentIndex(-1)
        line_edit = self._reason.lineEdit()
        if line_edit is not None:
            line_edit.setPlaceholderText(self.tr("选择或输入原因"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(False)
        self._reason.currentTextChanged.connect(lambda t: ok.setEnabled(bool(t.strip())))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(QLabel(note))
        form.addRow(self.tr("延长："), self._minutes)
        form.addRow(self.tr("原因："), self._reason)
        form.addRow(buttons)
        self._minutes.setFocus()

    def minutes(self) -> int:
        return int(self._minutes.value())

    def reason(self) -> str:
        return self._reason.currentText().strip()
