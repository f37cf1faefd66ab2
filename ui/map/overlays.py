"""Fixed-position chips painted over the map: legend, scale bar and the "approximate" caption.

They are plain widgets above the graphics view rather than scene items, so they stay put while
the map pans and zooms, and ignore the mouse so they never steal a click from a marker.
"""

from __future__ import annotations

import math

from ui.map.fonts import map_font
from ui.map.markers import UNIT_AVAILABLE_COLOUR, UNIT_BUSY_COLOUR, SiteState, TimerState
from ui.qt import (
    QColor,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPointF,
    QPolygonF,
    QRectF,
    QSize,
    Qt,
    QWidget,
)

CHIP_FILL = QColor(255, 255, 255, 225)
CHIP_BORDER = QColor("#c5ccd3")
CHIP_TEXT = QColor("#37474f")
CAPTION_TEXT = QColor("#78848e")
PADDING = 6.0
SWATCH = 11.0


class _Chip(QWidget):
    """A rounded translucent plate; subclasses paint their content inside the padding."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground)
        self.setFont(map_font(9.0))

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(CHIP_BORDER, 1.0))
        painter.setBrush(CHIP_FILL)
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 4.0, 4.0)
        self.paint_content(painter)
        painter.end()

    def paint_content(self, painter: QPainter) -> None:
        raise NotImplementedError

    def retranslate(self) -> None:
        """Re-read translated texts after a language change and resize to fit them."""
        self.updateGeometry()
        self.adjustSize()
        self.update()


class MapLegend(_Chip):
    """What each marker colour and symbol means, so a new dispatcher needs no manual.

    The oil-fume site rows appear only while the map shows sites: no sites, no claim about them.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._show_sites = False

    def set_show_sites(self, show: bool) -> bool:
        """List the site states or not; True when that changed (the caller resizes the chip)."""
        if show == self._show_sites:
            return False
        self._show_sites = show
        self.updateGeometry()
        self.update()
        return True

    def _entries(self) -> list[tuple[str, QColor, str]]:
        entries = [
            ("dot", QColor(TimerState.OK.colour), self.tr("正常")),
            ("dot", QColor(TimerState.WARN.colour), self.tr("即将超时")),
            ("dot", QColor(TimerState.OVERDUE.colour), self.tr("已超时")),
            ("dot", QColor(TimerState.IDLE.colour), self.tr("未计时")),
            ("unit", QColor(UNIT_AVAILABLE_COLOUR), self.tr("人员（可派）")),
            ("unit", QColor(UNIT_BUSY_COLOUR), self.tr("人员（忙碌）")),
        ]
        if self._show_sites:
            entries += [
                ("site", QColor(SiteState.ALARM.colour), self.tr("油烟站点（超标）")),
                ("site", QColor(SiteState.PENDING.colour), self.tr("油烟站点（待确认）")),
                ("site", QColor(SiteState.OK.colour), self.tr("油烟站点（正常）")),
                ("site-offline", QColor(SiteState.OFFLINE.colour), self.tr("油烟站点（离线）")),
            ]
        return entries

    def _row_height(self) -> float:
        return max(QFontMetricsF(self.font()).height(), SWATCH) + 3.0

    def sizeHint(self) -> QSize:
        metrics = QFontMetricsF(self.font())
        entries = self._entries()
        text_width = max(metrics.horizontalAdvance(text) for _kind, _colour, text in entries)
        width = PADDING * 2 + SWATCH + 6.0 + text_width
        height = PADDING * 2 + self._row_height() * len(entries)
        return QSize(math.ceil(width), math.ceil(height))

    def paint_content(self, painter: QPainter) -> None:
        row = self._row_height()
        outline = QPen(QColor("#ffffff"), 1.5)
        rim = QPen(QColor(SiteState.OFFLINE.outline), 1.5)
        for index, (kind, colour, text) in enumerate(self._entries()):
            centre = QPointF(PADDING + SWATCH / 2, PADDING + row * index + row / 2)
            painter.setPen(rim if kind == "site-offline" else outline)
            painter.setBrush(colour)
            if kind == "dot":
                painter.drawEllipse(centre, SWATCH / 2, SWATCH / 2)
            elif kind in ("site", "site-offline"):
                half = SWATCH / 2 - 0.5
                painter.drawRect(QRectF(centre.x() - half, centre.y() - half, 2 * half, 2 * half))
            else:
                half = SWATCH / 2 + 1
                painter.drawPolygon(
                    QPolygonF(
                        [
                            QPointF(centre.x(), centre.y() - half),
                            QPointF(centre.x() + half, centre.y() + half * 0.8),
                            QPointF(centre.x() - half, centre.y() + half * 0.8),
                        ]
                    )
                )
            painter.setPen(CHIP_TEXT)
            text_rect = QRectF(PADDING + SWATCH + 6.0, PADDING + row * index, 1000.0, row)
            painter.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter, text)


