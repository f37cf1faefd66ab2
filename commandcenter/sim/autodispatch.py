"""A simulated dispatcher: triages, dispatches, checks and closes like a person on shift.

Used to play a shift before the demo starts (so the console opens on a realistic mix of fresh,
urgent and overdue work) and by rehearsals. It reacts after human-like delays, sometimes slowly,
and always through the real services, so every step is audited like a real one.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from commandcenter.domain.case import Action, Case, CaseState
from commandcenter.domain.errors import KnownError
from commandcenter.domain.geo import haversine_m
from commandcenter.domain.unit import Unit, UnitStatus
from commandcenter.hall import Hall
from commandcenter.services.actor import DISPATCHER, Actor
from commandcenter.services.changes import Changes

log = logging.getLogger(__name__)

AUTO_DISPATCHER = Actor("user:演示调度员", "演示调度员", frozenset({DISPATCHER}))


@dataclass(slots=True)
class _Plan:
    due: datetime
    action: Action
    note: str | None = None


class AutoDispatcher:
    def __init__(self, hall: Hall, seed: int, *, actor: Actor = AUTO_DISPATCHER,
                 slow_share: float = 0.15) -> None:
        self.hall = hall
        self.actor = actor
        self.rng = random.Random(f"cc.autodispatch/{seed}")
        self.slow_share = slow_share
        self.cases: dict[int, Case] = {}
        self.units: dict[str, Unit] = {}
        self._plans: dict[tuple[int, CaseState], _Plan] = {}

    def observe(self, changes: Changes) -> None:
        self.cases.update(changes.cases)
        self.units.update(changes.units)

    def _delay(self, low: float, high: float) -> timedelta:
        seconds = self.rng.uniform(low, high)
        if self.rng.random() < self.slow_share:  # a busy moment: this one waits too long
            seconds = self.rng.uniform(high * 3, high * 6)
        return timedelta(seconds=seconds)

    def _plan_for(self, case: Case, now: datetime) -> _Plan | None:
        if case.state is CaseState.REPORTED:
            if self.rng.random() < 0.06:
                return _Plan(now + self._delay(30, 120), Action.CANCEL, "重复上报")
            return _Plan(now + self._delay(30, 150), Action.REGISTER)
        if case.state is CaseState.REGISTERED:
            return _Plan(now + self._delay(20, 120), Action.DISPATCH)
        if case.state is CaseState.HANDLED:
            return _Plan(now + self._delay(60, 240), Action.CHECK)
        if case.state is CaseState.CHECKING:
            return _Plan(now + self._delay(30, 90), Action.CLOSE)
        return None

    def _nearest_available(self, case: Case, now: datetime) -> Unit | None:
        best: tuple[float, Unit] | None = None
        for unit in self.units.values():
            pos = unit.position(now)
            if unit.status is not UnitStatus.AVAILABLE or pos is None or case.location is None:
                continue
            distance = haversine_m(case.location.lat, case.location.lon, *pos)
            if best is None or distance < best[0]:
                best = (distance, unit)
        return best[1] if best else None

    def step(self, now: datetime) -> Changes:
        """Perform every planned action that is due; returns what changed."""
        out = Changes()
        for case in list(self.cases.values()):
            if case.id is None:
                continue
            key = (case.id, case.state)
            plan = self._plans.get(key)
            if plan is None:
                plan = self._plan_for(case, now)
                if plan is None:
                    continue
                self._plans[key] = plan
            if plan.due > now:
                continue
            assignee = None
            if plan.action is Action.DISPATCH:
                unit = self._nearest_available(case, now)
                if unit is None:
                    continue  # everyone is busy: try again next step
                assignee = unit.id
            try:
                changes = self.hall.cases.act(case.id, plan.action, self.actor,
                                              expected_version=case.version, note=plan.note,
                                              assignee=assignee)
            except KnownError as exc:
                log.debug("auto-dispatcher skipped %s: %s", case.number, exc)
                del self._plans[key]
                continue
            del self._plans[key]
            self.observe(changes)
            out.merge(changes)
        return out
