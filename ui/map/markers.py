"""What the map draws: plain, immutable marker values the caller builds from its own domain.

The map knows nothing about cases or officers beyond these values, so the queue, the replay and
the tests can all feed it without importing the core.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class TimerState(enum.Enum):
    """How a case stands against its running timer; decides the marker colour."""

    OK = "ok"
    WARN = "warn"
    OVERDUE = "overdue"
    IDLE = "idle"  # no running timer: suspended, closed, not yet registered

    @property
    def colour(self) -> str:
        """Colours chosen to read at a glance on a light basemap (Material 800-ish shades)."""
        return _STATE_COLOURS[self]

    @property
    def draw_rank(self) -> int:
        """Paint order: the most urgent state is drawn last, so an overdue case is never hidden."""
        return _DRAW_RANK[self]


_STATE_COLOURS = {
    TimerState.OK: "#2e7d32",
    TimerState.WARN: "#f9a825",
    TimerState.OVERDUE: "#c62828",
    TimerState.IDLE: "#9e9e9e",
}

_DRAW_RANK = {TimerState.IDLE: 0, TimerState.OK: 1, TimerState.WARN: 2, TimerState.OVERDUE: 3}

UNIT_AVAILABLE_COLOUR = "#1565c0"
UNIT_BUSY_COLOUR = "#5c6bc0"


@dataclass(frozen=True, slots=True)
class MapMarker:
    """One case on the map, in WGS-84; `label` is shown for the selected case and on hover."""

    case_id: int
    lat: float
    lon: float
    state: TimerState
    label: str


@dataclass(frozen=True, slots=True)
class UnitMarker:
    """One officer or squad at its last known WGS-84 position, labelled with its short name."""

    unit_id: str
    lat: float
    lon: float
    label: str
    available: bool
