"""Queue cells painted from the case in one call each, and kept as pictures between repaints.

The standard delegate asks the model a dozen roles for every visible cell at each repaint
(font, alignment, colours, check state, icon, text…): ~2,000 calls from Qt into Python per
repaint of the queue. This delegate gets a cell's text, font, colours and alignment in one call
(`CaseQueueProxy.cell_style`) and lets the style draw it as the standard delegate would.

Drawing a cell through the style (text layout, eliding, the panel) is most of a repaint's cost,
and at 2,000 messages a second the queue repaints up to ten times a second with mostly the same
cells, only shifted. So each cell is drawn once into a pixmap, keyed by everything that decides
its look (text, font, colours, size, selection, focus, alternate row…), and blitted while that
key holds. The countdown column, a new text every second, is drawn directly: kept, it would
only push the other cells out of the cache. The pixmap starts from what
the table puts under a cell on screen (its base colour, then the alternate-row panel), so a
blitted cell is the cell the style would have drawn, pixel for pixel
(tests/ui/test_queue_delegate.py).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from ui.qt import (
    QApplication,
    QBrush,
    QFontMetrics,
    QModelIndex,
    QPainter,
    QPalette,
    QPersistentModelIndex,
    QPixmap,
    QRect,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    Qt,
)
from ui.queue.model import Column
from ui.queue.proxy import CaseQueueProxy

_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
CACHED_CELLS = 1500  # ~4 screens of cells; a 130 x 26 cell is ~14 KB, so at most ~20 MB


def _rgba(brush: QBrush | None) -> int | None:
    return None if brush is None else brush.color().rgba()  # a brush is not hashable


class QueueCellDelegate(QStyledItemDelegate):
    def __init__(self, proxy: CaseQueueProxy, parent: object = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self._proxy = proxy
        self._cells: OrderedDict[tuple[Any, ...], QPixmap] = OrderedDict()

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        style_of = self._proxy.cell_style(index.row(), index.column())
        if style_of is None:
            super().paint(painter, option, index)
            return
        if index.column() == Column.TIMER:  # a new text every second: never worth keeping
            opt = self._option(style_of, option, index)
            self._style(opt).drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter,
                                         opt.widget)
            return
        rect = option.rect  # type: ignore[attr-defined]
        widget = option.widget  # type: ignore[attr-defined]
        ratio = widget.devicePixelRatioF() if widget is not None else 1.0
        text, font, foreground, background, alignment = style_of
        key = (text, font, _rgba(foreground), _rgba(background), alignment, rect.width(),
               rect.height(), option.state, option.features,  # type: ignore[attr-defined]
               ratio, option.palette.cacheKey())  # type: ignore[attr-defined]
        pixmap = self._cells.get(key)
        if pixmap is None:
            pixmap = self._draw(self._option(style_of, option, index), ratio)
            self._cells[key] = pixmap
            if len(self._cells) > CACHED_CELLS:
                self._cells.popitem(last=False)
        else:
            self._cells.move_to_end(key)
        painter.drawPixmap(rect.topLeft(), pixmap)

    @staticmethod
    def _option(style_of: tuple[Any, ...], option: QStyleOptionViewItem,
                index: QModelIndex | QPersistentModelIndex) -> QStyleOptionViewItem:
        """The standard delegate's option for this cell, from the model's style in one call."""
        text, font, foreground, background, alignment = style_of
        opt = QStyleOptionViewItem(option)
        opt.index = QModelIndex(index)
        opt.text = text
        opt.features |= QStyleOptionViewItem.ViewItemFeature.HasDisplay
        opt.displayAlignment = Qt.AlignmentFlag(alignment) if alignment else _LEFT
        if font is not None:
            opt.font = font.resolve(opt.font)  # as the standard delegate: the view's font, bold
            opt.fontMetrics = QFontMetrics(opt.font)
        if foreground is not None:
            opt.palette.setBrush(QPalette.ColorRole.Text, foreground)
        if background is not None:
            opt.backgroundBrush = background
        return opt

    @staticmethod
    def _style(opt: QStyleOptionViewItem) -> QStyle:
        widget = opt.widget
        return widget.style() if widget is not None else QApplication.style()

    def _draw(self, opt: QStyleOptionViewItem, ratio: float) -> QPixmap:
        """The cell as the style draws it, over what the table puts under it, at (0, 0)."""
        size = opt.rect.size()
        opt.rect = QRect(0, 0, size.width(), size.height())
        pixmap = QPixmap(size * ratio)
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(opt.palette.color(QPalette.ColorRole.Base))
        style, widget = self._style(opt), opt.widget
        cell_painter = QPainter(pixmap)
        try:  # what the table draws under a cell (the alternate row), then the cell
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewRow, opt, cell_painter,
                                widget)
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, cell_painter, widget)
        finally:
            cell_painter.end()
        return pixmap
