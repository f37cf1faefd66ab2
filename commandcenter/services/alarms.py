"""Turn sensor readings into well-behaved alarms inside the ingest transaction.

Readings update the alarm state of their device; only a raise (after the hold time) or a device
falling silent produces a signal for the dispatcher, as an `alarm` event that then becomes a
case (oil fume: on scene within 20 minutes) exactly like any other signal.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from sqlalchemy.orm import Session

from commandcenter.domain.alarm import (
    OIL_FUME,
    AlarmChange,
    AlarmPhase,
    AlarmRule,
    AlarmState,
    is_offline,
    step,
)
from commandcenter.domain.event import Event, EventKind, Location, Severity
from commandcenter.domain.site import Site
from commandcenter.store.site_repo import AlarmRepo, SiteRepo

EXCEED = f"exceed:{OIL_FUME}"
OFFLINE = "offline"
OIL_FUME_CATEGORY = "0601"
OFFLINE_CATEGORY = "0602"


class CachedStates:
    """Where the engine reads a device's site and alarm states and writes the states, for a
    batch of readings (of one, on the careful path): the devices' sites and states loaded
    with one query each, kept in memory while the batch steps through them, written back
    with one statement (`write`). The case an alarm raised is noted apart
    (`AlarmRepo.set_case`) and kept."""

    def __init__(self, session: Session, devices: Iterable[str]) -> None:
        wanted = sorted(set(devices))
        self._session = session
        self._sites = SiteRepo(session).get_many(wanted)
        self._states = AlarmRepo(session).get_many(wanted)
        self._dirty: dict[tuple[str, str], AlarmState] = {}

    def site(self, device: str) -> Site | None:
        return self._sites.get(device)

    def get(self, device: str, alarm_type: str) -> AlarmState:
        key = (device, alarm_type)
        return self._states.get(key) or AlarmState(device, alarm_type)

    def save(self, state: AlarmState) -> None:
        key = (state.device, state.alarm_type)
        self._states[key] = self._dirty[key] = state

    def write(self) -> None:
        AlarmRepo(self._session).save_many(list(self._dirty.values()))
        self._dirty.clear()


class AlarmEngine:
    def __init__(self, base_rule: AlarmRule | None = None) -> None:
        self.base_rule = base_rule or AlarmRule()

    def _rule(self, site: Site | None) -> AlarmRule:
        return site.rule(self.base_rule) if site else self.base_rule

    def on_reading(self, states: CachedStates,
                   event: Event) -> list[tuple[Event, AlarmState]]:
        """Feed one stored reading; returns the alarm signals to raise (usually none)."""
        if not event.device or OIL_FUME not in event.measurements:
            return []
        value = float(event.measurements[OIL_FUME]["value"])
        site = states.site(event.device)
        offline = states.get(event.device, OFFLINE)
        if offline.phase is AlarmPhase.ACTIVE:  # reporting again: the offline alarm clears
            states.save(replace(offline, phase=AlarmPhase.NORMAL, since=event.occurred_at,
                                last_seen=event.occurred_at))
        state, change = step(states.get(event.device, EXCEED), value, event.occurred_at,
                             self._rule(site))
        states.save(state)
        if change is not AlarmChange.RAISED:
            return []
        rule = self._rule(site)
        name = site.name if site else event.device
        alarm = Event(
            source="alarm", source_id=f"{event.device}/{EXCEED}/{event.occurred_at.isoformat()}",
            kind=EventKind.ALARM, occurred_at=event.occurred_at, category=OIL_FUME_CATEGORY,
            severity=Severity.MAJOR, location=_location(site, event), device=event.device,
            title=f"{name}油烟浓度超标 {value:.1f} mg/m³（限值 {rule.limit:g}）",
            description=(f"油烟浓度连续 {int(rule.hold.total_seconds() // 60)} 分钟以上超过限值"
                         f" {rule.limit:g} mg/m³，峰值 {state.peak or value:.1f} mg/m³"),
            measurements=event.measurements,
        )
        return [(alarm, state)]

    def offline_check(self, session: Session, now: datetime) -> list[tuple[Event, AlarmState]]:
        """Raise "offline" for each device silent longer than its rule allows (once each)."""
        repo = AlarmRepo(session)
        sites = SiteRepo(session)
        out = []
        for state in repo.silent_since(EXCEED):
            site = sites.get(state.device)
            if not is_offline(state.last_seen, now, self._rule(site)):
                break  # ordered by last_seen: the rest reported more recently
            offline = repo.get(state.device, OFFLINE)
            if offline.phase is AlarmPhase.ACTIVE:
                continue
            raised = replace(offline, phase=AlarmPhase.ACTIVE, since=now, raised_at=now,
                             count=1, last_seen=state.last_seen)
            repo.save(raised)
            name = site.name if site else state.device
            last = state.last_seen
            alarm = Event(
                source="alarm", source_id=f"{state.device}/{OFFLINE}/{now.isoformat()}",
                kind=EventKind.ALARM, occurred_at=now, category=OFFLINE_CATEGORY,
                severity=Severity.MINOR, device=state.device,
                location=_location(site, None),
                title=f"{name}油烟监测设备离线",
                description=f"最后一次数据：{last.isoformat() if last else '无'}",
            )
            out.append((alarm, raised))
        return out


def _location(site: Site | None, event: Event | None) -> Location | None:
    if site is not None and site.lat is not None and site.lon is not None:
        return Location(site.lat, site.lon, site.address or site.name)
    return event.location if event is not None else None
