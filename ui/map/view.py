"""The console's map: district basemap, case markers by timer state, units and oil-fume sites.

A pyqtgraph ViewBox in a GraphicsView gives pan/zoom and fast point rendering; every layer owns
its items from construction on and updates them in place, because cases arrive up to ten times a
second. The queue and the map stay in step through the caller: it calls `select_case` when the
queue selection changes and listens to `caseClicked`; `select_case` never emits, so there is no
feedback loop. Oil-fume sites are squares below the cases; a click on one emits `siteClicked`.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyqtgraph as pg

from ui.map.cases import CaseLayer
from ui.map.markers import MapMarker, SiteMarker, UnitMarker
from ui.map.overlays import ApproximateCaption, MapLegend, ScaleBar
from ui.map.projection import CHONGCHUAN_CENTRE, LocalProjection
from ui.map.regions import Area, AreaLayer, OutlineLayer, Polygon
from ui.map.sites import SiteLayer
from ui.map.units import UnitLayer
from ui.qt import (
    QEvent,
    QPoint,
    QPointF,
    QRectF,
    QResizeEvent,
    QVBoxLayout,
    QWidget,
    Signal,
)

BACKGROUND = "#e4e8ec"  # outside the district: a cool grey that lets the light district stand out
OVERLAY_MARGIN = 8
FIT_PADDING = 0.03
INITIAL_SPAN_M = 30_000.0
# Pan/zoom limits keep the dispatcher from losing the district: 100 m to 200 km across.
MIN_SPAN_M = 100.0
MAX_SPAN_M = 200_000.0
REVEAL_INSET = 0.1  # a case closer than this fraction to the edge counts as out of view


class MapView(QWidget):
    """Map widget of the console; plain Python values in, `caseClicked(case_id)` and
    `siteClicked(mn)` out."""

    caseClicked = Signal(int)
    siteClicked = Signal(str)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        origin: tuple[float, float] = CHONGCHUAN_CENTRE,
    ) -> None:
        """`origin` (lat, lon) is the projection centre; any point in the district will do."""
        super().__init__(parent)
        self._projection = LocalProjection(*origin)

        self._view = pg.GraphicsView(parent=self, background=BACKGROUND)
        # Antialiasing on this view only, instead of pyqtgraph's global config option.
        self._view.setAntialiasing(True)
        self._view_box = pg.ViewBox(lockAspect=True, enableMenu=False)
        self._view.setCentralItem(self._view_box)
        self._view_box.disableAutoRange()
        self._view_box.setLimits(
            minXRange=MIN_SPAN_M,
            maxXRange=MAX_SPAN_M,
            minYRange=MIN_SPAN_M,
            maxYRange=MAX_SPAN_M,
        )
        half = INITIAL_SPAN_M / 2
        self._view_box.setRange(QRectF(-half, -half, 2 * half, 2 * half), padding=0)

        self._outline = OutlineLayer(self._view_box, self._projection)
        self._areas = AreaLayer(self._view_box, self._projection)
        self._sites = SiteLayer(self._view_box, self._projection, parent=self)
        self._sites.siteClicked.connect(self.siteClicked)
        self._units = UnitLayer(self._view_box, self._projection)
        self._cases = CaseLayer(self._view_box, self._projection, parent=self)
        self._cases.caseClicked.connect(self.caseClicked)
        self._fitted = False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._view)

        self._legend = MapLegend(self)
        self._scale_bar = ScaleBar(self)
        self._caption = ApproximateCaption(self)
        self._caption.setVisible(False)
        for overlay in (self._legend, self._scale_bar, self._caption):
            overlay.adjustSize()
            overlay.raise_()
        self._view_box.sigRangeChanged.connect(self._update_scale_bar)
        self._view_box.sigResized.connect(self._update_scale_bar)

    # -- data in --------------------------------------------------------------------------------

    def set_outline(self, polygons: Sequence[Polygon]) -> None:
        """The district outline (WGS-84, GeoJSON order); the first outline also fits the view."""
        self._outline.set_polygons(polygons)
        if not self._fitted and self._outline.bounds is not None:
            self.fit_to_district()

    def set_areas(self, areas: Sequence[Area]) -> None:
        """街道 areas: (name, polygons, (lon, lat) of the label); shown as approximate."""
        self._areas.set_areas(areas)
        self._caption.setVisible(self._areas.count > 0)

    def set_cases(self, markers: Sequence[MapMarker]) -> None:
        """All case markers (redraws only those that differ from what is drawn)."""
        self._cases.set_markers(markers)

    def update_cases(self, markers: Sequence[MapMarker], removed: Sequence[int] = ()) -> None:
        """Add or replace some case markers and drop others by id; the rest stay as drawn, so
        a batch of new cases among thousands costs what the batch holds."""
        self._cases.update_markers(markers, removed)

    def set_units(self, units: Sequence[UnitMarker]) -> None:
        self._units.set_units(units)

    def set_sites(self, sites: Sequence[SiteMarker]) -> None:
        """All oil-fume monitoring sites; the legend lists site states only while there are any."""
        self._sites.set_sites(sites)
        if self._legend.set_show_sites(self._sites.count > 0):
            self._legend.adjustSize()
            self._place_overlays()

    def select_case(self, case_id: int | None, *, reveal: bool = False) -> None:
        """Ring and label the case (None clears); `reveal` pans to it only if it is out of view.

        Never emits `caseClicked`: selection flows from the caller into the map, clicks flow out.
        """
        self._cases.select(case_id)
        marker = None if case_id is None else self._cases.marker(case_id)
        if reveal and marker is not None and not self._is_in_view(marker.lat, marker.lon):
            self.centre_on(marker.lat, marker.lon)

    @property
    def selected_case(self) -> int | None:
        return self._cases.selected

    # -- view -----------------------------------------------------------------------------------

    def centre_on(self, lat: float, lon: float) -> None:
        """Pan (keeping the zoom) so that this position is in the middle of the map."""
        x, y = self._projection.point(lat, lon)
        centre = self._view_box.viewRect().center()
        self._view_box.translateBy(x=x - centre.x(), y=y - centre.y())

    def fit_to_district(self) -> None:
        """Show the whole district outline; does nothing before an outline is set."""
        bounds = self._outline.bounds
        if bounds is None:
            return
        self._view_box.setRange(rect=bounds, padding=FIT_PADDING)
        self._fitted = True

    def case_marker(self, case_id: int) -> MapMarker | None:
        """The marker currently drawn for `case_id` (what the dispatcher sees), if any."""
        return self._cases.marker(case_id)

    def fit_to_points(self, points: Sequence[tuple[float, float]],
                      min_span_m: float = 3000.0) -> None:
        """Show all `(lat, lon)` points (where the work is), at least `min_span_m` across."""
        if not points:
            self.fit_to_district()
            return
        xs, ys = zip(*(self._projection.point(lat, lon) for lat, lon in points), strict=True)
        cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
        w = max(max(xs) - min(xs), min_span_m)
        h = max(max(ys) - min(ys), min_span_m)
        self._view_box.setRange(QRectF(cx - w / 2, cy - h / 2, w, h), padding=FIT_PADDING)
        self._fitted = True

    def map_to_viewport(self, lat: float, lon: float) -> QPoint:
        """Where a position is drawn, in viewport pixels (to place a popup next to a marker)."""
        x, y = self._projection.point(lat, lon)
        scene_pos = self._view_box.mapViewToScene(QPointF(x, y))
        point: QPoint = self._view.mapFromScene(scene_pos)
        return point

    def viewport(self) -> QWidget:
        """The widget that receives the map's mouse events."""
        viewport: QWidget = self._view.viewport()
        return viewport

    @property
    def graphics_view(self) -> pg.GraphicsView:
        """The underlying view, for embedding tools (and tests that count scene items)."""
        return self._view

    # -- Qt events ------------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_overlays()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            for overlay in (self._legend, self._scale_bar, self._caption):
                overlay.retranslate()
            self._place_overlays()
        super().changeEvent(event)

    # -- internals ------------------------------------------------------------------------------

    def _is_in_view(self, lat: float, lon: float) -> bool:
        x, y = self._projection.point(lat, lon)
        rect = self._view_box.viewRect()
        inset_x, inset_y = rect.width() * REVEAL_INSET, rect.height() * REVEAL_INSET
        inner: QRectF = rect.adjusted(inset_x, inset_y, -inset_x, -inset_y)
        return inner.contains(QPointF(x, y))

    def _update_scale_bar(self, *_args: object) -> None:
        width_px = self._view_box.width()
        if width_px > 0:
            self._scale_bar.set_metres_per_pixel(self._view_box.viewRect().width() / width_px)
            self._place_overlays()

    def _place_overlays(self) -> None:
        margin = OVERLAY_MARGIN
        self._legend.move(margin, margin)
        self._scale_bar.move(margin, self.height() - self._scale_bar.height() - margin)
        self._caption.move(
            self.width() - self._caption.width() - margin,
            self.height() - self._caption.height() - margin,
        )
