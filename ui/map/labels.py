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

from ui.qt import QColor, QFont, Qt

_CELL_PX = 64.0  # the declutter grid (scene pixels)


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
        # What each item shows now, kept here so an update only touches what changed.
        self._shown: list[Label | None] = []
        self._sizes: list[tuple[float, float, float, float]] = []  # text box w, h; anchor
        self._visible: list[bool] = []
        # QGraphicsTextItem pads its text by a document margin; let the padding overlap
        # (read from the first item made).
        self._margin = 0.0
        self._declutter = declutter
        if declutter:
            view_box.sigTransformChanged.connect(self._place)

    def show(self, labels: Sequence[Label]) -> None:
        """Show these labels, earlier ones first when decluttering; surplus items are hidden,
        not deleted, for the next update. Only what changed is passed to Qt: this runs for
        every batch of officers' fixes, and each call into Qt is a chance for the GUI thread
        to wait for the interpreter while the ingest writer is busy."""
        self._labels = list(labels)
        while len(self._items) < len(labels):
            self._items.append(self._new_item())
            self._shown.append(None)
            self._sizes.append((0.0, 0.0, 0.5, 0.5))
            self._visible.append(False)
        for i, label in enumerate(labels):
            before = self._shown[i]
            if before == label:
                continue
            item = self._items[i]
            if before is None or before.text != label.text:
                item.setText(label.text)
                item.setAnchor(self._anchor(item))
                box = item.textItem.boundingRect()
                self._sizes[i] = (box.width(), box.height(), item.anchor.x(), item.anchor.y())
            if before is None or before.colour != label.colour:
                item.setColor(label.colour)
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

    def _uncluttered(self) -> list[bool]:
        """Which labels fit, in order, each against those placed before it: boxes in scene
        pixels from one view transform, compared within a coarse grid (hundreds of labels)."""
        if not self._labels:
            return []
        t = self._view_box.childGroup.sceneTransform()
        m11, m12, m21, m22, dx, dy = t.m11(), t.m12(), t.m21(), t.m22(), t.dx(), t.dy()
        margin = self._margin
        grid: dict[tuple[int, int], list[tuple[float, float, float, float]]] = {}
        out = []
        for label, (width, height, ax, ay) in zip(self._labels, self._sizes, strict=False):
            px = m11 * label.x + m21 * label.y + dx
            py = m12 * label.x + m22 * label.y + dy
            left, top = px - width * ax + margin, py - height * ay + margin
            right, bottom = left + width - 2 * margin, top + height - 2 * margin
            cells = [(cx, cy) for cx in range(int(left // _CELL_PX), int(right // _CELL_PX) + 1)
                     for cy in range(int(top // _CELL_PX), int(bottom // _CELL_PX) + 1)]
            clash = any(left < r and x0 < right and top < b and y0 < bottom
                        for cell in cells for (x0, y0, r, b) in grid.get(cell, ()))
            out.append(not clash)
            if not clash:
                for cell in cells:
                    grid.setdefault(cell, []).append((left, top, right, bottom))
        return out

    def _new_item(self) -> pg.TextItem:
        item = pg.TextItem("", fill=self._fill, border=self._border, anchor=(0.5, 0.5))
        item.setFont(self._font)
        item.setZValue(self._z)
        self._margin = item.textItem.document().documentMargin() - 1.0
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
