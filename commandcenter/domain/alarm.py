"""Sensor alarm rules: raise after a hold time, clear with hysteresis, offline after silence.

One alarm per (device, alarm type): repeats update it (count, peak, last value) instead of
creating new work (DESIGN.md §3). Everything here is pure — the clock is an argument — so the
rules are tested with exact times.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

OIL_FUME = "a34041"  # 油烟 by industry convention (HJ 212 has no national code for it)
PARTICULATES = "a34000"
NMHC = "a24088"

GB_18483_LIMIT = 2.0  # mg/m³, GB 18483-2001 (Beijing DB11/1488-2018 uses 1.0)


class AlarmPhase(StrEnum):
    NORMAL = "normal"
    PENDING = "pending"  # above the limit, not yet for the hold time
    ACTIVE = "active"  # raised
    CLEARING = "clearing"  # active, below the clear level, not yet for the clear hold


class AlarmChange(StrEnum):
    RAISED = "raised"
    UPDATED = "updated"  # an active alarm saw another exceeding value
    CLEARED = "cleared"


@dataclass(frozen=True, slots=True)
class AlarmRule:
    limit: float = GB_18483_LIMIT
    hold: timedelta = timedelta(minutes=3)  # above the limit this long before raising
    clear_ratio: float = 0.9  # clear below limit × ratio (hysteresis: no flapping at the limit)
    clear_hold: timedelta = timedelta(minutes=5)
    offline_after: timedelta = timedelta(minutes=15)

    @property
    def clear_level(self) -> float:
        return self.limit * self.clear_ratio


@dataclass(frozen=True, slots=True)
class AlarmState:
    device: str
    alarm_type: str  # e.g. "exceed:a34041"
    phase: AlarmPhase = AlarmPhase.NORMAL
    since: datetime | None = None  # when the current phase began
    raised_at: datetime | None = None
    count: int = 0  # exceeding readings while active
    peak: float | None = None
    last_value: float | None = None
    last_seen: datetime | None = None


def step(state: AlarmState, value: float, at: datetime,
         rule: AlarmRule) -> tuple[AlarmState, AlarmChange | None]:
    """Feed one reading; returns the new state and what a person should hear about, if any.

    Readings older than the last one seen are ignored (a late delivery must not flap the alarm).
    """
    if state.last_seen is not None and at < state.last_seen:
        return state, None
    s = replace(state, last_value=value, last_seen=at)
    above = value > rule.limit
    if s.phase is AlarmPhase.NORMAL:
        if above:
            s = replace(s, phase=AlarmPhase.PENDING, since=at, peak=value)
            if rule.hold <= timedelta(0):
                return _raise(s, at)
        return s, None
    if s.phase is AlarmPhase.PENDING:
        if not above:
            return replace(s, phase=AlarmPhase.NORMAL, since=at, peak=None), None
        s = replace(s, peak=max(s.peak or value, value))
        if s.since is not None and at - s.since >= rule.hold:
            return _raise(s, at)
        return s, None
    # ACTIVE or CLEARING
    if value >= rule.clear_level:
        updated = replace(s, phase=AlarmPhase.ACTIVE, peak=max(s.peak or value, value),
                          count=s.count + (1 if above else 0))
        if s.phase is AlarmPhase.CLEARING:
            updated = replace(updated, since=at)
        return updated, (AlarmChange.UPDATED if above else None)
    if s.phase is AlarmPhase.ACTIVE:
        return replace(s, phase=AlarmPhase.CLEARING, since=at), None
    if s.since is not None and at - s.since >= rule.clear_hold:
        return replace(s, phase=AlarmPhase.NORMAL, since=at, raised_at=None, count=0,
                       peak=None), AlarmChange.CLEARED
    return s, None


def _raise(s: AlarmState, at: datetime) -> tuple[AlarmState, AlarmChange]:
    return replace(s, phase=AlarmPhase.ACTIVE, since=at, raised_at=at, count=1), \
        AlarmChange.RAISED


def is_offline(last_seen: datetime | None, now: datetime, rule: AlarmRule) -> bool:
    """A device that has reported before and then fell silent for `offline_after`."""
    return last_seen is not None and now - last_seen >= rule.offline_after
