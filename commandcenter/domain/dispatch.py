"""Who should go: available units first, nearest first (straight line), stale positions last.

Positions older than 30 minutes are not trusted (DESIGN.md §3 Units); departments (联动) have no
position and are listed after field units.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from commandcenter.domain.case import Case
from commandcenter.domain.geo import haversine_m
from commandcenter.domain.unit import Unit, UnitStatus

DEPARTMENT = "department"
DUTY = "duty"


@dataclass(frozen=True, slots=True)
class Recommendation:
    unit: Unit
    distance_m: float | None  # None: position unknown or too old

    @property
    def available(self) -> bool:
        return self.unit.status is UnitStatus.AVAILABLE


def rank_units(case: Case, units: list[Unit], now: datetime) -> list[Recommendation]:
    """Every unit that can take the case, in the order a dispatcher would pick them."""
    ranked = []
    for unit in units:
        if unit.status is UnitStatus.OFF_DUTY:
            continue
        pos = unit.position(now)
        distance = (haversine_m(case.location.lat, case.location.lon, *pos)
                    if pos is not None and case.location is not None else None)
        ranked.append(Recommendation(unit, distance))
    ranked.sort(key=lambda r: (r.unit.kind in (DEPARTMENT, DUTY), not r.available,
                               r.distance_m is None, r.distance_m or 0.0, r.unit.name))
    return ranked


def recommend(case: Case, units: list[Unit], now: datetime, n: int = 5) -> list[Recommendation]:
    """The `n` best field units for the case panel (departments are chosen deliberately)."""
    return [r for r in rank_units(case, units, now)
            if r.unit.kind not in (DEPARTMENT, DUTY)][:n]
