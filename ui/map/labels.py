"""A pool of map text labels that are moved and re-texted in place instead of recreated.

Units move every few seconds and their labels with them; creating and destroying scene items on
every update would churn the scene index and leak paint time, so the pool only ever grows to the
largest count seen and hides what it does not need. A pool can also declutter: when zoomed out,
a label that would overlap one listed before it is hidden until there is room again.

A label is two plain Qt items — a box that ignores the view's zoom, holding a simple text item —
not pyqtgraph's `TextItem`: that one runs Python on every move (`itemChange`) and on every paint
(it recomputes its transform), which for a few hundred labels cost the GUI thread ~10 ms per
officers' update and more on each repaint. Plain items move and paint without any Python.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import NamedTuple

import pyqtgraph as pg

from ui.qt import (
    QBrush,
    QColor,
    QFont,
    QGraphicsItem,
    QGraphicsRectItem,
    QGraphicsSimpleTextItem,
    QPen,
    QRectF,
    Qt,
    QTransform,
)

_CELL_PX = 64.0  # the declutter grid (scene pixels)
_PAD_X, _PAD_Y = 4.0, 1.0  # space between a label's text and the edge of its box (pixels)
_EDGE_PX = 3.0  # a label slid into view stops this far from the map's edge


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
        keep_in_view: bool = False,
    ) -> None:
        self._view_box = view_box
        self._font = font
        self._z = z
        self._placement = placement
        self._gap_px = gap_px
        self._fill = fill
        self._border = border
        self._items: list[QGraphicsRectItem] = []  # each label's box ...
        self._texts: list[QGraphicsSimpleTextItem] = []  # ... and the text in it
        self._labels: list[Label] = []
        # What each item shows now, kept here so an update only touches what changed.
        self._shown: list[Label | None] = []
        self._sizes: list[tuple[float, float, float, float]] = []  # text box w, h; anchor
        self._visible: list[bool] = []
        self._shifts: list[float] = []  # pixels each box is moved sideways to stay in view
        self._declutter = declutter
        self._keep_in_view = keep_in_view
        if declutter or keep_in_view:
            view_box.sigTransformChanged.connect(self._place)

    def show(self, labels: Sequence[Label]) -> None:
        """Show these labels, earlier ones first when decluttering; surplus items are hidden,
        not deleted, for the next update. Only what changed is passed to Qt: this runs for
        every batch of officers' fixes, and each call into Qt is a chance for the GUI thread
        to wait for the interpreter while the ingest writer is busy."""
        self._labels = list(labels)
        while len(self._items) < len(labels):
            box = self._new_item()
            self._items.append(box)
            self._texts.append(box.childItems()[0])  # type: ignore[arg-type]
            self._shown.append(None)
            self._sizes.append((0.0, 0.0, 0.5, 0.5))
            self._visible.append(False)
            self._shifts.append(0.0)
        for i, label in enumerate(labels):
            before = self._shown[i]
            if before == label:
                continue
            item = self._items[i]
            text = self._texts[i]
            if before is None or before.text != label.text:
                text.setText(label.text)
                self._sizes[i] = self._fit(item, text)
            if before is None or before.colour != label.colour:
                text.setBrush(QColor(label.colour))
            if before is None or (before.x, before.y) != (label.x, label.y):
                item.setPos(label.x, label.y)
            self._shown[i] = label
        self._place()

    def clear(self) -> None:
        self.show(())

    def _place(self, *_args: object) -> None:
        """Show the wanted labels, skipping any that would overlap one already placed."""
        wanted = self._uncluttered() if self._declutter else [True] * len(self._labels)
        wanted += [False] * (len(self._items) - len(wanted))
        for i, (item, visible) in enumerate(zip(self._items, wanted, strict=True)):
            if self._visible[i] != visible:
                item.setVisible(visible)
                self._visible[i] = visible
        if self._keep_in_view:
            self._slide_into_view()

    def _slide_into_view(self) -> None:
        """Move each shown box sideways just enough to be read whole: a case at the edge of
        the map keeps its label on screen (the box no longer centres on its point then)."""
        view = self._view_box.sceneBoundingRect().adjusted(_EDGE_PX, 0, -_EDGE_PX, 0)
        t = self._view_box.childGroup.sceneTransform()
        for i, (label, (width, _height, ax, _ay)) in enumerate(
                zip(self._labels, self._sizes, strict=False)):
            left = t.m11() * label.x + t.m21() * label.y + t.dx() - width * ax
            shift = 0.0
            if width < view.width():
                if left < view.left():
                    shift = view.left() - left
                elif left + width > view.right():
                    shift = view.right() - (left + width)
            if shift != self._shifts[i]:
                self._items[i].setTransform(QTransform.fromTranslate(shift, 0.0))
                self._shifts[i] = shift

    def _uncluttered(self) -> list[bool]:
        """Which labels fit, in order, each against those placed before it: boxes in scene
        pixels from one view transform, compared within a coarse grid (hundreds of labels)."""
        if not self._labels:
            return []
        t = self._view_box.childGroup.sceneTransform()
        m11, m12, m21, m22, dx, dy = t.m11(), t.m12(), t.m21(), t.m22(), t.dx(), t.dy()
        grid: dict[tuple[int, int], list[tuple[float, float, float, float]]] = {}
        out = []
        for label, (width, height, ax, ay) in zip(self._labels, self._sizes, strict=False):
            px = m11 * label.x + m21 * label.y + dx
            py = m12 * label.x + m22 * label.y + dy
            left, top = px - width * ax, py - height * ay
            right, bottom = left + width, top + height
            cells = [(cx, cy) for cx in range(int(left // _CELL_PX), int(right // _CELL_PX) + 1)
                     for cy in range(int(top // _CELL_PX), int(bottom // _CELL_PX) + 1)]
            clash = any(left < r and x0 < right and top < b and y0 < bottom
                        for cell in cells for (x0, y0, r, b) in grid.get(cell, ()))
            out.append(not clash)
            if not clash:
                for cell in cells:
                    grid.setdefault(cell, []).append((left, top, right, bottom))
        return out

    def _new_item(self) -> QGraphicsRectItem:
        box = QGraphicsRectItem()
        # Fixed size on screen at its map point, upright whatever the view's zoom and y flip.
        box.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        box.setPen(QPen(self._border) if self._border is not None
                   else QPen(Qt.PenStyle.NoPen))
        box.setBrush(QBrush(self._fill) if self._fill is not None
                     else QBrush(Qt.BrushStyle.NoBrush))
        box.setZValue(self._z)
        box.setVisible(False)
        text = QGraphicsSimpleTextItem(box)
        text.setFont(self._font)
        # Labels are decoration: clicks and hover must reach the markers beneath them.
        for part in (box, text):
            part.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
            part.setAcceptHoverEvents(False)
        self._view_box.addItem(box, ignoreBounds=True)
        return box

    def _fit(self, box: QGraphicsRectItem,
             text: QGraphicsSimpleTextItem) -> tuple[float, float, float, float]:
        """Size the box around its text and place it by the anchor; (w, h, anchor x, y)."""
        bounds = text.boundingRect()
        width, height = bounds.width() + 2 * _PAD_X, bounds.height() + 2 * _PAD_Y
        ax, ay = self._anchor(height)
        box.setRect(QRectF(-ax * width, -ay * height, width, height))
        text.setPos(-ax * width + _PAD_X, -ay * height + _PAD_Y)
        return width, height, ax, ay

    def _anchor(self, height: float) -> tuple[float, float]:
        """Anchor (box fractions) that leaves `gap_px` pixels between point and box."""
        height = max(height, 1.0)
        if self._placement is Placement.BELOW:
            return 0.5, -self._gap_px / height
        if self._placement is Placement.ABOVE:
            return 0.5, 1.0 + self._gap_px / height
        return 0.5, 0.5