class ScaleBar(_Chip):
    """A distance bar with a round length (1-2-5 steps) that follows the zoom."""

    TARGET_PX = 110.0

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._metres_per_px = 10.0
        self._length_m = 1000.0

    def set_metres_per_pixel(self, metres_per_px: float) -> None:
        if not math.isfinite(metres_per_px) or metres_per_px <= 0:
            return
        self._metres_per_px = metres_per_px
        self._length_m = nice_length(metres_per_px * self.TARGET_PX)
        self.adjustSize()
        self.update()

    def text(self) -> str:
        if self._length_m >= 1000:
            return self.tr("%1 公里").replace("%1", f"{self._length_m / 1000:g}")
        return self.tr("%1 米").replace("%1", f"{self._length_m:g}")

    def _bar_px(self) -> float:
        return self._length_m / self._metres_per_px

    def sizeHint(self) -> QSize:
        metrics = QFontMetricsF(self.font())
        width = max(self._bar_px(), metrics.horizontalAdvance(self.text())) + PADDING * 2
        height = metrics.height() + 8.0 + PADDING * 2
        return QSize(math.ceil(width), math.ceil(height))

    def paint_content(self, painter: QPainter) -> None:
        metrics = QFontMetricsF(self.font())
        painter.setPen(CHIP_TEXT)
        painter.drawText(
            QRectF(PADDING, PADDING, self._bar_px(), metrics.height()),
            Qt.AlignmentFlag.AlignCenter,
            self.text(),
        )
        base = PADDING + metrics.height() + 6.0
        bar = QPainterPath()
        bar.moveTo(PADDING, base - 4.0)
        bar.lineTo(PADDING, base)
        bar.lineTo(PADDING + self._bar_px(), base)
        bar.lineTo(PADDING + self._bar_px(), base - 4.0)
        pen = QPen(CHIP_TEXT, 1.6)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(bar)


class ApproximateCaption(_Chip):
    """Says on screen that the 街道 areas are approximate, as the data's provenance requires."""

    def text(self) -> str:
        return self.tr("街道范围为示意")

    def sizeHint(self) -> QSize:
        metrics = QFontMetricsF(self.font())
        return QSize(
            math.ceil(metrics.horizontalAdvance(self.text()) + PADDING * 2),
            math.ceil(metrics.height() + PADDING),
        )

    def paint_content(self, painter: QPainter) -> None:
        painter.setPen(CAPTION_TEXT)
        painter.drawText(QRectF(self.rect()), Qt.AlignmentFlag.AlignCenter, self.text())


def nice_length(max_metres: float) -> float:
    """The largest 1, 2 or 5 × 10^k metres not longer than `max_metres` (at least 1 m)."""
    if max_metres < 1.0:
        return 1.0
    exponent = math.floor(math.log10(max_metres))
    for step in (5.0, 2.0, 1.0):
        length = step * 10.0**exponent
        if length <= max_metres:
            return length
    return 10.0**exponent
