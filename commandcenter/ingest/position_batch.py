"""Officers' position fixes stored as a set: the most frequent message a hall receives.

Two hundred officers reporting every few seconds, each fix one by one, cost three statements
(look up the unit, keep the fix as an event for the shift replay, move the unit). Here a batch
of fixes costs three in all, with the outcome of one by one: every new fix is kept, a repeated
one is a duplicate, a fix older than the unit's last never moves it back, and a fix from an
unregistered unit is refused with its reason.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from commandcenter.domain.event import Event, EventKind
from commandcenter.domain.unit import Unit
from commandcenter.ingest.decode import RejectedMessage, UnitPosition
from commandcenter.ingest.message import InboundMessage
from commandcenter.ingest.new_events import store_new_events
from commandcenter.services.changes import Changes
from commandcenter.store.repositories import UnitRepo


def position_event(pos: UnitPosition) -> Event:
    """A fix as the event kept for the shift replay; its id makes a re-sent fix a duplicate."""
    return Event(source="unit", source_id=f"{pos.unit_id}/{pos.at.isoformat()}",
                 kind=EventKind.UNIT_LOCATION, occurred_at=pos.at, location=pos.location,
                 device=pos.unit_id)


def unknown_unit(unit_id: str) -> RejectedMessage:
    return RejectedMessage("unknown_unit", f"unit {unit_id!r} is not registered")


@dataclass(frozen=True, slots=True)
class _Fix:
    msg: InboundMessage
    pos: UnitPosition


class PositionBatch:
    """Collects fixes (`add`), then stores them together (`flush`)."""

    def __init__(self) -> None:
        self._fixes: list[_Fix] = []

    def add(self, msg: InboundMessage, pos: UnitPosition) -> None:
        self._fixes.append(_Fix(msg, pos))

    def flush(self, session: Session,
              changes: Changes) -> list[tuple[InboundMessage, RejectedMessage]]:
        """Store what was added; the messages refused (an unregistered unit), for quarantine."""
        fixes, self._fixes = self._fixes, []
        if not fixes:
            return []
        units = UnitRepo(session).get_many(f.pos.unit_id for f in fixes)
        refused = [(f.msg, unknown_unit(f.pos.unit_id)) for f in fixes
                   if f.pos.unit_id not in units]
        known = [f for f in fixes if f.pos.unit_id in units]
        stored = store_new_events(
            session, [(f, position_event(f.pos), f.msg.received_at) for f in known], changes)
        moved: dict[str, Unit] = {}
        for f, _ in stored:
            unit = moved.get(f.pos.unit_id) or units[f.pos.unit_id]
            if unit.position_at is not None and f.pos.at <= unit.position_at:
                continue  # an older fix arriving late must not move the unit backwards
            moved[unit.id] = replace(unit, lat=f.pos.location.lat, lon=f.pos.location.lon,
                                     position_at=f.pos.at)
        UnitRepo(session).move_many(list(moved.values()))
        # Loaded after anything earlier in the batch was stored: status changes included.
        changes.units.update(moved)
        return refused
