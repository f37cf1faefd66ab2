"""Time allowances (SLA) and the clock that turns them into absolute deadlines.

Deadlines are stored on the case as absolute UTC instants, so a restart changes nothing; a
suspension (挂账) shifts every unmet deadline by the time spent suspended. A category may run on a
working-hours calendar instead of 24/7 (DESIGN.md §3).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from commandcenter.domain.case import Action, Case, Deadline

KINDS = ("register", "accept", "arrive", "resolve", "check")
_DURATION = re.compile(r"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")


class SlaConfigError(ValueError):
    pass


def parse_duration(text: str) -> timedelta:
    match = _DURATION.match(text.strip()) if isinstance(text, str) else None
    if not match or not any(match.groups()):
        raise SlaConfigError(f"{text!r} is not a duration like '15m', '2h' or '1h30m'")
    d, h, m, s = (int(g or 0) for g in match.groups())
    return timedelta(days=d, hours=h, minutes=m, seconds=s)


@dataclass(frozen=True, slots=True)
class WorkingCalendar:
    """Working periods on working days, in the hall's local time zone."""

    periods: tuple[tuple[time, time], ...]
    weekdays: frozenset[int]  # ISO weekday numbers, Monday = 1
    holidays: frozenset[date]
    tz: ZoneInfo

    def _periods_on(self, day: date) -> list[tuple[datetime, datetime]]:
        if day.isoweekday() not in self.weekdays or day in self.holidays:
            return []
        return [(datetime.combine(day, a, self.tz), datetime.combine(day, b, self.tz))
                for a, b in self.periods]

    def add(self, start: datetime, amount: timedelta) -> datetime:
        """The instant when `amount` of working time has elapsed after `start`."""
        remaining = amount
        day = start.astimezone(self.tz).date()
        for _ in range(3660):  # ten years of days: a calendar with no working time is an error
            for a, b in self._periods_on(day):
                begin = max(a, start)
                if begin >= b:
                    continue
                if b - begin >= remaining:
                    return (begin + remaining).astimezone(UTC)
                remaining -= b - begin
            day += timedelta(days=1)
        raise SlaConfigError("the working calendar has no working time")

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        total = timedelta()
        day = start.astimezone(self.tz).date()
        last = end.astimezone(self.tz).date()
        while day <= last:
            for a, b in self._periods_on(day):
                lo, hi = max(a, start), min(b, end)
                if hi > lo:
                    total += hi - lo
            day += timedelta(days=1)
        return total


@dataclass(frozen=True, slots=True)
class Allowances:
    register: timedelta
    accept: timedelta
    arrive: timedelta
    resolve: timedelta
    check: timedelta
    calendar: WorkingCalendar | None = None  # None: 24/7

    def of(self, kind: str) -> timedelta:
        value: timedelta = getattr(self, kind)
        return value


class SlaPolicy:
    """The allowances of `sla.toml`, looked up by category (then its class) and priority."""

    def __init__(self, config: Mapping[str, Any]) -> None:
        self._config = config
        self._calendars = {
            name: _calendar(name, spec) for name, spec in config.get("calendars", {}).items()
        }
        default = config.get("default", {})
        missing = [k for k in KINDS if k not in default]
        if missing:
            raise SlaConfigError(f"[default] must name every allowance; missing: {missing}")
        self._cache: dict[tuple[str, int], Allowances] = {}
        # Validate every referenced value now: a typo must stop the start, not quarantine the
        # first report of that category hours later.
        for code in ["0000", *config.get("category", {})]:
            for priority in (1, 2, 3):
                self.allowances(code, priority)

    @classmethod
    def load(cls, path: Path | None = None) -> SlaPolicy:
        if path is None:
            from commandcenter.resources import resource_path

            path = resource_path("sla.toml")
        try:
            with open(path, "rb") as fh:
                return cls(tomllib.load(fh))
        except tomllib.TOMLDecodeError as exc:
            raise SlaConfigError(f"{path}: {exc}") from None

    def _layers(self, category: str, priority: int) -> list[Mapping[str, Any]]:
        cats = self._config.get("category", {})
        layers = []
        for code in (category, category[:2]):
            entry = _table(cats.get(code, {}), f'[category."{code}"]')
            by_priority = _table(entry.get("priority", {}), f'[category."{code}".priority]')
            layers.append(_table(by_priority.get(str(priority), {}),
                                 f'[category."{code}".priority.{priority}]'))
            layers.append(entry)
        layers.append(_table(self._config.get("priority", {}).get(str(priority), {}),
                             f"[priority.{priority}]"))
        layers.append(self._config["default"])
        return layers

    def allowances(self, category: str, priority: int) -> Allowances:
        key = (category, priority)
        if key not in self._cache:
            layers = self._layers(category, priority)

            def pick(name: str) -> Any:
                return next(layer[name] for layer in layers if name in layer)

            try:
                values = {k: parse_duration(pick(k)) for k in KINDS}
            except SlaConfigError as exc:
                raise SlaConfigError(f"category {category}, priority {priority}: {exc}") from None
            cal_name = next((layer["calendar"] for layer in layers if "calendar" in layer),
                            "24x7")
            if cal_name == "24x7":
                calendar = None
            elif cal_name in self._calendars:
                calendar = self._calendars[cal_name]
            else:
                raise SlaConfigError(f"unknown calendar {cal_name!r} for category {category}")
            self._cache[key] = Allowances(calendar=calendar, **values)
        return self._cache[key]


