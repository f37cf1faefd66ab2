"""A simulated officer with the officer app: patrols, answers dispatches, rides out, reports back.

Replies follow what the field does: accept within a minute or so (sometimes refuse), ride an
e-bike straight to the case, report on scene within 30 m, handle it in a few minutes with a note
and a photo, then become available again. An officer given a case while busy accepts it and goes
after finishing the current one, so a dispatcher who double-books sees a realistic delay.
"""

from __future__ import annotations

import json
import math
import random
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from commandcenter.domain.errors import KnownError
from commandcenter.domain.geo import haversine_m, to_wgs84
from commandcenter.domain.unit import Unit, UnitStatus
from commandcenter.sim.agenda import Agenda, Message
from commandcenter.sim.places import Officer, Place, Squad, in_district
from commandcenter.sim.texts import DEFAULT_HANDLED, HANDLED_NOTES, QUEUED_NOTE, REJECT_NOTES
from commandcenter.sim.wire import DEMO_MEDIA, Wire

ACCEPT_DELAY_S = (15, 90)
REJECT_SHARE = 0.05
DEPART_DELAY_S = (5, 30)  # from "accepted" to "en_route": getting on the bike
NEXT_CASE_DELAY_S = (20, 60)  # from "handled" to "en_route" for a queued case
AVAILABLE_DELAY_S = (10, 60)  # from "handled" to "available"
ON_SCENE_S = (120, 360)
EBIKE_KMH = (12.0, 20.0)
ARRIVED_M = 30.0
TRAVEL_FIX_S = 10  # location cadence while riding to a case
PATROL_FIX_S = (27, 33)  # location cadence otherwise (~30 s)
PATROL_RADIUS_M = 600.0
PATROL_SPEED_MS = (0.9, 1.5)  # on foot
RETURN_SPEED_MS = 3.5  # riding back towards the base after a case far away
M_PER_DEG_LAT = 111_320.0


class InvalidDispatch(KnownError, ValueError):
    """A dispatch payload the simulated officer app cannot read (says which field)."""


@dataclass(frozen=True, slots=True)
class Assignment:
    case_id: str
    lat: float
    lon: float
    category: str | None
    title: str


def parse_dispatch(payload: bytes) -> Assignment:
    """Read `{case_id, title, category, location: {lat, lon, crs}, ...}` (DESIGN.md §4)."""
    try:
        data: Any = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidDispatch(f"dispatch payload is not UTF-8 JSON: {exc}") from None
    if not isinstance(data, dict):
        raise InvalidDispatch("dispatch payload is not a JSON object")
    case_id = data.get("case_id")
    if not isinstance(case_id, str) or not case_id:
        raise InvalidDispatch("case_id: missing or not text")
    location = data.get("location")
    if not isinstance(location, dict):
        raise InvalidDispatch("location: missing or not an object {lat, lon, crs}")
    lat, lon = location.get("lat"), location.get("lon")
    if any(isinstance(v, bool) or not isinstance(v, int | float) for v in (lat, lon)):
        raise InvalidDispatch("location: lat and lon must be numbers")
    assert isinstance(lat, int | float) and isinstance(lon, int | float)  # for mypy
    try:
        wlat, wlon = to_wgs84(str(location.get("crs", "wgs84")).lower(), float(lat), float(lon))
    except ValueError as exc:
        raise InvalidDispatch(f"location.crs: {exc}") from None
    category = data.get("category")
    title = data.get("title")
    return Assignment(case_id, wlat, wlon, category if isinstance(category, str) else None,
                      title if isinstance(title, str) else "")


def _step(lat: float, lon: float, tlat: float, tlon: float, metres: float
          ) -> tuple[float, float, float]:
    """Move up to `metres` straight towards the target; return the new point and what is left.

    A straight line, not a road route: at district scale the difference does not show on the
    map, and the demo needs no road network.
    """
    total = haversine_m(lat, lon, tlat, tlon)
    if total <= metres or total == 0.0:
        return tlat, tlon, metres - total
    f = metres / total
    return lat + (tlat - lat) * f, lon + (tlon - lon) * f, 0.0


