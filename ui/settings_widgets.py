"""The settings dialog's building blocks: a field with its own error line, a button beside the
line that answers it, and the colours those lines are written in.

Kept apart from the dialog so its layout code reads as the form it builds; none of these pieces
shows text of its own, so none of them needs translating.
"""

from __future__ import annotations

from typing import Any

from ui.qt import QHBoxLayout, QLabel, Qt, QVBoxLayout, QWidget

ERROR_STYLE = "color: #c62828;"
OK_STYLE = "color: #2e7d32;"
WARN_STYLE = "color: #b26a00;"
NOTE_STYLE = "color: #555555;"  # a neutral remark: where the file is, a check under way


class FieldRow(QWidget):
    """A field with its own error line underneath (hidden while the field is valid)."""

    def __init__(self, *widgets: QWidget, stretch_first: bool = True) -> None:
        super().__init__()
        line = QHBoxLayout()
        line.setContentsMargins(0, 0, 0, 0)
        for index, widget in enumerate(widgets):
            line.addWidget(widget, 1 if index == 0 and stretch_first else 0)
        if not stretch_first:
            line.addStretch(1)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addLayout(line)
        box.addWidget(self.error)

    def show_error(self, message: str | None) -> bool:
        self.error.setText(message or "")
        self.error.setVisible(bool(message))
        return message is None


def selectable() -> Any:
    """The flag that lets IT select (and copy) a label's text with the mouse."""
    return Qt.TextInteractionFlag.TextSelectableByMouse


def button_line(*widgets: QWidget) -> QWidget:
    """Widgets side by side, the last one taking the spare width (a button and its answer)."""
    holder = QWidget()
    line = QHBoxLayout(holder)
    line.setContentsMargins(0, 4, 0, 0)
    for index, widget in enumerate(widgets):
        line.addWidget(widget, 1 if index == len(widgets) - 1 else 0)
    return holder
