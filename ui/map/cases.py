"""Case markers coloured by timer state, the selection ring and the selected case's label.

`set_markers` runs up to ten times a second with hundreds of cases, so it only calls `setData` on
items made once; only the selected case gets a text label (all labels at once are unreadable
clutter), the others show theirs as a tooltip on hover.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pyqtgraph as pg
from pyqtgraph.GraphicsScene.mouseEvents import MouseClickEvent

from ui.map.fonts import map_font
from ui.map.labels import Label, LabelPool, Placement
from ui.map.markers import MapMarker, TimerState
from ui.map.projection import LocalProjection
from ui.qt import QColor, QObject, Qt, Signal

MARKER_SIZE = 12
MARKER_HOVER_SIZE = 15
RING_SIZE = 26
RING_COLOUR = "#0d2a4a"
LABEL_TEXT = "#1f2933"

Z_RING = 8.0
Z_CASES = 9.0
Z_SELECTED_LABEL = 10.0

_TOOLTIP_MAX = 3
# Case ids per scatter item. Each item costs ~0.6 ms of Python per repaint whatever it holds,
# and an update re-sets one item's points: with 20,000 markers, 2,048 a block painted a batch
# of 200 new cases in ~30 ms of CPU against ~37 ms with 512 (/tmp burst probe, median of 2).
_BLOCK = 2048

# Brushes indexed by TimerState.draw_rank, so a whole update picks its brushes with one take().
_RANKED_STATES = sorted(TimerState, key=lambda state: state.draw_rank)


class _Decoration(pg.ScatterPlotItem):
    """A scatter drawn for looks only: a click on it goes on to whatever lies below."""

    def mouseClickEvent(self, ev: MouseClickEvent) -> None:
        ev.ignore()


class CaseLayer(QObject):
    """Case markers by timer state; emits `caseClicked` only for a user's click on a marker."""

    caseClicked = Signal(int)

    def __init__(
        self, view_box: pg.ViewBox, projection: LocalProjection, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._projection = projection
        self._markers: dict[int, MapMarker] = {}
        self._selected: int | None = None
        self._brushes = np.empty(len(_RANKED_STATES), dtype=object)
        for state in _RANKED_STATES:
            self._brushes[state.draw_rank] = pg.mkBrush(state.colour)
        self._pen = pg.mkPen("#ffffff", width=1.5)

        self._view_box = view_box
        # Markers live in one scatter item per (timer state, block of case ids): an update
        # re-sends only the blocks it touches (new cases have new ids, so they fill the last
        # block), because pyqtgraph's setData costs Python work for every point it is given.
        self._blocks: dict[tuple[int, int], dict[int, MapMarker]] = {}
        self._items: dict[tuple[int, int], pg.ScatterPlotItem] = {}
        # A dark ring with a white halo reads on the fill and on any marker colour. It sits below
        # the markers and ignores clicks, so it never takes one meant for a neighbouring case or
        # an oil-fume site below it.
        self._ring = _Decoration(pxMode=True, useCache=True, antialias=True, hoverable=False)
        self._ring.setZValue(Z_RING)
        self._ring.setVisible(False)
        self._ring_pens = [pg.mkPen("#ffffff", width=5), pg.mkPen(RING_COLOUR, width=2.5)]
        view_box.addItem(self._ring, ignoreBounds=True)

        self._label = LabelPool(
            view_box,
            font=map_font(10.0, bold=True),
            z=Z_SELECTED_LABEL,
            placement=Placement.ABOVE,
            gap_px=RING_SIZE / 2 + 2,
            fill=QColor(255, 255, 255, 235),
            border=QColor("#9aa5b1"),
            keep_in_view=True,
        )

    @property
    def selected(self) -> int | None:
        return self._selected

    def marker(self, case_id: int) -> MapMarker | None:
        return self._markers.get(case_id)

    def set_markers(self, markers: Sequence[MapMarker]) -> None:
        """Replace all case markers; the most urgent are painted on top."""
        gone = self._markers.keys() - {marker.case_id for marker in markers}
        self.update_markers(markers, gone)

    def update_markers(self, markers: Iterable[MapMarker], removed: Iterable[int] = ()) -> None:
        """Add or replace `markers` and drop the `removed` case ids; the other markers stay
        as drawn and cost nothing."""
        dirty: set[tuple[int, int]] = set()
        for case_id in removed:
            old = self._markers.pop(case_id, None)
            if old is not None:
                block = _block_of(old)
                del self._blocks[block][case_id]
                dirty.add(block)
        for marker in markers:
            old = self._markers.get(marker.case_id)
            if old == marker:
                continue
            if old is not None:
                block = _block_of(old)
                del self._blocks[block][marker.case_id]
                dirty.add(block)
            self._markers[marker.case_id] = marker
            block = _block_of(marker)
            self._blocks.setdefault(block, {})[marker.case_id] = marker
            dirty.add(block)
        for block in dirty:
            self._draw_block(block)
        self._update_selection()

    def _draw_block(self, block: tuple[int, int]) -> None:
        markers = list(self._blocks.get(block, {}).values())
        item = self._items.get(block)
        if not markers:
            self._blocks.pop(block, None)
            if item is not None:
                del self._items[block]
                self._view_box.removeItem(item)
            return
        if item is None:
            item = self._items[block] = self._new_item(block[0])
        count = len(markers)
        lat = np.fromiter((m.lat for m in markers), dtype=np.float64, count=count)
        lon = np.fromiter((m.lon for m in markers), dtype=np.float64, count=count)
        ids = np.fromiter((m.case_id for m in markers), dtype=np.int64, count=count)
        x, y = self._projection.points(lat, lon)
        item.setData(x=x, y=y, data=ids)

    def _new_item(self, rank: int) -> pg.ScatterPlotItem:
        item = pg.ScatterPlotItem(
            pxMode=True,
            useCache=True,
            antialias=True,
            symbol="o",
            size=MARKER_SIZE,
            pen=self._pen,
            brush=self._brushes[rank],
            hoverable=True,
            hoverSize=MARKER_HOVER_SIZE,
            tip=None,  # tooltips are set in _on_hovered, translated and without coordinates
        )
        item.setZValue(Z_CASES + rank / 10)  # the most urgent state on top
        item.sigClicked.connect(self._on_clicked)
        item.sigHovered.connect(self._on_hovered)
        self._view_box.addItem(item, ignoreBounds=True)
        return item

    def select(self, case_id: int | None) -> None:
        """Highlight one case; never emits `caseClicked` (the caller drives the selection)."""
        self._selected = case_id
        self._update_selection()

    def _update_selection(self) -> None:
        marker = None if self._selected is None else self._markers.get(self._selected)
        if marker is None:
            self._ring.setVisible(False)
            self._label.clear()
            return
        x, y = self._projection.point(marker.lat, marker.lon)
        self._ring.setData(
            x=[x, x],
            y=[y, y],
            size=[RING_SIZE, RING_SIZE],
            symbol="o",
            brush=None,
            pen=self._ring_pens,
        )
        self._ring.setVisible(True)
        self._label.show([Label(x, y, marker.label, LABEL_TEXT)] if marker.label else [])

    def _on_clicked(
        self, _item: pg.ScatterPlotItem, points: Sequence[pg.SpotItem], _event: object
    ) -> None:
        # pointsAt() lists the topmost point first: the one the user sees under the cursor.
        if len(points) > 0:
            self.caseClicked.emit(int(points[0].data()))

    def _on_hovered(
        self, item: pg.ScatterPlotItem, points: Sequence[pg.SpotItem], event: object
    ) -> None:
        if len(points) == 0:
            item.setToolTip("")
            item.unsetCursor()
            return
        # Cases stacked at this spot may sit in other items too: list them all, most urgent
        # first, as they are drawn.
        spot = points[0].pos()
        ids: list[int] = []
        for other in sorted(self._items.values(), key=lambda i: -i.zValue()):
            ids += [int(p.data()) for p in (points if other is item else other.pointsAt(spot))]
        lines = []
        for case_id in ids[:_TOOLTIP_MAX]:
            marker = self._markers.get(case_id)
            if marker is not None:
                lines.append(marker.label)
        if len(ids) > _TOOLTIP_MAX:
            lines.append(self.tr("另有 %n 起案件", "", len(ids) - _TOOLTIP_MAX))
        item.setToolTip("\n".join(lines))
        item.setCursor(Qt.CursorShape.PointingHandCursor)


def _block_of(marker: MapMarker) -> tuple[int, int]:
    return marker.state.draw_rank, marker.case_id // _BLOCK
