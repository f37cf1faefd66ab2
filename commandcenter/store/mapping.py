"""The one place where ORM rows and domain objects meet (Home Assistant recorder style)."""

from __future__ import annotations

from typing import Any

from commandcenter.domain.alarm import AlarmPhase, AlarmState
from commandcenter.domain.case import Case, CaseState, Deadline
from commandcenter.domain.event import Event, EventKind, Location, Severity
from commandcenter.domain.site import Cleaning, Site
from commandcenter.domain.unit import Unit, UnitStatus
from commandcenter.store.schema import (
    AlarmRow,
    CaseRow,
    CleaningRow,
    DeadlineRow,
    EventRow,
    SiteRow,
    UnitRow,
)


def case_from_row(row: CaseRow, deadlines: list[DeadlineRow]) -> Case:
    location = None
    if row.lat is not None and row.lon is not None:
        location = Location(row.lat, row.lon, row.address)
    return Case(
        id=row.id,
        number=row.number,
        category=row.category,
        priority=row.priority,
        title=row.title,
        description=row.description,
        state=CaseState(row.state),
        reported_at=row.reported_at,
        location=location,
        street=row.street,
        assignee=row.assignee,
        assignee_name=row.assignee_name,
        registered_at=row.registered_at,
        dispatched_at=row.dispatched_at,
        accepted_at=row.accepted_at,
        arrived_at=row.arrived_at,
        handled_at=row.handled_at,
        closed_at=row.closed_at,
        suspended_at=row.suspended_at,
        resumes_to=CaseState(row.resumes_to) if row.resumes_to else None,
        cancel_reason=row.cancel_reason,
        duplicate_of=row.duplicate_of,
        duplicate_note=row.duplicate_note,
        merged_into=row.merged_into,
        escalated_at=row.escalated_at,
        deadlines={d.kind: Deadline(d.kind, d.due, d.allowance_s, d.met_at) for d in deadlines},
        event_count=row.event_count,
        version=row.version,
        updated_at=row.updated_at,
    )


def case_columns(case: Case) -> dict[str, Any]:
    """Column values of a case row (without id and version, which the repository owns)."""
    loc = case.location
    nd = case.next_deadline()
    return {
        "number": case.number,
        "category": case.category,
        "priority": case.priority,
        "title": case.title,
        "description": case.description,
        "state": case.state.value,
        "lat": loc.lat if loc else None,
        "lon": loc.lon if loc else None,
        "address": loc.address if loc else None,
        "street": case.street,
        "assignee": case.assignee,
        "assignee_name": case.assignee_name,
        "reported_at": case.reported_at,
        "registered_at": case.registered_at,
        "dispatched_at": case.dispatched_at,
        "accepted_at": case.accepted_at,
        "arrived_at": case.arrived_at,
        "handled_at": case.handled_at,
        "closed_at": case.closed_at,
        "suspended_at": case.suspended_at,
        "resumes_to": case.resumes_to.value if case.resumes_to else None,
        "cancel_reason": case.cancel_reason,
        "duplicate_of": case.duplicate_of,
        "duplicate_note": case.duplicate_note,
        "merged_into": case.merged_into,
        "escalated_at": case.escalated_at,
        "next_due": nd.due if nd else None,
        "event_count": case.event_count,
        "updated_at": case.updated_at or case.reported_at,
    }


# The columns of `case_columns` that hold a time (or None).
_CASE_TIMES = ("reported_at", "registered_at", "dispatched_at", "accepted_at", "arrived_at",
               "handled_at", "closed_at", "suspended_at", "escalated_at", "next_due",
               "updated_at")


def case_snapshot(case: Case, columns: dict[str, Any] | None = None) -> dict[str, Any]:
    """A JSON-able view of a case for the audit log's before/after (from its `case_columns`
    when the caller has them already). Only the time columns are converted: the writer takes
    a snapshot of every case it opens, and testing each of the thirty values cost more than
    the rest of the snapshot."""
    out = dict(columns if columns is not None else case_columns(case))
    for key in _CASE_TIMES:
        value = out[key]
        if value is not None:
            out[key] = value.isoformat()
    out["version"] = case.version
    return out


def event_columns(event: Event) -> dict[str, Any]:
    loc = event.location
    return {
        "source": event.source,
        "source_id": event.source_id,
        "kind": event.kind.value,
        "category": event.category,
        "severity": event.severity.value,
        "occurred_at": event.occurred_at,
        "lat": loc.lat if loc else None,
        "lon": loc.lon if loc else None,
        "address": loc.address if loc else None,
        "title": event.title,
        "description": event.description,
        "device": event.device,
        "reporter": event.reporter,
        "body": {
            "media": list(event.media),
            "measurements": {k: dict(v) for k, v in event.measurements.items()},
            "raw": event.raw,
        },
    }


def event_from_row(row: EventRow) -> Event:
    location = None
    if row.lat is not None and row.lon is not None:
        location = Location(row.lat, row.lon, row.address)
    body = row.body or {}
    return Event(
        source=row.source,
        source_id=row.source_id,
        kind=EventKind(row.kind),
        occurred_at=row.occurred_at,
        category=row.category,
        severity=Severity(row.severity),
        location=location,
        title=row.title,
        description=row.description,
        media=tuple(body.get("media", ())),
        device=row.device,
        measurements=body.get("measurements", {}),
        reporter=row.reporter,
        raw=body.get("raw"),
    )


def unit_from_row(row: UnitRow) -> Unit:
    return Unit(
        id=row.id, name=row.name, kind=row.kind, squad=row.squad,
        status=UnitStatus(row.status), lat=row.lat, lon=row.lon,
        position_at=row.position_at, case_id=row.case_id, updated_at=row.updated_at,
    )


def unit_columns(unit: Unit) -> dict[str, Any]:
    return {
        "name": unit.name, "kind": unit.kind, "squad": unit.squad, "status": unit.status.value,
        "lat": unit.lat, "lon": unit.lon, "position_at": unit.position_at,
        "case_id": unit.case_id, "updated_at": unit.updated_at,
    }


def site_from_row(row: SiteRow) -> Site:
    return Site(mn=row.mn, name=row.name, lat=row.lat, lon=row.lon, address=row.address,
                street=row.street, contact=row.contact, phone=row.phone, limit=row.limit)


def site_columns(site: Site) -> dict[str, Any]:
    return {"name": site.name, "lat": site.lat, "lon": site.lon, "address": site.address,
            "street": site.street, "contact": site.contact, "phone": site.phone,
            "limit": site.limit}


def cleaning_from_row(row: CleaningRow) -> Cleaning:
    return Cleaning(row.site_mn, row.cleaned_on, row.by, row.next_due, row.note)


def alarm_from_row(row: AlarmRow) -> AlarmState:
    return AlarmState(device=row.device, alarm_type=row.alarm_type, phase=AlarmPhase(row.phase),
                      since=row.since, raised_at=row.raised_at, count=row.count, peak=row.peak,
                      last_value=row.last_value, last_seen=row.last_seen)


def alarm_columns(state: AlarmState) -> dict[str, Any]:
    return {"phase": state.phase.value, "since": state.since, "raised_at": state.raised_at,
            "count": state.count, "peak": state.peak, "last_value": state.last_value,
            "last_seen": state.last_seen}
