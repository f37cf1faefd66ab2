"""Loudspeaker announcements in the store, and the rows-to-domain mapping for them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from commandcenter.domain.speaker import AckStatus, Announcement, Outcome
from commandcenter.store.schema import CaseRow
from commandcenter.store.speaker_schema import AnnouncementRow


def announcement_from_row(row: AnnouncementRow) -> Announcement:
    return Announcement(
        request_id=row.request_id, speaker_id=row.speaker_id, case_id=row.case_id,
        text=row.text, repeat=row.repeat, sent_at=row.sent_at, by=row.sent_by,
        acked_at=row.acked_at,
        ack_status=AckStatus(row.ack_status) if row.ack_status else None,
        outcome=Outcome(row.outcome) if row.outcome else None,
        outcome_at=row.outcome_at, outcome_by=row.outcome_by,
    )


def announcement_columns(a: Announcement) -> dict[str, Any]:
    return {
        "speaker_id": a.speaker_id, "case_id": a.case_id, "text": a.text, "repeat": a.repeat,
        "sent_at": a.sent_at, "sent_by": a.by, "acked_at": a.acked_at,
        "ack_status": a.ack_status.value if a.ack_status else None,
        "outcome": a.outcome.value if a.outcome else None,
        "outcome_at": a.outcome_at, "outcome_by": a.outcome_by,
    }


@dataclass(frozen=True, slots=True)
class PersuadedRow:
    """One persuaded announcement with what the counts group by."""

    case_id: int
    category: str
    case_street: str | None
    speaker_id: str


class AnnouncementRepo:
    def __init__(self, session: Session) -> None:
        self.s = session

    def add(self, a: Announcement) -> None:
        self.s.add(AnnouncementRow(request_id=a.request_id, **announcement_columns(a)))

    def get(self, request_id: str, *, for_update: bool = False) -> Announcement | None:
        query = select(AnnouncementRow).where(AnnouncementRow.request_id == request_id)
        if for_update:
            query = query.with_for_update()
        row = self.s.scalar(query)
        return announcement_from_row(row) if row else None

    def save(self, a: Announcement) -> None:
        self.s.execute(update(AnnouncementRow)
                       .where(AnnouncementRow.request_id == a.request_id)
                       .values(**announcement_columns(a)))

    def for_case(self, case_id: int) -> list[Announcement]:
        query = (select(AnnouncementRow).where(AnnouncementRow.case_id == case_id)
                 .order_by(AnnouncementRow.sent_at, AnnouncementRow.request_id))
        return [announcement_from_row(r) for r in self.s.scalars(query)]

    def case_exists(self, case_id: int) -> bool:
        return self.s.scalar(select(CaseRow.id).where(CaseRow.id == case_id)) is not None

    def persuaded(self, since: datetime | None = None,
                  until: datetime | None = None) -> Iterator[PersuadedRow]:
        """Persuaded announcements sent in [since, until), with their case's category/street."""
        query = (select(AnnouncementRow.case_id, CaseRow.category, CaseRow.street,
                        AnnouncementRow.speaker_id)
                 .join(CaseRow, CaseRow.id == AnnouncementRow.case_id)
                 .where(AnnouncementRow.outcome == Outcome.PERSUADED.value)
                 .order_by(AnnouncementRow.sent_at))
        if since is not None:
            query = query.where(AnnouncementRow.sent_at >= since)
        if until is not None:
            query = query.where(AnnouncementRow.sent_at < until)
        for case_id, category, street, speaker_id in self.s.execute(query):
            yield PersuadedRow(case_id, category, street, speaker_id)
