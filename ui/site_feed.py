"""Keep the map's oil-fume site squares current: every 30 s, and soon after readings arrive.

Loads run off the GUI thread (through the bridge), never overlap, and stop for good once the
console closes (the bridge is shutting down then).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from commandcenter.services.sites import SiteOverview, SiteService
from ui.map import MapView, site_marker
from ui.qt import QObject, QTimer, Signal

log = logging.getLogger(__name__)

REFRESH_MS = 30_000  # the site list's cadence
SOON_MS = 2_000  # readings arrived: one refresh after the burst, at most every 2 s


class SiteFeed(QObject):
    failed = Signal(str)  # a load failed: a status-bar line, not a dialog (every 30 s!)

    def __init__(self, service: SiteService, run: Callable[..., Any], view: MapView,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._service, self._run, self._map = service, run, view
        self._loading = self._again = self._closed = False
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(SOON_MS)
        self._soon.timeout.connect(self.refresh)

    def start(self) -> None:
        self.refresh()
        self._timer.start()

    def readings_arrived(self) -> None:
        """Readings may have moved a site's alarm: refresh once the burst is over."""
        if not self._closed and not self._soon.isActive():
            self._soon.start()

    def close(self) -> None:
        self._closed = True
        self._timer.stop()
        self._soon.stop()

    def refresh(self) -> None:
        """Reload the sites' states; asked for during a load, it runs once more afterwards."""
        if self._closed:
            return
        if self._loading:
            self._again = True
            return
        self._loading = True
        self._run(self._service.overview, self._on_sites, self._on_failed)

    def _on_sites(self, rows: list[SiteOverview]) -> None:
        self._map.set_sites([
            site_marker(r.site.mn, r.site.name, r.site.lat, r.site.lon, phase=r.exceed.phase,
                        offline=r.offline, value=r.exceed.last_value)
            for r in rows if r.site.lat is not None and r.site.lon is not None])
        self._loaded()

    def _on_failed(self, exc: BaseException) -> None:
        log.warning("loading the oil-fume sites failed", exc_info=exc)
        self.failed.emit(str(exc))  # the map keeps the last known states
        self._loaded()

    def _loaded(self) -> None:
        self._loading = False
        if self._again:
            self._again = False
            self.refresh()
