"""Monitored sites (restaurants with oil-fume monitors) and their purifier cleaning records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from commandcenter.domain.alarm import GB_18483_LIMIT, AlarmRule

DUE_SOON = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class Site:
    mn: str  # the monitor's HJ 212 MN: how readings find their site
    name: str
    lat: float | None = None
    lon: float | None = None
    address: str | None = None
    street: str | None = None
    contact: str | None = None
    phone: str | None = None
    limit: float = GB_18483_LIMIT

    def rule(self, base: AlarmRule | None = None) -> AlarmRule:
        base = base or AlarmRule()
        return AlarmRule(limit=self.limit, hold=base.hold, clear_ratio=base.clear_ratio,
                         clear_hold=base.clear_hold, offline_after=base.offline_after)


@dataclass(frozen=True, slots=True)
class Cleaning:
    site_mn: str
    cleaned_on: date
    by: str
    next_due: date
    note: str | None = None


class CleaningStatus(StrEnum):
    OK = "ok"
    DUE_SOON = "due_soon"  # next cleaning within a week
    OVERDUE = "overdue"  # the next cleaning date has passed
    UNKNOWN = "unknown"  # no record at all: as bad as overdue for an inspector


def cleaning_status(cleanings: list[Cleaning], today: date) -> CleaningStatus:
    if not cleanings:
        return CleaningStatus.UNKNOWN
    latest = max(cleanings, key=lambda c: c.cleaned_on)
    if latest.next_due < today:
        return CleaningStatus.OVERDUE
    if latest.next_due - today <= DUE_SOON:
        return CleaningStatus.DUE_SOON
    return CleaningStatus.OK
