"""The demo scenario: a whole district's inbound traffic, as the MQTT messages devices send.

`Scenario` is a pure function of (seed, rate, start, the dispatches it is told about): no wall
clock, no global random state. The caller owns time — the desktop demo advances it with the wall
clock, the load generator as fast as it likes, a test by jumping — and gets `(topic, payload)`
pairs to put on the same ingest path as a broker's messages (DESIGN.md §2, §4).
"""

from __future__ import annotations

import math
import random
from datetime import datetime

from commandcenter.domain.unit import Unit
from commandcenter.sim.agenda import Agenda, Message
from commandcenter.sim.officers import OfficerAgent, parse_dispatch
from commandcenter.sim.oilfume import OilFumeMonitor
from commandcenter.sim.places import Places, load_places
from commandcenter.sim.signals import SignalStream
from commandcenter.sim.wire import DEFAULT_PREFIX, Wire


class Scenario:
    """A seeded, replayable scenario for the district in `places` (the shipped one by default).

    `rate` multiplies the case-worthy signals (about 1.5 a minute at 1.0); telemetry — oil-fume
    readings, officers' positions — keeps its real cadence whatever the rate.
    """

    def __init__(
        self,
        seed: int = 1,
        rate: float = 1.0,
        *,
        start: datetime,
        prefix: str = DEFAULT_PREFIX,
        places: Places | None = None,
    ) -> None:
        if not math.isfinite(rate) or rate < 0:
            raise ValueError(f"rate must be a finite number >= 0, not {rate!r}")
        self.seed = seed
        self.rate = rate
        self.places = places if places is not None else load_places()
        self._agenda = Agenda(start)
        self._wire = Wire(prefix)

        # One random stream per actor, derived from the seed by name: what one actor does (an
        # officer answering a dispatch) never shifts what another does (a citizen's next report).
        def stream(name: str) -> random.Random:
            return random.Random(f"cc.sim/{seed}/{name}")

        self._signals = SignalStream(self.places, stream("signals"), rate, self._agenda,
                                     self._wire)
        self._monitors = [
            OilFumeMonitor(r, stream(f"oilfume/{r.mn}"), rate, self._agenda, self._wire)
            for r in self.places.restaurants
        ]
        self._officers = {
            officer.id: OfficerAgent(officer, squad, stream(f"officer/{officer.id}"),
                                     self._agenda, self._wire)
            for squad in self.places.squads
            for officer in squad.officers
        }
        self._signals.start()
        for monitor in self._monitors:
            monitor.start()
        for agent in self._officers.values():
            agent.start()

    @property
    def start(self) -> datetime:
        return self._agenda.start

    @property
    def prefix(self) -> str:
        return self._wire.prefix

    @property
    def now(self) -> datetime:
        """How far the scenario has been simulated."""
        return self._agenda.at(self._agenda.now)

    def roster(self) -> list[Unit]:
        """The simulated officers as units; before any `advance`, all available at their base."""
        return [agent.unit(self.now) for agent in self._officers.values()]

    def handles(self, unit_id: str) -> bool:
        """Whether `unit_id` is a simulated officer (dispatches to others are not ours)."""
        return unit_id in self._officers

    def advance(self, now: datetime) -> list[Message]:
        """Every message due after the previous call and up to `now`, in time order.

        Each message carries its own due time, not `now`. How the caller slices time does not
        change the output; a `now` earlier than one already simulated returns nothing.
        """
        return self._agenda.run_until(self._agenda.seconds(now))

    def on_dispatch(self, unit_id: str, payload: bytes, now: datetime) -> None:
        """The hall sent `payload` on `<prefix>/dispatch/<unit_id>`; the officer answers later.

        A unit that is not simulated is ignored (the hall also dispatches to real units and
        departments); a redelivered dispatch of the same case is ignored; a payload that cannot
        be read raises `InvalidDispatch`.
        """
        agent = self._officers.get(unit_id)
        if agent is None:
            return
        assignment = parse_dispatch(payload)
        agent.dispatch(assignment, max(self._agenda.seconds(now), self._agenda.now))
