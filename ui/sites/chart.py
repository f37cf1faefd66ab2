"""`ReadingsChart`: one site's last hours of oil fume, particulates and NMHC against its limit.

All plot items are made once and fed with `setData` on every refresh (30 s while the dialog is
open), so nothing is re-created and the view never flickers. Times are epoch seconds (UTC) on
the x axis; the axis prints them in the hall's time zone, never the machine's.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

import numpy as np
import pyqtgraph as pg

from commandcenter.domain.alarm import NMHC, OIL_FUME, PARTICULATES
from ui.qt import QColor, QFont, Qt, QWidget

Reading = tuple[datetime, dict[str, float]]

FUME_COLOUR = "#1565c0"
PARTICULATES_COLOUR = "#8d6e63"
NMHC_COLOUR = "#8e24aa"
LIMIT_COLOUR = "#c62828"
AXIS_COLOUR = "#424242"
GREY_TEXT = QColor("#757575")
GAP = timedelta(minutes=5)  # readings come once a minute: a longer silence is a gap, not a line

# Tick spacings a reader can count in (seconds), smallest first.
_SPACINGS = (60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400)


def epoch(at: datetime) -> float:
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).timestamp()


class ZonedTimeAxis(pg.AxisItem):
    """A time axis in a given time zone: ticks on whole local minutes/hours, labelled HH:MM
    (MM-DD at local midnight). pyqtgraph's DateAxisItem would use the machine's zone."""

    def __init__(self, tz: tzinfo, orientation: str = "bottom", **kwargs: Any) -> None:
        super().__init__(orientation, **kwargs)
        self._tz = tz
        self.enableAutoSIPrefix(False)

    def tickValues(self, minVal: float, maxVal: float,
                   size: float) -> list[tuple[float, list[float]]]:
        if not (math.isfinite(minVal) and math.isfinite(maxVal)) or maxVal <= minVal:
            return []
        span = maxVal - minVal
        most = max(2.0, size / 70.0)  # a label needs ~70 px
        spacing = next((s for s in _SPACINGS if span / s <= most), _SPACINGS[-1])
        offset = datetime.fromtimestamp(minVal, self._tz).utcoffset() or timedelta(0)
        shift = offset.total_seconds()
        first = math.ceil((minVal + shift) / spacing) * spacing - shift
        majors = list(np.arange(first, maxVal + 1e-6, spacing))
        minor = next((s for s in reversed(_SPACINGS) if s < spacing and spacing % s == 0
                      and span / s <= most * 4), None)
        if minor is None:
            return [(spacing, majors)]
        start = math.ceil((minVal + shift) / minor) * minor - shift
        minors = [v for v in np.arange(start, maxVal + 1e-6, minor)
                  if (v + shift) % spacing]
        return [(spacing, majors), (minor, minors)]

    def tickStrings(self, values: Sequence[float], scale: float, spacing: float) -> list[str]:
        out = []
        for value in values:
            local = datetime.fromtimestamp(value, self._tz)
            midnight = local.hour == 0 and local.minute == 0 and spacing >= 3600
            out.append(local.strftime("%m-%d" if midnight else "%H:%M"))
        return out


def exceedance_outline(x: np.ndarray, y: np.ndarray, limit: float,
                       gap: float) -> tuple[np.ndarray, np.ndarray]:
    """The curve max(y, limit) with the exact crossing points added and gaps dropped to the
    limit, so filling it down to the limit shades exactly the time spent above it."""
    xs: list[float] = []
    ys: list[float] = []
    for i in range(len(x)):
        xs.append(float(x[i]))
        ys.append(max(float(y[i]), limit))
        if i + 1 == len(x):
            break
        if x[i + 1] - x[i] > gap:
            xs += [float(x[i]), float(x[i + 1])]
            ys += [limit, limit]
        elif (y[i] - limit) * (y[i + 1] - limit) < 0:
            t = (limit - y[i]) / (y[i + 1] - y[i])
            xs.append(float(x[i] + t * (x[i + 1] - x[i])))
            ys.append(limit)
    return np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)


class ReadingsChart(pg.PlotWidget):
    """Three series, a dashed limit line and the shaded time above it; ranges are explicit."""

    def __init__(self, tz: tzinfo, parent: QWidget | None = None, *, hours: float = 6.0) -> None:
        self._tz = tz
        self.hours = hours
        super().__init__(parent, background="w",
                         axisItems={"bottom": ZonedTimeAxis(tz, "bottom")})
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAntialiasing(True)
        plot = self.getPlotItem()
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.setMouseEnabled(x=False, y=False)
        plot.showGrid(x=True, y=True, alpha=0.15)
        for name in ("left", "bottom"):
            axis = plot.getAxis(name)
            axis.setPen(pg.mkPen(AXIS_COLOUR))
            axis.setTextPen(pg.mkPen(AXIS_COLOUR))
        left = plot.getAxis("left")
        left.enableAutoSIPrefix(False)
        left.setWidth(52)
        plot.setLabel("left", self.tr("浓度（mg/m³）"), color=AXIS_COLOUR)

        # The shade first, so the lines draw over it.
        self.exceed_fill = pg.PlotDataItem(pen=None, fillLevel=0.0,
                                           brush=pg.mkBrush(198, 40, 40, 55))
        self.fume_curve = pg.PlotDataItem(pen=pg.mkPen(FUME_COLOUR, width=2.6),
                                          name=self.tr("油烟"))
        self.particulates_curve = pg.PlotDataItem(pen=pg.mkPen(PARTICULATES_COLOUR, width=1.4),
                                                  name=self.tr("颗粒物"))
        self.nmhc_curve = pg.PlotDataItem(pen=pg.mkPen(NMHC_COLOUR, width=1.4),
                                          name=self.tr("非甲烷总烃"))
        self.latest_point = pg.ScatterPlotItem(size=8, pen=pg.mkPen("w", width=1.5),
                                               brush=pg.mkBrush(FUME_COLOUR), pxMode=True)
        for item in (self.exceed_fill, self.nmhc_curve, self.particulates_curve,
                     self.fume_curve, self.latest_point):
            plot.addItem(item)
        dashed = pg.mkPen(LIMIT_COLOUR, width=1.6, style=Qt.PenStyle.DashLine)
        self.limit_line = pg.InfiniteLine(
            angle=0, movable=False, pen=dashed,
            label="", labelOpts={"position": 0.02, "anchors": [(0, 1), (0, 1)],
                                 "color": LIMIT_COLOUR, "fill": None})
        plot.addItem(self.limit_line, ignoreBounds=True)
        self.limit_line.hide()
        self.empty_text = pg.TextItem("", color=GREY_TEXT, anchor=(0.5, 0.5))
        font = QFont()
        font.setPointSize(11)
        self.empty_text.setFont(font)
        plot.addItem(self.empty_text, ignoreBounds=True)

        # The legend sits in the title row, right of the title: never over the curves or the
        # limit's label, whatever the data.
        legend = pg.LegendItem(colCount=3, labelTextColor=AXIS_COLOUR, labelTextSize="9pt",
                               horSpacing=14)
        legend.setParentItem(plot)
        legend.anchor(itemPos=(1, 0), parentPos=(1, 0), offset=(-12, 0))
        for curve in (self.fume_curve, self.particulates_curve, self.nmhc_curve):
            legend.addItem(curve, curve.name())
        self.legend = legend
        self.set_title("")
        self.clear_readings(self.tr("选择站点查看近 {hours:g} 小时监测曲线").format(hours=hours))

    # --- feeding ---------------------------------------------------------------------------
    def set_title(self, text: str) -> None:
        # Never None: the title row also holds the legend.
        self.getPlotItem().setTitle(text or " ", color=AXIS_COLOUR, size="10pt", justify="left")

    def clear_readings(self, message: str = "") -> None:
        for item in (self.fume_curve, self.particulates_curve, self.nmhc_curve,
                     self.exceed_fill):
            item.setData([], [])
        self.latest_point.setData([], [])
        self.limit_line.hide()
        now = datetime.now(UTC).timestamp()
        self._set_ranges(now, 2.0)
        self._show_message(message, now)

    def set_readings(self, readings: Sequence[Reading], limit: float, now: datetime) -> None:
        """Show `readings` (oldest first) over the `hours` before `now` against `limit`."""
        end = epoch(now)
        x_all = np.fromiter((epoch(at) for at, _ in readings), dtype=float, count=len(readings))
        top = limit
        gap = GAP.total_seconds()
        for code, curve in ((OIL_FUME, self.fume_curve), (PARTICULATES, self.particulates_curve),
                            (NMHC, self.nmhc_curve)):
            y = np.fromiter((values.get(code, np.nan) for _, values in readings), dtype=float,
                            count=len(readings))
            keep = np.isfinite(y)
            x, y = x_all[keep], y[keep]
            connect = np.ones(len(x), dtype=bool)
            if len(x):
                connect[:-1] = np.diff(x) <= gap
            curve.setData(x, y, connect=connect)
            if len(y):
                top = max(top, float(y.max()))
            if code == OIL_FUME:
                fx, fy = exceedance_outline(x, y, limit, gap)
                self.exceed_fill.setFillLevel(limit)
                self.exceed_fill.setData(fx, fy)
                last = y[-1:] if len(y) else y
                self.latest_point.setData(x[-1:] if len(x) else x, last)
                self.latest_point.setBrush(pg.mkBrush(
                    LIMIT_COLOUR if len(last) and last[0] > limit else FUME_COLOUR))
        self.limit_line.show()  # first: a hidden line's label ignores its new text
        self.limit_line.setValue(limit)
        self.limit_line.label.setFormat(self.tr("限值 {limit:.1f} mg/m³").format(limit=limit))
        self._set_ranges(end, top)
        self._show_message("" if len(readings) else
                           self.tr("近 {hours:g} 小时没有监测数据").format(hours=self.hours), end)

    def _set_ranges(self, end: float, top: float) -> None:
        plot = self.getPlotItem()
        span = self.hours * 3600.0
        plot.setXRange(end - span, end + span * 0.01, padding=0)
        plot.setYRange(0.0, _nice_top(top * 1.15), padding=0)

    def _show_message(self, message: str, end: float) -> None:
        self.empty_text.setText(message)
        self.empty_text.setVisible(bool(message))
        y_top = self.getPlotItem().getViewBox().viewRange()[1][1]
        self.empty_text.setPos(end - self.hours * 1800.0, y_top / 2)



def _nice_top(value: float) -> float:
    """Round the y range up to a number the axis labels nicely (0.5 steps, then whole)."""
    if value <= 5:
        return math.ceil(value * 2) / 2
    return float(math.ceil(value))
