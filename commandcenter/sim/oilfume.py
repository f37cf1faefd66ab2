"""A restaurant's oil-fume monitor: a reading a minute, and now and then an exceedance episode.

Like a real monitoring platform, the monitor raises ONE alarm per episode, once the exceedance
has held for three minutes — not one per reading — so the hall's alarm logic (DESIGN.md §3) sees
the same pattern in the demo as in production.
"""

from __future__ import annotations

import random

from commandcenter.sim.agenda import Agenda, Message
from commandcenter.sim.places import Restaurant
from commandcenter.sim.wire import Wire, stamp

READING_INTERVAL_S = 60
NORMAL_RANGE = (0.3, 1.5)  # mg/m³, a working purifier
EPISODE_RANGE = (2.2, 4.5)  # mg/m³, a clogged or switched-off purifier
EPISODE_MINUTES = (5, 20)
ALARM_AFTER_S = 180  # the exceedance must hold this long before the alarm
MEAN_GAP_MIN = 180.0  # mean quiet time between episodes per restaurant at rate 1
MIN_GAP_S = 10 * 60  # after an episode the owner cleans up: no new one right away

OIL_FUME = "a34041"  # 油烟 by industry convention (DESIGN.md §3)
PARTICULATES = "a34000"
NMHC = "a24088"  # non-methane hydrocarbons


class OilFumeMonitor:
    def __init__(
        self, restaurant: Restaurant, rng: random.Random, rate: float, agenda: Agenda, wire: Wire
    ) -> None:
        self._restaurant = restaurant
        self._rng = rng
        self._rate = rate
        self._agenda = agenda
        self._wire = wire
        self._level = rng.uniform(*NORMAL_RANGE)
        self._episode: tuple[int, int] | None = None  # [start, end) in simulated seconds
        self._first_over: int | None = None
        self._alarmed = False

    def start(self) -> None:
        # Stagger the monitors across the minute, as real ones report on their own clocks.
        first = self._rng.randint(1, READING_INTERVAL_S)
        self._plan_episode(first)
        self._agenda.schedule(first, self._reading)

    def _plan_episode(self, after: int) -> None:
        if self._rate <= 0:
            self._episode = None
            return
        gap = self._rng.expovariate(self._rate / (MEAN_GAP_MIN * 60.0))
        begin = after + int(gap)
        self._episode = (begin, begin + 60 * self._rng.randint(*EPISODE_MINUTES))

    def _reading(self, t: int) -> list[Message]:
        self._agenda.schedule(t + READING_INTERVAL_S, self._reading)
        rng = self._rng
        episode = self._episode
        exceeding = episode is not None and episode[0] <= t < episode[1]
        if exceeding:
            low, high = EPISODE_RANGE
            if self._first_over is None:
                self._level = rng.uniform(low, high)
            self._level = min(high, max(low, self._level + rng.uniform(-0.4, 0.4)))
        else:
            low, high = NORMAL_RANGE
            if self._first_over is not None:  # the episode just ended
                self._level = rng.uniform(low, high)
            self._level = min(high, max(low, self._level + rng.uniform(-0.15, 0.15)))
        value = round(self._level, 2)
        measurements = self._measurements(value, exceeding)
        out = [self._event("reading", t, value, measurements)]
        if exceeding:
            if self._first_over is None:
                self._first_over = t
            if not self._alarmed and t - self._first_over >= ALARM_AFTER_S:
                self._alarmed = True
                out.append(self._event("alarm", t, value, measurements))
        elif self._first_over is not None or (episode is not None and t >= episode[1]):
            self._first_over = None
            self._alarmed = False
            self._plan_episode(t + MIN_GAP_S)
        return out

    def _measurements(self, value: float, exceeding: bool) -> dict[str, dict[str, object]]:
        rng = self._rng
        particulates = value * rng.uniform(0.7, 1.1) + rng.uniform(0.1, 0.4)
        nmhc = rng.uniform(4.0, 9.0) if exceeding else rng.uniform(1.5, 4.5)
        return {
            OIL_FUME: {"value": value, "unit": "mg/m3", "flag": "N"},
            PARTICULATES: {"value": round(particulates, 2), "unit": "mg/m3", "flag": "N"},
            NMHC: {"value": round(nmhc, 2), "unit": "mg/m3", "flag": "N"},
        }

    def _event(
        self, kind: str, t: int, value: float, measurements: dict[str, dict[str, object]]
    ) -> Message:
        r = self._restaurant
        at = self._agenda.at(t)
        if kind == "alarm":
            held = (t - (self._first_over or t)) // 60
            return self._wire.event(
                source="oilfume", source_id=f"{r.mn}-ALARM-{stamp(at)}", kind="alarm", at=at,
                lat=r.place.lat, lon=r.place.lon, address=r.name, category="0601",
                severity="major", title=f"{r.name}油烟浓度超标 {value:.1f} mg/m³",
                description=(f"油烟浓度 {value:.2f} mg/m³，超过排放限值 {r.limit:.1f} mg/m³"
                             f"（GB 18483-2001），已持续 {held} 分钟。"),
                device=r.mn, measurements=measurements,
            )
        return self._wire.event(
            source="oilfume", source_id=f"{r.mn}-{stamp(at)}", kind="reading", at=at,
            lat=r.place.lat, lon=r.place.lon, address=r.name, severity="info",
            title=f"{r.name}油烟在线监测", description=f"油烟浓度 {value:.2f} mg/m³",
            device=r.mn, measurements=measurements,
        )
