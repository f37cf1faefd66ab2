"""Officer and squad positions: blue triangles with their short names, dimmed when busy.

Units are few (tens) but move often, so the scatter and the name labels are updated in place.
Their names are always shown: a dispatcher picks "who is free and near" by name at a glance.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg

from ui.map.fonts import map_font
from ui.map.labels import Label, LabelPool, Placement
from ui.map.markers import UNIT_AVAILABLE_COLOUR, UNIT_BUSY_COLOUR, UnitMarker
from ui.map.projection import LocalProjection
from ui.qt import QColor, QCoreApplication

UNIT_SYMBOL = "t1"  # triangle pointing up: reads as "a person/vehicle here", unlike case dots
UNIT_SIZE = 15
UNIT_LABEL_AVAILABLE = "#0d47a1"
UNIT_LABEL_BUSY = "#5c6bc0"

Z_UNITS = 6.0
Z_UNIT_LABELS = 7.0


class UnitLayer:
    """Unit markers in one scatter item plus a reusable pool of name labels."""

    def __init__(self, view_box: pg.ViewBox, projection: LocalProjection) -> None:
        self._projection = projection
        self._units: list[UnitMarker] = []
        self._brushes = np.array(
            [pg.mkBrush(UNIT_BUSY_COLOUR), pg.mkBrush(UNIT_AVAILABLE_COLOUR)], dtype=object
        )
        self._scatter = pg.ScatterPlotItem(
            pxMode=True,
            useCache=True,
            antialias=True,
            symbol=UNIT_SYMBOL,
            size=UNIT_SIZE,
            pen=pg.mkPen("#ffffff", width=1.5),
            hoverable=True,
            tip=None,
        )
        self._scatter.setZValue(Z_UNITS)
        self._scatter.sigHovered.connect(self._on_hovered)
        view_box.addItem(self._scatter, ignoreBounds=True)
        self._labels = LabelPool(
            view_box,
            font=map_font(9.0),
            z=Z_UNIT_LABELS,
            placement=Placement.BELOW,
            gap_px=UNIT_SIZE / 2,
            fill=QColor(255, 255, 255, 190),
            declutter=True,
        )

    def set_units(self, units: Sequence[UnitMarker]) -> None:
        self._units = list(units)
        count = len(self._units)
        lat = np.fromiter((u.lat for u in self._units), dtype=np.float64, count=count)
        lon = np.fromiter((u.lon for u in self._units), dtype=np.float64, count=count)
        available = np.fromiter((u.available for u in self._units), dtype=np.int64, count=count)
        x, y = self._projection.points(lat, lon)
        self._scatter.setData(x=x, y=y, data=np.arange(count), brush=self._brushes[available])
        labels = [
            Label(
                float(ux),
                float(uy),
                unit.label,
                UNIT_LABEL_AVAILABLE if unit.available else UNIT_LABEL_BUSY,
            )
            for unit, ux, uy in zip(self._units, x, y, strict=True)
        ]
        # When names collide, the dispatcher needs the available units' names most.
        order = sorted(range(count), key=lambda i: not self._units[i].available)
        self._labels.show([labels[i] for i in order])

    def _on_hovered(
        self, _item: pg.ScatterPlotItem, points: Sequence[pg.SpotItem], _event: object
    ) -> None:
        lines = []
        for point in points[:3]:
            index = int(point.data())
            if index >= len(self._units):
                continue
            unit = self._units[index]
            if unit.available:
                text = QCoreApplication.translate("MapView", "%1（可派）")
            else:
                text = QCoreApplication.translate("MapView", "%1（忙碌）")
            lines.append(text.replace("%1", unit.label))
        self._scatter.setToolTip("\n".join(lines))
