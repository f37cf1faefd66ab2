"""A pool of map text labels that are moved and re-texted in place instead of recreated.

Units move every few seconds and their labels with them; creating and destroying scene items on
every update would churn the scene index and leak paint time, so the pool only ever grows to the
largest count seen and hides what it does not need. A pool can also declutter: when zoomed out,
a label that would overlap one listed before it is hidden until there is room again.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import NamedTuple

import pyqtgraph as pg

from ui.qt import QColor, QFont, QPointF, QRectF, Qt


class Placement(enum.Enum):
    """Where a label sits relative to its point, so it never covers the marker it names."""

    CENTRE = "centre"
    BELOW = "below"
    ABOVE = "above"


class Label(NamedTuple):
    """One label at map coordinates (metres), with its text colour."""

    x: float
    y: float
    text: str
    colour: str


class LabelPool:
    """Text items owned by one layer of a ViewBox, shown for the current labels only."""

    def __init__(
        self,
        view_box: pg.ViewBox,
        *,
        font: QFont,
        z: float,
        placement: Placement = Placement.CENTRE,
        gap_px: float = 0.0,
        fill: QColor | None = None,
        border: QColor | None = None,
        declutter: bool = False,
    ) -> None:
        self._view_box = view_box
        self._font = font
        self._z = z
        self._placement = placement
        self._gap_px = gap_px
        self._fill = fill
        self._border = border
        self._items: list[pg.TextItem] = []
        self._labels: list[Label] = []
        self._declutter = declutter
        if declutter:
            view_box.sigTransformChanged.connect(self._place)

    def show(self, labels: Sequence[Label]) -> None:
        """Show these labels, earlier ones first when decluttering; surplus items are hidden,
        not deleted, for the next update."""
        self._labels = list(labels)
        while len(self._items) < len(labels):
            self._items.append(self._new_item())
        for item, label in zip(self._items, labels, strict=False):
            if item.toPlainText() != label.text:
                item.setText(label.text)
                item.setAnchor(self._anchor(item))
            if item.color.name() != QColor(label.colour).name():
                item.setColor(label.colour)
            item.setPos(label.x, label.y)
        self._place()

    def clear(self) -> None:
        self.show(())

    def _place(self, *_args: object) -> None:
        """Show the wanted labels, skipping any that would overlap one already placed."""
        placed: list[QRectF] = []
        for item, label in zip(self._items, self._labels, strict=False):
            visible = True
            if self._declutter:
                rect = self._screen_rect(item, label)
                visible = not any(rect.intersects(other) for other in placed)
                if visible:
                    placed.append(rect)
            item.setVisible(visible)
        for item in self._items[len(self._labels):]:
            item.setVisible(False)

    def _screen_rect(self, item: pg.TextItem, label: Label) -> QRectF:
        """The label's box in scene pixels, computed from the view so it is never stale."""
        point = self._view_box.mapViewToScene(QPointF(label.x, label.y))
        box = item.textItem.boundingRect()
        # QGraphicsTextItem pads its text by a document margin; let the padding overlap.
        margin = item.textItem.document().documentMargin() - 1.0
        return QRectF(
            point.x() - box.width() * item.anchor.x(),
            point.y() - box.height() * item.anchor.y(),
            box.width(),
            box.height(),
        ).adjusted(margin, margin, -margin, -margin)

    def _new_item(self) -> pg.TextItem:
        item = pg.TextItem("", fill=self._fill, border=self._border, anchor=(0.5, 0.5))
        item.setFont(self._font)
        item.setZValue(self._z)
        item.setVisible(False)
        # Labels are decoration: clicks and hover must reach the markers beneath them.
        item.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        item.setAcceptHoverEvents(False)
        self._view_box.addItem(item, ignoreBounds=True)
        return item

    def _anchor(self, item: pg.TextItem) -> tuple[float, float]:
        """Anchor (text-box fractions) that leaves `gap_px` pixels between point and text."""
        height = max(item.textItem.boundingRect().height(), 1.0)
        if self._placement is Placement.BELOW:
            return 0.5, -self._gap_px / height
        if self._placement is Placement.ABOVE:
            return 0.5, 1.0 + self._gap_px / height
        return 0.5, 0.5