def _table(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise SlaConfigError(f"{where} must be a table, not {value!r}")
    return value


def _calendar(name: str, spec: Mapping[str, Any]) -> WorkingCalendar:
    try:
        periods = []
        for text in spec["periods"]:
            a, b = text.split("-")
            periods.append((time.fromisoformat(a), time.fromisoformat(b)))
            if periods[-1][0] >= periods[-1][1]:
                raise ValueError(f"period {text!r} ends before it starts")
        return WorkingCalendar(
            periods=tuple(periods),
            weekdays=frozenset(int(d) for d in spec.get("weekdays", [1, 2, 3, 4, 5])),
            holidays=frozenset(date.fromisoformat(d) for d in spec.get("holidays", [])),
            tz=ZoneInfo(spec.get("timezone", "Asia/Shanghai")),
        )
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        raise SlaConfigError(f"calendar {name!r} is malformed: {exc}") from None


def _deadline(kind: str, start: datetime, allow: Allowances) -> Deadline:
    amount = allow.of(kind)
    due = allow.calendar.add(start, amount) if allow.calendar else start + amount
    # The allowance in wall-clock seconds drives the colour: with a calendar, a 2-hour allowance
    # that spans a night is a 16-hour window on the wall clock.
    return Deadline(kind, due.astimezone(UTC), (due - start).total_seconds())


def initial_deadlines(policy: SlaPolicy, category: str, priority: int,
                      now: datetime) -> dict[str, Deadline]:
    """The timer of a new signal of this category and priority: it must be triaged (立案)
    within the register allowance. Taken before the case exists, so that the case is built
    with it in one go."""
    return {"register": _deadline("register", now, policy.allowances(category, priority))}


def _met(deadlines: dict[str, Deadline], kind: str, at: datetime) -> None:
    if kind in deadlines and deadlines[kind].met_at is None:
        deadlines[kind] = replace(deadlines[kind], met_at=at)


def apply_deadlines(before: Case, after: Case, action: Action, policy: SlaPolicy,
                    now: datetime, *, extend_by: timedelta | None = None) -> dict[str, Deadline]:
    """The deadlines of `after`, the case that `action` produced from `before` at `now`.

    An extension (延期) moves every unmet deadline by `extend_by` and widens its allowance by
    the same amount, so the colour reflects the new schedule.
    """
    allow = policy.allowances(after.category, after.priority)
    dl = dict(before.deadlines)
    if action is Action.REGISTER:
        _met(dl, "register", now)
        dl["arrive"] = _deadline("arrive", now, allow)
        dl["resolve"] = _deadline("resolve", now, allow)
    elif action is Action.DISPATCH:
        dl["accept"] = _deadline("accept", now, allow)
    elif action is Action.ACCEPT:
        _met(dl, "accept", now)
    elif action is Action.ARRIVE:
        _met(dl, "arrive", now)
    elif action is Action.HANDLE:
        _met(dl, "resolve", now)
        dl["check"] = _deadline("check", now, allow)
    elif action is Action.CLOSE:
        _met(dl, "check", now)
    elif action in (Action.REJECT, Action.RETURN):
        dl.pop("accept", None)
        if before.arrived_at is not None:  # a new unit must get there again
            dl["arrive"] = _deadline("arrive", now, allow)
    elif action is Action.REWORK:
        dl.pop("check", None)
        for kind in ("accept", "arrive", "resolve"):
            dl[kind] = _deadline(kind, now, allow)
    elif action is Action.EXTEND:
        if extend_by is None or extend_by <= timedelta(0):
            raise SlaConfigError("an extension needs a positive duration")
        seconds = extend_by.total_seconds()
        dl = {k: d if d.met_at else replace(d, due=d.due + extend_by,
                                             allowance_s=d.allowance_s + seconds)
              for k, d in dl.items()}
    elif action is Action.RESUME and before.suspended_at is not None:
        paused = now - before.suspended_at
        dl = {k: d if d.met_at else replace(d, due=d.due + paused) for k, d in dl.items()}
    return dl


def timer_fraction(case: Case, now: datetime) -> float | None:
    """Share of the next deadline's allowance used: < 0.8 green, 0.8–1.0 amber, > 1.0 red."""
    nd = case.next_deadline()
    return None if nd is None else nd.fraction_used(now)


class TimerLevel(StrEnum):
    """How a timer reads at a glance (DESIGN.md §3)."""

    OK = "ok"  # < 80 % of the allowance used: green
    WARN = "warn"  # 80–100 %: amber
    OVERDUE = "overdue"  # past the deadline: red
    IDLE = "idle"  # no running timer (suspended, closed)


WARN_AT = 0.8


def timer_level(case: Case, now: datetime) -> TimerLevel:
    fraction = timer_fraction(case, now)
    if fraction is None:
        return TimerLevel.IDLE
    if fraction > 1.0:
        return TimerLevel.OVERDUE
    return TimerLevel.WARN if fraction >= WARN_AT else TimerLevel.OK


def next_level_change(case: Case, now: datetime) -> datetime | None:
    """When `timer_level` of this case will next change by the clock alone (green → amber at
    80 % of the allowance, amber → red at the deadline); None if it will not."""
    nd = case.next_deadline()
    if nd is None:
        return None
    warn_at = nd.due - timedelta(seconds=(1.0 - WARN_AT) * nd.allowance_s)
    if now < warn_at:
        return warn_at
    if now <= nd.due:
        return nd.due + timedelta(microseconds=1)
    return None
