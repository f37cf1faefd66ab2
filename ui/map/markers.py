"""What the map draws: plain, immutable marker values the caller builds from its own domain.

The map knows nothing about cases, officers or monitoring sites beyond these values, so the
queue, the replay and the tests can all feed it without importing the core.
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


class SiteState(enum.Enum):
    """How an oil-fume monitoring site stands; decides its square's colour, size and outline."""

    OK = "ok"
    ALARM = "alarm"  # a raised exceedance alarm (active or clearing)
    PENDING = "pending"  # above the limit, not yet for the hold time
    OFFLINE = "offline"  # no data for the offline time

    @property
    def colour(self) -> str:
        return _SITE_COLOURS[self]

    @property
    def size(self) -> float:
        """Square side in pixels: an alarm stands out; a normal site stays in the background."""
        return _SITE_SIZES[self]

    @property
    def outline(self) -> str:
        """A white halo like the other markers; a dark rim on the grey of a silent monitor."""
        return SITE_OFFLINE_OUTLINE if self is SiteState.OFFLINE else "#ffffff"

    @property
    def draw_rank(self) -> int:
        """Paint order among sites: an alarm is drawn over a quiet neighbour, never under it."""
        return _SITE_DRAW_RANK[self]


SITE_OFFLINE_OUTLINE = "#37474f"

_SITE_COLOURS = {
    SiteState.OK: "#7d9a86",  # grey-green: present but calm, quieter than a case's green
    SiteState.PENDING: "#ff8f00",
    SiteState.ALARM: "#d32f2f",
    SiteState.OFFLINE: "#b0b6ba",
}

_SITE_SIZES = {
    SiteState.OK: 9.0,
    SiteState.PENDING: 11.0,
    SiteState.ALARM: 16.0,
    SiteState.OFFLINE: 10.0,
}

_SITE_DRAW_RANK = {SiteState.OFFLINE: 0, SiteState.OK: 1, SiteState.PENDING: 2, SiteState.ALARM: 3}


@dataclass(frozen=True, slots=True)
class SiteMarker:
    """One monitored restaurant (by its monitor's MN) in WGS-84; `label` is its hover text."""

    mn: str
    lat: float
    lon: float
    label: str
    state: SiteState
