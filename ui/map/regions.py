"""The district outline and its 街道 areas: the vector basemap drawn when no tiles are configured.

Both are drawn as single path items (one per layer, however many polygons), because the basemap
changes rarely and a path repaints far faster than hundreds of separate polygon items.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg

from ui.map.fonts import map_font
from ui.map.labels import Label, LabelPool
from ui.map.projection import LocalProjection
from ui.qt import (
    QBrush,
    QColor,
    QGraphicsPathItem,
    QPainterPath,
    QPen,
    QPointF,
    QPolygonF,
    QRectF,
    Qt,
)

# GeoJSON order: a ring is (lon, lat) pairs, a polygon is rings (outer first, then holes).
Ring = Sequence[Sequence[float]]
Polygon = Sequence[Ring]
Area = tuple[str, Sequence[Polygon], tuple[float, float]]

OUTLINE_FILL = "#fbfaf6"
OUTLINE_BORDER = "#5b6b78"
AREA_BORDER = "#a9b5bf"
AREA_LABEL = "#6f7c87"

Z_OUTLINE = 0.0
Z_AREAS = 1.0
Z_AREA_LABELS = 2.0


def polygons_path(polygons: Sequence[Polygon], projection: LocalProjection) -> QPainterPath:
    """One path for all polygons; odd-even fill turns inner rings into holes."""
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.OddEvenFill)
    for polygon in polygons:
        for ring in polygon:
            if len(ring) < 3:
                continue
            coords = np.asarray(ring, dtype=np.float64)
            xs, ys = projection.points(coords[:, 1], coords[:, 0])
            path.addPolygon(QPolygonF([QPointF(x, y) for x, y in zip(xs, ys, strict=True)]))
            path.closeSubpath()
    return path


def _cosmetic_pen(colour: str, width: float) -> QPen:
    """A pen whose width is in screen pixels, so borders stay crisp at every zoom.

    Solid on purpose: neighbouring areas share borders, and two dashed strokes with different
    phases over one border read as a solid line next to dashed ones.
    """
    pen = QPen(QColor(colour))
    pen.setWidthF(width)
    pen.setCosmetic(True)
    return pen


class OutlineLayer:
    """The district as a light filled area with a darker border."""

    def __init__(self, view_box: pg.ViewBox, projection: LocalProjection) -> None:
        self._projection = projection
        self._item = QGraphicsPathItem()
        self._item.setPen(_cosmetic_pen(OUTLINE_BORDER, 1.6))
        self._item.setBrush(QBrush(QColor(OUTLINE_FILL)))
        self._item.setZValue(Z_OUTLINE)
        self._bounds: QRectF | None = None
        view_box.addItem(self._item, ignoreBounds=True)

    def set_polygons(self, polygons: Sequence[Polygon]) -> None:
        path = polygons_path(polygons, self._projection)
        self._item.setPath(path)
        self._bounds = None if path.isEmpty() else path.boundingRect()

    @property
    def bounds(self) -> QRectF | None:
        """The outline's extent in map metres, or None before an outline is set."""
        return self._bounds


class AreaLayer:
    """街道 areas: thin light borders and a small grey name at each area's centre."""

    def __init__(self, view_box: pg.ViewBox, projection: LocalProjection) -> None:
        self._projection = projection
        self._item = QGraphicsPathItem()
        self._item.setPen(_cosmetic_pen(AREA_BORDER, 1.0))
        self._item.setBrush(QBrush())
        self._item.setZValue(Z_AREAS)
        view_box.addItem(self._item, ignoreBounds=True)
        self._labels = LabelPool(view_box, font=map_font(9.0), z=Z_AREA_LABELS, declutter=True)
        self._count = 0

    def set_areas(self, areas: Sequence[Area]) -> None:
        polygons = [polygon for _name, area_polygons, _centre in areas for polygon in area_polygons]
        self._item.setPath(polygons_path(polygons, self._projection))
        labels = []
        for name, _polygons, (lon, lat) in areas:
            x, y = self._projection.point(lat, lon)
            labels.append(Label(x, y, name, AREA_LABEL))
        self._labels.show(labels)
        self._count = len(areas)

    @property
    def count(self) -> int:
        return self._count
