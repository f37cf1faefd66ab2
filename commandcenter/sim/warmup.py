"""Play the last minutes of a shift into an empty demo database, at full speed.

The scenario, the ingest writer and the simulated dispatcher all run on a stepping clock, so the
console opens on cases that were reported, dispatched and handled minutes ago, with timers that
are green, amber and red for real reasons.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from commandcenter.hall import Hall
from commandcenter.ingest.message import InboundMessage
from commandcenter.services.changes import Changes
from commandcenter.services.context import utc_now
from commandcenter.sim.autodispatch import AutoDispatcher
from commandcenter.sim.scenario import Scenario

log = logging.getLogger(__name__)


class SteppingClock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def warm_up(hall: Hall, scenario: Scenario, dispatcher: AutoDispatcher, end: datetime, *,
            step: timedelta = timedelta(seconds=10), hands_off: timedelta = timedelta(minutes=6),
            progress: Callable[[float], None] | None = None) -> Changes:
    """Run from `scenario.start` to `end`; the dispatcher stops acting `hands_off` before `end`
    so the newest signals are still waiting for the person who takes over the shift."""
    clock = SteppingClock(scenario.start)
    real_clock = hall.ctx.clock
    hall.ctx.clock = clock
    hall.outbox.set_publisher(lambda topic, payload: scenario.on_dispatch(
        topic.rsplit("/", 1)[-1], payload, clock.now))
    total = Changes()
    try:
        dispatcher.observe(hall.cases.register_units(scenario.roster()))
        span = (end - scenario.start).total_seconds()
        while clock.now < end:
            clock.now = min(clock.now + step, end)
            batch = [InboundMessage(topic, payload, clock.now)
                     for topic, payload in scenario.advance(clock.now)]
            if batch:
                changes = hall.ingest.writer.process(batch)  # not counted as live ingest
                dispatcher.observe(changes)
                total.merge(changes)
            if clock.now < end - hands_off:
                total.merge(dispatcher.step(clock.now))
            if int((clock.now - scenario.start).total_seconds()) % 30 < step.total_seconds():
                total.merge(hall.ingest.writer.housekeeping())  # 督办, monitors gone silent
            if progress is not None and span > 0:
                progress((clock.now - scenario.start).total_seconds() / span)
    finally:
        hall.ctx.clock = real_clock if real_clock is not clock else utc_now
        hall.outbox.set_publisher(None)
    log.info("demo warm-up: %d cases, %d events", len(total.cases), total.events_stored)
    return total
