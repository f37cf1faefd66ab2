"""Monitor readings stored as a set: a gateway catching up after an outage sends thousands.

One by one, a reading costs five statements (the reading kept, the site, two alarm states
read, one written). Here a batch costs four in all: the readings inserted (duplicates
absorbed), the sites and the alarm states of their devices loaded, the changed states written
back; the alarm rules step through the readings in order in memory. The alarms raised are
handed back with their place in the batch: the writer opens (or joins) their cases in message
order among the reports it gathered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from commandcenter.domain.alarm import AlarmState
from commandcenter.domain.event import Event
from commandcenter.ingest.new_events import store_new_events
from commandcenter.services.alarms import AlarmEngine, CachedStates
from commandcenter.services.changes import Changes


@dataclass(frozen=True, slots=True)
class _Reading:
    event: Event
    received_at: datetime
    seq: int  # its place in the batch of messages


@dataclass(frozen=True, slots=True)
class Raised:
    """An alarm the rules raised on a reading: its case is to be opened (or joined)."""

    seq: int
    alarm: Event
    state: AlarmState
    received_at: datetime


class ReadingBatch:
    """Collects readings (`add`), then stores them together (`flush`)."""

    def __init__(self, alarms: AlarmEngine) -> None:
        self.alarms = alarms
        self._pending: list[_Reading] = []

    def add(self, event: Event, received_at: datetime, seq: int = 0) -> None:
        self._pending.append(_Reading(event, received_at, seq))

    def flush(self, session: Session, changes: Changes) -> list[Raised]:
        """Store the readings and step the alarm rules: the alarms raised, in order."""
        pending, self._pending = self._pending, []
        if not pending:
            return []
        fresh = [r for r, _ in store_new_events(
            session, [(r, r.event, r.received_at) for r in pending], changes)]
        states = CachedStates(session, (r.event.device for r in fresh if r.event.device))
        raised = [Raised(r.seq, alarm, state, r.received_at) for r in fresh
                  for alarm, state in self.alarms.on_reading(states, r.event)]
        states.write()
        return raised
