"""The console's map widget: district basemap, cases by timer state, units, oil-fume sites."""

from __future__ import annotations

from ui.map.markers import MapMarker, SiteMarker, SiteState, TimerState, UnitMarker
from ui.map.sites import site_marker, site_state
from ui.map.view import MapView

__all__ = [
    "MapMarker",
    "MapView",
    "SiteMarker",
    "SiteState",
    "TimerState",
    "UnitMarker",
    "site_marker",
    "site_state",
]
