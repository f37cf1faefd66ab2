"""Which open case a new signal is probably about: same or related category, close by, recent.

The rule is configuration (resources/correlation.toml) and every proposal carries the reason in
words, so the dispatcher sees why: "同类（占道经营），相距 35 米，间隔 6 分钟".
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from commandcenter.domain.case import OPEN_STATES, Case, CaseState
from commandcenter.domain.geo import haversine_m


@dataclass(frozen=True, slots=True)
class Proximity:
    distance_m: float
    window: timedelta


@dataclass(frozen=True, slots=True)
class DuplicateMatch:
    case: Case
    distance_m: float
    minutes_apart: float
    same_category: bool

    def reason(self, category_name: str) -> str:
        kind = "同类" if self.same_category else "相关类别"
        return (f"{kind}（{category_name}），相距 {self.distance_m:.0f} 米，"
                f"间隔 {self.minutes_apart:.0f} 分钟")


class CorrelationRule:
    def __init__(self, config: Mapping[str, Any]) -> None:
        default = config.get("default", {})
        self._default = Proximity(float(default.get("distance_m", 150)),
                                  timedelta(minutes=float(default.get("window_min", 30))))
        self._by_category = {
            code: Proximity(float(v.get("distance_m", self._default.distance_m)),
                            timedelta(minutes=float(v.get("window_min",
                                                          self._default.window.seconds / 60))))
            for code, v in config.get("category", {}).items()
        }
        self._related: dict[str, set[str]] = {}
        for group in config.get("related", {}).get("groups", []):
            for code in group:
                self._related.setdefault(code, set()).update(group)

    @classmethod
    def load(cls, path: Path | None = None) -> CorrelationRule:
        if path is None:
            from commandcenter.resources import resource_path

            path = resource_path("correlation.toml")
        with open(path, "rb") as fh:
            return cls(tomllib.load(fh))

    def proximity(self, category: str) -> Proximity:
        return self._by_category.get(category, self._default)

    def related_to(self, category: str) -> set[str]:
        return {category} | self._related.get(category, set())

    def related(self, a: str, b: str) -> bool:
        return a == b or b in self._related.get(a, ())

    def matches(self, signal: Case, candidates: Iterable[Case]) -> list[DuplicateMatch]:
        """Open cases `signal` probably duplicates, best (nearest) first."""
        if signal.location is None:
            return []
        reach = self.proximity(signal.category)
        out = []
        for case in candidates:
            if (case is signal or (case.id is not None and case.id == signal.id)
                    or case.location is None or case.state not in OPEN_STATES
                    or (case.state is CaseState.REPORTED and case.duplicate_of is not None)
                    or not self.related(signal.category, case.category)):
                continue
            distance = haversine_m(signal.location.lat, signal.location.lon,
                                   case.location.lat, case.location.lon)
            latest = _latest_activity(case)
            apart = abs((signal.reported_at - latest).total_seconds())
            if distance <= reach.distance_m and apart <= reach.window.total_seconds():
                out.append(DuplicateMatch(case, distance, apart / 60,
                                          case.category == signal.category))
        out.sort(key=lambda m: (not m.same_category, m.distance_m))
        return out


def _latest_activity(case: Case) -> datetime:
    return max(filter(None, (case.reported_at, case.updated_at)))
