"""The map's label font: a family list that finds a CJK face on Windows and on Linux."""

from __future__ import annotations

from ui.qt import QFont

CJK_FAMILIES = [
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Sans CJK SC",
    "WenQuanYi Micro Hei",
    "Source Han Sans SC",
    "sans-serif",
]


def map_font(point_size: float, *, bold: bool = False) -> QFont:
    """A font for map text; a family list, because no single CJK face exists on every machine."""
    font = QFont()
    font.setFamilies(CJK_FAMILIES)
    font.setPointSizeF(point_size)
    font.setBold(bold)
    font.setStyleHint(QFont.StyleHint.SansSerif)
    return font