class OfficerAgent:
    def __init__(
        self, officer: Officer, squad: Squad, rng: random.Random, agenda: Agenda, wire: Wire
    ) -> None:
        self.officer = officer
        self.squad = squad
        self._rng = rng
        self._agenda = agenda
        self._wire = wire
        base: Place = squad.base
        self.lat, self.lon = base.lat, base.lon
        self._moved_at = 0
        self._mode = "patrol"  # patrol | travel | scene
        self._status = UnitStatus.AVAILABLE
        self._speed = 0.0  # m/s, current
        self._ride_speed = 0.0
        self._waypoint = self._patrol_point()
        self._current: Assignment | None = None
        self._queue: list[Assignment] = []
        # Case ids being worked on: a redelivered dispatch is ignored, but once the officer has
        # handled or refused a case, the same id again is new work (返工, re-dispatch).
        self._known: set[str] = set()
        self._tick_gen = 0

    # -- public -----------------------------------------------------------------------------

    def start(self) -> None:
        self._schedule_tick(self._rng.randint(1, PATROL_FIX_S[1]))

    def unit(self, at: datetime) -> Unit:
        return Unit(id=self.officer.id, name=self.officer.name, kind="officer",
                    squad=self.squad.name, status=self._status, lat=self.lat, lon=self.lon,
                    position_at=at, updated_at=at)

    def dispatch(self, assignment: Assignment, t: int) -> None:
        if assignment.case_id in self._known:
            return
        self._known.add(assignment.case_id)
        delay = self._rng.randint(*ACCEPT_DELAY_S)
        self._agenda.schedule(t + delay, lambda due: self._reply(assignment, due))

    # -- actions on the agenda --------------------------------------------------------------

    def _reply(self, case: Assignment, t: int) -> list[Message]:
        at = self._agenda.at(t)
        if self._rng.random() < REJECT_SHARE:
            note = self._rng.choice(REJECT_NOTES)
            self._known.discard(case.case_id)
            return [self._wire.status(self.officer.id, "rejected", at, case_id=case.case_id,
                                      note=note)]
        busy = self._current is not None or bool(self._queue)
        if busy:
            self._queue.append(case)
        else:
            self._current = case
            self._status = UnitStatus.DISPATCHED
            self._agenda.schedule(t + self._rng.randint(*DEPART_DELAY_S), self._depart)
        return [self._wire.status(self.officer.id, "accepted", at, case_id=case.case_id,
                                  note=QUEUED_NOTE if busy else None)]

    def _depart(self, t: int) -> list[Message]:
        case = self._current
        assert case is not None
        self._move(t)
        self._mode = "travel"
        self._status = UnitStatus.EN_ROUTE
        self._ride_speed = self._rng.uniform(*EBIKE_KMH) / 3.6
        self._speed = self._ride_speed
        self._schedule_tick(t + TRAVEL_FIX_S)
        return [self._wire.status(self.officer.id, "en_route", self._agenda.at(t),
                                  case_id=case.case_id)]

    def _tick(self, gen: int, t: int) -> list[Message]:
        if gen != self._tick_gen:  # superseded by a change of cadence
            return []
        self._move(t)
        at = self._agenda.at(t)
        out = [self._wire.location(self.officer.id, self.lat, self.lon, at, speed=self._speed)]
        case = self._current
        if self._mode == "travel" and case is not None:
            if haversine_m(self.lat, self.lon, case.lat, case.lon) <= ARRIVED_M:
                self._mode = "scene"
                self._status = UnitStatus.ON_SCENE
                self._speed = 0.0
                out.append(self._wire.status(self.officer.id, "on_scene", at,
                                             case_id=case.case_id))
                self._agenda.schedule(t + self._rng.randint(*ON_SCENE_S), self._handled)
            else:
                self._schedule_tick(t + TRAVEL_FIX_S)
                return out
        self._schedule_tick(t + self._rng.randint(*PATROL_FIX_S))
        return out

    def _handled(self, t: int) -> list[Message]:
        case = self._current
        assert case is not None
        self._move(t)
        at = self._agenda.at(t)
        note = self._rng.choice(HANDLED_NOTES.get(case.category or "", DEFAULT_HANDLED))
        photo = f"{DEMO_MEDIA}/officer/{self.officer.id}/{case.case_id}-after.jpg"
        out = [self._wire.status(self.officer.id, "handled", at, case_id=case.case_id,
                                 note=note, media=[photo])]
        self._known.discard(case.case_id)
        self._current = None
        if self._queue:
            self._current = self._queue.pop(0)
            self._status = UnitStatus.DISPATCHED
            self._agenda.schedule(t + self._rng.randint(*NEXT_CASE_DELAY_S), self._depart)
        else:
            self._agenda.schedule(t + self._rng.randint(*AVAILABLE_DELAY_S), self._available)
        return out

    def _available(self, t: int) -> list[Message]:
        if self._current is not None:  # a new case came in meanwhile: it goes straight there
            return []
        self._move(t)
        self._mode = "patrol"
        self._status = UnitStatus.AVAILABLE
        self._waypoint = self._patrol_point()
        return [self._wire.status(self.officer.id, "available", self._agenda.at(t))]

    # -- movement ---------------------------------------------------------------------------

    def _schedule_tick(self, due: int) -> None:
        self._tick_gen += 1
        gen = self._tick_gen
        self._agenda.schedule(due, lambda t: self._tick(gen, t))

    def _move(self, t: int) -> None:
        """Bring the position up to time `t` under the current mode."""
        dt = float(t - self._moved_at)
        self._moved_at = t
        if dt <= 0:
            return
        if self._mode == "travel" and self._current is not None:
            self.lat, self.lon, _ = _step(self.lat, self.lon, self._current.lat,
                                          self._current.lon, self._ride_speed * dt)
        elif self._mode == "patrol":
            self._patrol(dt)

    def _patrol(self, dt: float) -> None:
        base = self.squad.base
        far = haversine_m(self.lat, self.lon, base.lat, base.lon) > 2 * PATROL_RADIUS_M
        speed = RETURN_SPEED_MS if far else self._rng.uniform(*PATROL_SPEED_MS)
        self._speed = speed
        budget = speed * dt
        for _ in range(8):  # a few waypoints at most per fix
            self.lat, self.lon, budget = _step(self.lat, self.lon, *self._waypoint, budget)
            if budget <= 0:
                return
            self._waypoint = self._patrol_point()

    def _patrol_point(self) -> tuple[float, float]:
        """A random point within the patrol radius of the base (uniform over the disc)."""
        base = self.squad.base
        r = PATROL_RADIUS_M * math.sqrt(self._rng.random())
        bearing = self._rng.uniform(0.0, 2.0 * math.pi)
        lat = base.lat + r * math.cos(bearing) / M_PER_DEG_LAT
        lon = base.lon + r * math.sin(bearing) / (M_PER_DEG_LAT * math.cos(math.radians(lat)))
        return (lat, lon) if in_district(lat, lon) else (base.lat, base.lon)
