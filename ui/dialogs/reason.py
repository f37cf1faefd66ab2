"""Ask for the reason an exception needs (作废, 挂账, 回退, 返工): presets plus free text."""

from __future__ import annotations

from ui.qt import (
    QT_TRANSLATE_NOOP,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

PRESETS = {
    "cancel": [QT_TRANSLATE_NOOP("ReasonDialog", "重复上报"),
               QT_TRANSLATE_NOOP("ReasonDialog", "不属于城管职责"),
               QT_TRANSLATE_NOOP("ReasonDialog", "摄像头误报"),
               QT_TRANSLATE_NOOP("ReasonDialog", "信息无效，无法核实")],
    "suspend": [QT_TRANSLATE_NOOP("ReasonDialog", "等待相关部门确认"),
                QT_TRANSLATE_NOOP("ReasonDialog", "需要产权单位配合"),
                QT_TRANSLATE_NOOP("ReasonDialog", "天气原因暂缓处置")],
    "return": [QT_TRANSLATE_NOOP("ReasonDialog", "处置人员无法到场"),
               QT_TRANSLATE_NOOP("ReasonDialog", "需要改派其他中队")],
    "rework": [QT_TRANSLATE_NOOP("ReasonDialog", "现场仍未整改"),
               QT_TRANSLATE_NOOP("ReasonDialog", "处置照片不清晰")],
}


class ReasonDialog(QDialog):
    def __init__(self, title: str, prompt: str, presets: list[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(380, 140)
        self._combo = QComboBox()
        self._combo.setEditable(True)
        self._combo.addItems([self.tr(text) for text in presets])  # PRESETS, marked above
        self._combo.setCurrentIndex(-1)
        self._combo.lineEdit().setPlaceholderText(self.tr("选择或输入原因"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        self._ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self._ok.setEnabled(False)
        self._combo.currentTextChanged.connect(lambda t: self._ok.setEnabled(bool(t.strip())))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(prompt))
        layout.addWidget(self._combo)
        layout.addWidget(buttons)
        self._combo.setFocus()

    def reason(self) -> str:
        return self._combo.currentText().strip()
