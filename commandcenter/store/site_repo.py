"""Sites, their cleaning records, and the live alarm states of their devices."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from commandcenter.domain.alarm import AlarmPhase, AlarmState
from commandcenter.domain.site import Cleaning, Site
from commandcenter.store.mapping import (
    alarm_columns,
    alarm_from_row,
    cleaning_from_row,
    site_columns,
    site_from_row,
)
from commandcenter.store.repositories import dialect_insert, in_chunks
from commandcenter.store.schema import AlarmRow, CleaningRow, SiteRow

_UPSERTS: dict[str, Any] = {}


def _alarm_upsert(session: Session) -> Any:
    """The alarm-state upsert, built once per dialect: every oil-fume reading runs it, and a
    statement built with literal values is compiled anew each time (~0.5 ms). The case an
    alarm raised is not among its columns: `set_case` notes it apart, and it stays."""
    key = session.get_bind().dialect.name
    if key not in _UPSERTS:
        stmt = dialect_insert(session, AlarmRow)
        _UPSERTS[key] = stmt.on_conflict_do_update(
            index_elements=["device", "alarm_type"],
            set_={c: getattr(stmt.excluded, c) for c in alarm_columns(AlarmState("", ""))})
    return _UPSERTS[key]


class SiteRepo:
    def __init__(self, session: Session) -> None:
        self.s = session

    def get(self, mn: str) -> Site | None:
        row = self.s.get(SiteRow, mn)
        return site_from_row(row) if row else None

    def get_many(self, mns: list[str]) -> dict[str, Site]:
        out: dict[str, Site] = {}
        for chunk in in_chunks(mns):
            rows = self.s.scalars(select(SiteRow).where(SiteRow.mn.in_(chunk))
                                  .execution_options(populate_existing=True))
            out.update((r.mn, site_from_row(r)) for r in rows)
        return out

    def all(self) -> list[Site]:
        return [site_from_row(r) for r in self.s.scalars(select(SiteRow).order_by(SiteRow.name))]

    def save(self, site: Site) -> None:
        stmt = dialect_insert(self.s, SiteRow).values(mn=site.mn, **site_columns(site))
        self.s.execute(stmt.on_conflict_do_update(index_elements=["mn"],
                                                  set_=site_columns(site)))

    def add_cleaning(self, cleaning: Cleaning) -> None:
        self.s.add(CleaningRow(site_mn=cleaning.site_mn, cleaned_on=cleaning.cleaned_on,
                               by=cleaning.by, next_due=cleaning.next_due, note=cleaning.note))

    def cleanings(self, mn: str | None = None) -> list[Cleaning]:
        query = select(CleaningRow).order_by(CleaningRow.cleaned_on.desc())
        if mn is not None:
            query = query.where(CleaningRow.site_mn == mn)
        return [cleaning_from_row(r) for r in self.s.scalars(query)]


class AlarmRepo:
    def __init__(self, session: Session) -> None:
        self.s = session

    def get(self, device: str, alarm_type: str) -> AlarmState:
        row = self.s.get(AlarmRow, (device, alarm_type), populate_existing=True)
        return alarm_from_row(row) if row else AlarmState(device, alarm_type)

    def get_many(self, devices: list[str]) -> dict[tuple[str, str], AlarmState]:
        """Every alarm state of these devices, by (device, alarm type)."""
        out: dict[tuple[str, str], AlarmState] = {}
        for chunk in in_chunks(devices):
            # populate_existing: the upserts below are plain statements, which never refresh
            # a row object the session may still hold.
            rows = self.s.scalars(select(AlarmRow)
                                  .where(AlarmRow.device.in_(chunk))
                                  .execution_options(populate_existing=True))
            out.update(((r.device, r.alarm_type), alarm_from_row(r)) for r in rows)
        return out

    def save_many(self, states: list[AlarmState]) -> None:
        """Upsert these states in one statement (their cases stay)."""
        if states:
            self.s.connection().execute(
                _alarm_upsert(self.s),
                [{"device": s.device, "alarm_type": s.alarm_type, **alarm_columns(s)}
                 for s in states])

    def case_of(self, device: str, alarm_type: str) -> int | None:
        row = self.s.get(AlarmRow, (device, alarm_type), populate_existing=True)
        return row.case_id if row else None

    def save(self, state: AlarmState) -> None:
        """Upsert one state (its case stays)."""
        self.save_many([state])

    def all(self) -> list[AlarmState]:
        return [alarm_from_row(r) for r in self.s.scalars(select(AlarmRow))]

    def silent_since(self, alarm_type: str) -> list[AlarmState]:
        """States of that type ordered by last reading: the offline check walks these."""
        query = select(AlarmRow).where(AlarmRow.alarm_type == alarm_type) \
            .order_by(AlarmRow.last_seen)
        return [alarm_from_row(r) for r in self.s.scalars(query)]

    def set_case(self, device: str, alarm_type: str, case_id: int) -> None:
        """Note the case a stored alarm state raised (the state itself is left as it is)."""
        self.s.connection().execute(update(AlarmRow).where(AlarmRow.device == device,
                                                          AlarmRow.alarm_type == alarm_type)
                                    .values(case_id=case_id))

    def set_phase(self, device: str, alarm_type: str, phase: AlarmPhase) -> None:
        self.s.execute(update(AlarmRow).where(AlarmRow.device == device,
                                              AlarmRow.alarm_type == alarm_type)
                       .values(phase=phase.value))
