"""Status cells as coloured badges: the colour stays visible on the selected row, where a plain
cell background would disappear under the selection highlight."""

from __future__ import annotations

from ui.qt import (
    QApplication,
    QBrush,
    QColor,
    QFont,
    QModelIndex,
    QPainter,
    QPersistentModelIndex,
    QSize,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    Qt,
)


class BadgeDelegate(QStyledItemDelegate):
    """Cells with a BackgroundRole brush are drawn as a rounded badge; others as usual."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        brush = index.data(Qt.ItemDataRole.BackgroundRole)
        if not isinstance(brush, QBrush):
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text = opt.text
        opt.text = ""
        opt.backgroundBrush = QBrush()  # the row (selection, alternate colour) only
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)

        rect = option.rect.adjusted(5, 3, -5, -3)
        foreground = index.data(Qt.ItemDataRole.ForegroundRole)
        font = index.data(Qt.ItemDataRole.FontRole)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(brush)
        painter.drawRoundedRect(rect, 4, 4)
        painter.setPen(foreground.color() if isinstance(foreground, QBrush) else QColor("#212121"))
        painter.setFont(font if isinstance(font, QFont) else opt.font)
        elided = painter.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight,
                                                  rect.width() - 6)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, elided)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        hint = super().sizeHint(option, index)
        if isinstance(index.data(Qt.ItemDataRole.BackgroundRole), QBrush):
            hint.setWidth(hint.width() + 22)  # the badge's margins and padding
        return hint
