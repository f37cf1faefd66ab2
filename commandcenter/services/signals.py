"""A signal (report, camera hit, alarm) becomes a case: one rule for ingest and for splitting."""

from __future__ import annotations

from datetime import datetime

from commandcenter.domain.case import Case, CaseState
from commandcenter.domain.event import Event, Severity
from commandcenter.domain.sla import initial_deadlines
from commandcenter.services.context import HallContext

_SEVERITY_PRIORITY = {Severity.CRITICAL: 1, Severity.MAJOR: 2}


def case_from_signal(ctx: HallContext, event: Event, number: str, now: datetime) -> Case:
    category = event.category or "0000"
    priority = min(_SEVERITY_PRIORITY.get(event.severity, 3), ctx.catalog.priority(category))
    location = event.location
    street = ctx.district.street_at(location.lat, location.lon) if location else None
    return Case(
        id=None, number=number, category=category, priority=priority,
        title=event.title or ctx.catalog.name(category), description=event.description,
        state=CaseState.REPORTED, reported_at=event.occurred_at, location=location,
        street=street, event_count=1, updated_at=now,
        deadlines=initial_deadlines(ctx.policy, category, priority, now),
    )
