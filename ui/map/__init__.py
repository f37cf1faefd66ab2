"""The console's map widget: district basemap, cases coloured by timer state, unit positions."""

from __future__ import annotations

from ui.map.markers import MapMarker, TimerState, UnitMarker
from ui.map.view import MapView

__all__ = ["MapMarker", "MapView", "TimerState", "UnitMarker"]
