"""Fonts and the style sheet: CJK-capable font families on Windows and Linux, calm colours."""

from __future__ import annotations

from ui.qt import QApplication, QFont

FONT_FAMILIES = ["Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC",
                 "WenQuanYi Micro Hei", "Source Han Sans SC", "sans-serif"]

STYLE_SHEET = """
QLabel#caseTitle { font-size: 16px; font-weight: bold; }
QLabel#caseSubtitle { color: #555555; }
QLabel#statusClock { font-weight: bold; padding: 0 6px; }
QTableView#caseQueue { gridline-color: #e0e0e0; selection-background-color: #1565c0; }
QToolButton { padding: 4px 6px; }
QToolButton:disabled { color: #9e9e9e; }
"""


def apply_style(app: QApplication) -> None:
    app.setStyle("Fusion")
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPointSize(10)
    app.setFont(font)
    app.setStyleSheet(STYLE_SHEET)
