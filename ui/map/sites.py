"""Oil-fume monitoring sites: squares coloured by alarm state, below the cases, clickable by MN.

A district has a few hundred monitored restaurants, refreshed every few seconds, so they live in
one scatter item updated with `setData`. They sit below the case markers (and the selection ring
lets clicks through), so a case reported at a restaurant is still the thing a click picks.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg

from ui.map.markers import SiteMarker, SiteState
from ui.map.projection import LocalProjection
from ui.qt import QCoreApplication, QObject, Qt, Signal

SITE_SYMBOL = "s"  # squares: a fixed place, unlike case dots and officer triangles
Z_SITES = 5.0  # below the units (6), the selection ring (8) and the cases (9)

_TOOLTIP_MAX = 3

# Styles indexed by SiteState.draw_rank, so an update picks them all with one take().
_RANKED_STATES = sorted(SiteState, key=lambda state: state.draw_rank)


class SiteLayer(QObject):
    """Site markers in one scatter item; emits `siteClicked(mn)` for a user's click on one."""

    siteClicked = Signal(str)

    def __init__(
        self, view_box: pg.ViewBox, projection: LocalProjection, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._projection = projection
        self._markers: list[SiteMarker] = []
        self._brushes = np.empty(len(_RANKED_STATES), dtype=object)
        self._pens = np.empty(len(_RANKED_STATES), dtype=object)
        self._sizes = np.empty(len(_RANKED_STATES), dtype=np.float64)
        for state in _RANKED_STATES:
            self._brushes[state.draw_rank] = pg.mkBrush(state.colour)
            self._pens[state.draw_rank] = pg.mkPen(state.outline, width=1.5)
            self._sizes[state.draw_rank] = state.size

        self._scatter = pg.ScatterPlotItem(
            pxMode=True,
            useCache=True,
            antialias=True,
            symbol=SITE_SYMBOL,
            hoverable=True,
            tip=None,  # tooltips are set in _on_hovered: the label, without coordinates
        )
        self._scatter.setZValue(Z_SITES)
        self._scatter.sigClicked.connect(self._on_clicked)
        self._scatter.sigHovered.connect(self._on_hovered)
        view_box.addItem(self._scatter, ignoreBounds=True)

    @property
    def count(self) -> int:
        return len(self._markers)

    def set_sites(self, markers: Sequence[SiteMarker]) -> None:
        """Replace all site markers in place; alarms are painted over their quieter neighbours."""
        count = len(markers)
        ranks = np.fromiter((m.state.draw_rank for m in markers), dtype=np.int64, count=count)
        order = np.argsort(ranks, kind="stable")
        self._markers = [markers[i] for i in order]
        lat = np.fromiter((m.lat for m in self._markers), dtype=np.float64, count=count)
        lon = np.fromiter((m.lon for m in self._markers), dtype=np.float64, count=count)
        x, y = self._projection.points(lat, lon)
        ranks = ranks[order]
        self._scatter.setData(
            x=x,
            y=y,
            data=np.arange(count),
            brush=self._brushes[ranks],
            pen=self._pens[ranks],
            size=self._sizes[ranks],
        )

    def _on_clicked(
        self, _item: pg.ScatterPlotItem, points: Sequence[pg.SpotItem], _event: object
    ) -> None:
        # pointsAt() lists the topmost point first: the one the user sees under the cursor.
        if len(points) > 0:
            self.siteClicked.emit(self._markers[int(points[0].data())].mn)

    def _on_hovered(
        self, _item: pg.ScatterPlotItem, points: Sequence[pg.SpotItem], _event: object
    ) -> None:
        if len(points) == 0:
            self._scatter.setToolTip("")
            self._scatter.unsetCursor()
            return
        lines = [
            self._markers[int(point.data())].label
            for point in points[:_TOOLTIP_MAX]
            if int(point.data()) < len(self._markers)
        ]
        if len(points) > _TOOLTIP_MAX:
            lines.append(self.tr("另有 %n 个站点", "", len(points) - _TOOLTIP_MAX))
        self._scatter.setToolTip("\n".join(lines))
        self._scatter.setCursor(Qt.CursorShape.PointingHandCursor)


def site_state(phase: str, offline: bool) -> SiteState:
    """The square for an alarm phase (normal/pending/active/clearing) and the offline flag.

    A monitor that falls silent during an alarm stays red: switching it off must not make the
    restaurant look calm. A clearing alarm is still raised until it clears.
    """
    if phase in ("active", "clearing"):
        return SiteState.ALARM
    if offline:
        return SiteState.OFFLINE
    if phase == "pending":
        return SiteState.PENDING
    if phase == "normal":
        return SiteState.OK
    raise ValueError(f"unknown alarm phase {phase!r}")


def site_marker(
    mn: str,
    name: str,
    lat: float,
    lon: float,
    *,
    phase: str,
    offline: bool,
    value: float | None,
) -> SiteMarker:
    """A site's marker with its hover text, worded as the site list words the status.

    Plain values in (the phase as its string), so the map still needs nothing from the core.
    """
    state = site_state(phase, offline)
    if value is None:
        if offline:
            text = QCoreApplication.translate("SiteLayer", "{name} 离线（无数据）")
        else:
            text = QCoreApplication.translate("SiteLayer", "{name} 油烟 暂无数据")
    elif offline:
        if state is SiteState.ALARM:
            text = QCoreApplication.translate(
                "SiteLayer", "{name} 离线·超标未恢复（最后 {value} mg/m³）"
            )
        else:
            text = QCoreApplication.translate("SiteLayer", "{name} 离线（最后 {value} mg/m³）")
    elif phase == "clearing":
        text = QCoreApplication.translate("SiteLayer", "{name} 油烟 {value} mg/m³ 超标恢复中")
    elif state is SiteState.ALARM:
        text = QCoreApplication.translate("SiteLayer", "{name} 油烟 {value} mg/m³ 超标")
    elif state is SiteState.PENDING:
        text = QCoreApplication.translate("SiteLayer", "{name} 油烟 {value} mg/m³ 超标待确认")
    else:
        text = QCoreApplication.translate("SiteLayer", "{name} 油烟 {value} mg/m³ 正常")
    shown = "" if value is None else f"{value:.2f}"
    return SiteMarker(mn, lat, lon, text.format(name=name, value=shown), state)
