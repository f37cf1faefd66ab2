"""What a service or an ingest batch changed, so each view repaints only that (Anki's OpChanges)."""

from __future__ import annotations

from dataclasses import dataclass, field

from commandcenter.domain.case import Case
from commandcenter.domain.speaker import Announcement
from commandcenter.domain.unit import Unit


@dataclass(slots=True)
class Changes:
    cases: dict[int, Case] = field(default_factory=dict)  # upserted snapshots, by case id
    units: dict[str, Unit] = field(default_factory=dict)
    new_case_ids: list[int] = field(default_factory=list)  # signals that just arrived
    escalated_ids: list[int] = field(default_factory=list)  # 督办: deadlines that just passed
    events_stored: int = 0
    duplicates: int = 0
    quarantined: int = 0
    requests_changed: bool = False  # a supervised request was made or decided
    announcements: dict[str, Announcement] = field(default_factory=dict)  # loudspeaker acks

    def merge(self, other: Changes) -> Changes:
        """Fold a later `other` into self; later snapshots win."""
        self.cases.update(other.cases)
        self.units.update(other.units)
        self.new_case_ids.extend(other.new_case_ids)
        self.escalated_ids.extend(other.escalated_ids)
        self.events_stored += other.events_stored
        self.duplicates += other.duplicates
        self.quarantined += other.quarantined
        self.requests_changed = self.requests_changed or other.requests_changed
        self.announcements.update(other.announcements)
        return self

    def __bool__(self) -> bool:
        return bool(self.cases or self.units or self.events_stored or self.duplicates
                    or self.quarantined or self.requests_changed or self.announcements)
