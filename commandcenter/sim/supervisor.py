"""A simulated 值班长 for rehearsals: reads the approval list and decides within a few minutes.

The policy is the one a hall writes down for its night shift: extensions of up to 30 minutes
with a reason are granted, longer ones are refused (send someone else instead); 返工 and 改派
with a reason are granted; anything else (挂账, 作废 of a dispatched case) is refused in a
rehearsal. Every decision goes through `RequestService.decide`, so it is audited like a real one.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from commandcenter.domain.case import Action, Case
from commandcenter.domain.errors import KnownError
from commandcenter.hall import Hall
from commandcenter.services.actor import SUPERVISOR, Actor
from commandcenter.services.changes import Changes
from commandcenter.services.requests import CaseRequest

log = logging.getLogger(__name__)

REHEARSAL_SUPERVISOR = Actor("user:演练值班长", "演练值班长", frozenset({SUPERVISOR}))

Decided = Callable[[CaseRequest, bool], None]


@dataclass(frozen=True, slots=True)
class SupervisorPolicy:
    max_extend_minutes: int = 30
    decide_after_s: tuple[float, float] = (60.0, 240.0)  # how long a request waits for a look
    approve_returns: bool = True  # 回退/改派 with a reason
    approve_reworks: bool = True  # 返工 with a reason

    def judge(self, request: CaseRequest, case: Case) -> tuple[bool, str]:
        """(approve, note) for a pending request, given the case as it is now."""
        if not request.reason.strip():
            return False, "未说明原因，不予批准"
        if request.action is Action.EXTEND and case.arrived_at is not None:
            return False, "队员已到场，无需延期"
        if request.action is Action.RETURN and case.accepted_at is not None:
            return False, "队员已接单，无需改派"
        if request.action is Action.EXTEND:
            minutes = request.minutes or 0
            if 0 < minutes <= self.max_extend_minutes:
                return True, f"同意延期 {minutes} 分钟"
            return False, (f"延期 {minutes} 分钟超过 {self.max_extend_minutes} 分钟上限，"
                           f"不予批准，请改派就近队员")
        if request.action is Action.RETURN and self.approve_returns:
            return True, "同意改派"
        if request.action is Action.REWORK and self.approve_reworks:
            return True, "同意返工"
        return False, "演练期间不批准此类申请"


class SimulatedSupervisor:
    def __init__(self, hall: Hall, seed: int, policy: SupervisorPolicy | None = None, *,
                 actor: Actor = REHEARSAL_SUPERVISOR, on_decided: Decided | None = None) -> None:
        self.hall = hall
        self.policy = policy or SupervisorPolicy()
        self.actor = actor
        self.on_decided = on_decided
        self.rng = random.Random(f"cc.rehearsal/supervisor/{seed}")
        self._waiting: dict[int, tuple[datetime, CaseRequest]] = {}
        self._look = True  # new requests may be waiting: read the approval list

    def observe(self, changes: Changes) -> None:
        """Someone made or decided a request: look at the approval list on the next step."""
        if changes.requests_changed:
            self._look = True

    def step(self, now: datetime) -> Changes:
        """Decide every pending request whose time has come; returns what changed."""
        if self._look:
            self._look = False
            for request in self.hall.requests.pending():
                if request.id not in self._waiting:
                    due = request.requested_at + timedelta(
                        seconds=self.rng.uniform(*self.policy.decide_after_s))
                    self._waiting[request.id] = (due, request)
        out = Changes()
        for due, request in sorted(self._waiting.values(), key=lambda w: (w[0], w[1].id)):
            if due > now:
                break
            del self._waiting[request.id]
            out.merge(self._decide(request))
        return out

    def _decide(self, request: CaseRequest) -> Changes:
        case = self.hall.cases.detail(request.case_id).case
        approve, note = self.policy.judge(request, case)
        try:
            changes = self.hall.requests.decide(request.id, approve, self.actor, note)
        except KnownError as exc:
            if not approve:
                raise
            # The case moved on while the request waited (closed, or the state no longer
            # allows it): the approval cannot be carried out, so it is refused, with why.
            log.debug("approval of request %s impossible: %s", request.id, exc)
            approve = False
            changes = self.hall.requests.decide(request.id, False, self.actor,
                                                f"无法执行：{exc}")
        if self.on_decided is not None:
            self.on_decided(request, approve)
        return changes
