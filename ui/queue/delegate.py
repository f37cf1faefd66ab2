"""Queue cells painted from the case in one call each.

The standard delegate asks the model a dozen roles for every visible cell at each repaint
(font, alignment, colours, check state, icon, text…): ~2,000 calls from Qt into Python per
repaint of the queue. Each such call must take the interpreter lock, and while the ingest writer
is busy every take can wait: at 2,000 messages a second the window froze for hundreds of
milliseconds (hiding the queue's painting removed most of those freezes). This delegate gets a
cell's text, font, colours and alignment in one call (`CaseQueueProxy.cell_style`) and lets the
style draw it as the standard delegate would.
"""

from __future__ import annotations

from ui.qt import (
    QApplication,
    QFontMetrics,
    QModelIndex,
    QPainter,
    QPalette,
    QPersistentModelIndex,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    Qt,
)
from ui.queue.proxy import CaseQueueProxy

_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


class QueueCellDelegate(QStyledItemDelegate):
    def __init__(self, proxy: CaseQueueProxy, parent: object = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self._proxy = proxy

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        style_of = self._proxy.cell_style(index.row(), index.column())
        if style_of is None:
            super().paint(painter, option, index)
            return
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
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
