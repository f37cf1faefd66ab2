"""Ask for the reason an exception needs (作废, 挂账, 回退, 返工): presets plus free text."""

from __future__ import annotations

from ui.qt import QComboBox, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

PRESETS = {
    "cancel": ["重复上报", "不属于城管职责", "摄像头误报", "信息无效，无法核实"],
    "suspend": ["等待相关部门确认", "需要产权单位配合", "天气原因暂缓处置"],
    "return": ["处置人员无法到场", "需要改派其他中队"],
    "rework": ["现场仍未整改", "处置照片不清晰"],
}


class ReasonDialog(QDialog):
    def __init__(self, title: str, prompt: str, presets: list[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(380, 140)
        self._combo = QComboBox()
        self._combo.setEditable(True)
        self._combo.addItems(presets)
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
