"""Keeps the map's case and officer markers in step with the cases and units the console holds.

Markers are kept per case and the map redraws only the ones passed to it, so a batch of a few
hundred changed cases among thousands of open ones costs what the batch holds. A marker's colour
also changes by itself when its timer crosses a threshold: the sync notes when the next such
moment is, so the 1 s tick redraws just the markers due then.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from commandcenter.domain.case import OPEN_STATES, Case
from commandcenter.domain.sla import next_level_change, timer_level
from commandcenter.domain.unit import Unit, UnitStatus
from ui.map import MapMarker, MapView, TimerState, UnitMarker


class MapSync:
    def __init__(self, map_view: MapView, case_of: Callable[[int], Case | None],
                 clock: Callable[[], datetime]) -> None:
        self._map = map_view
        self._case_of = case_of
        self._clock = clock
        self._markers: dict[int, MapMarker] = {}  # per open case, as drawn
        self._level_changes: dict[int, datetime] = {}  # when each will change colour by itself
        self._valid_until: datetime | None = None

    def cases(self, changed: Iterable[int]) -> None:
        """Redraw the markers of the `changed` case ids that look different now; drop those of
        cases that are closed, gone or have no location."""
        now = self._clock()
        drawn: list[MapMarker] = []
        removed: list[int] = []
        for cid in set(changed):
            case = self._case_of(cid)
            if case is None or case.location is None or case.state not in OPEN_STATES:
                if self._markers.pop(cid, None) is not None:
                    removed.append(cid)
                self._level_changes.pop(cid, None)
                continue
            marker = MapMarker(cid, case.location.lat, case.location.lon,
                               TimerState(timer_level(case, now).value),
                               f"{case.number} {case.title}")
            if self._markers.get(cid) != marker:
                self._markers[cid] = marker
                drawn.append(marker)
            at = next_level_change(case, now)
            if at is None:
                self._level_changes.pop(cid, None)
            else:
                self._level_changes[cid] = at
        self._valid_until = min(self._level_changes.values(), default=None)
        if drawn or removed:
            self._map.update_cases(drawn, removed)

    def drawn_case_ids(self) -> list[int]:
        return list(self._markers)

    def due_colour_changes(self) -> None:
        """On the tick: redraw the markers whose timer colour changes by now, and only them."""
        now = self._clock()
        if self._valid_until is not None and now >= self._valid_until:
            self.cases([cid for cid, at in self._level_changes.items() if at <= now])

    def units(self, units: Iterable[Unit]) -> None:
        """All officers' markers at their last known positions (off duty: not shown)."""
        now = self._clock()
        markers = []
        for unit in units:
            pos = unit.position(now)
            if pos is None or unit.status is UnitStatus.OFF_DUTY:
                continue
            markers.append(UnitMarker(unit.id, pos[0], pos[1], unit.name,
                                      unit.status is UnitStatus.AVAILABLE))
        self._map.set_units(markers)
