"""The rehearsal's dispatcher on shift: merges, warns through speakers, dispatches, asks for more
time, checks, closes and sends work back — always through the real services, so every step is
audited like a person's.

Unlike the demo's `AutoDispatcher` (which only has to leave a realistic queue behind), this one
plays every decision a rehearsal measures:

- a signal the ingest proposes as a duplicate of an open case is merged into it;
- a vendor signal (0501 占道经营, 0502 店外经营) within `speaker_radius_m` of a street speaker is
  first warned through that speaker; the dispatcher watches the camera for one to three
  minutes and records the outcome. Persuaded: the signal is cancelled before 立案 as
  "远程喊话劝离成功，无需派遣" (the violation ended; nobody rides out, and the hall's
  persuasion count shows it). Not persuaded: it is registered and dispatched as usual;
- registered cases go to the nearest available officer (the ranking the console recommends),
  never back to one who refused it or did not answer;
- a case about to miss its arrival deadline while its officer is too far away gets an extension
  request (sometimes; sometimes for longer than the supervisor grants);
- a dispatch nobody accepted well past the accept deadline gets a 改派 request;
- handled cases are checked, and some checks fail: a 返工 request goes to the supervisor.
"""

from __future__ import annotations

import logging
import math
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from commandcenter.domain.case import Action, Case, CaseState
from commandcenter.domain.dispatch import recommend
from commandcenter.domain.errors import KnownError
from commandcenter.domain.geo import haversine_m
from commandcenter.domain.speaker import Outcome
from commandcenter.domain.unit import Unit, UnitStatus
from commandcenter.hall import Hall
from commandcenter.services.actor import DISPATCHER, Actor
from commandcenter.services.changes import Changes
from commandcenter.services.requests import CaseRequest
from commandcenter.services.speakers import SpeakerService

log = logging.getLogger(__name__)

REHEARSAL_DISPATCHER = Actor("user:演练调度员", "演练调度员", frozenset({DISPATCHER}))
VENDOR_CATEGORIES = frozenset({"0501", "0502"})
PERSUADED_NOTE = "远程喊话劝离成功，无需派遣"
INVALID_NOTE = "信息不实，现场无此情况"
EBIKE_MS = 16 / 3.6  # the speed the dispatcher assumes when judging "too far to make it"
START_OVERHEAD_S = 90.0  # accepting and getting on the bike, for an officer not yet riding
REWORK_REASONS = ("核查未通过：现场仍有摊位未清理", "核查未通过：照片与现场不符",
                  "核查未通过：市民回访仍未解决")


@dataclass(frozen=True, slots=True)
class DispatcherPolicy:
    slow_share: float = 0.15  # busy moments: the step takes 3–6 times longer than usual
    invalid_share: float = 0.03  # signals triaged as invalid and cancelled before 立案
    speaker_radius_m: float = 300.0
    persuade_share: float = 0.5  # warnings through a speaker that move the vendor on
    extend_share: float = 0.6  # late-looking cases for which the dispatcher asks for more time
    extend_lead_s: float = 180.0  # how close to the arrive deadline the dispatcher looks
    long_extend_share: float = 0.25  # of those requests, ones longer than a supervisor grants
    rework_share: float = 0.1  # checks that fail (返工), at most once per case
    return_after_s: float = 120.0  # past the accept deadline with no answer: ask for 改派


@dataclass(slots=True)
class _Task:
    due: datetime | None  # None: waiting for someone else (the supervisor)
    kind: str  # merge | warn | outcome | register | cancel | dispatch | check | close | rework
    note: str | None = None
    request_id: str | None = None  # the speaker announcement, for "outcome"


@dataclass(slots=True)
class _Memory:
    """What the dispatcher remembers about one case beyond its current row."""

    avoid: set[str] = field(default_factory=set)  # units that refused it or never answered
    extend_judged: bool = False  # the "will they make it?" look happens once per case
    return_asked_for: datetime | None = None  # the dispatch (its time) 改派 was asked for
    warned: bool = False
    reworked: bool = False
    merge_failed: bool = False


class RehearsalDispatcher:
    def __init__(self, hall: Hall, speakers: SpeakerService, seed: int,
                 policy: DispatcherPolicy | None = None, *,
                 actor: Actor = REHEARSAL_DISPATCHER) -> None:
        self.hall = hall
        self.speakers = speakers
        self.policy = policy or DispatcherPolicy()
        self.actor = actor
        self.rng = random.Random(f"cc.rehearsal/dispatcher/{seed}")
        self.cases: dict[int, Case] = {}  # open cases only
        self.units: dict[str, Unit] = {}
        self._tasks: dict[tuple[int, CaseState], _Task] = {}
        self._memory: dict[int, _Memory] = {}

    # --- what the dispatcher sees ----------------------------------------------------------
    def observe(self, changes: Changes) -> None:
        for case_id, case in changes.cases.items():
            old = self.cases.get(case_id)
            if (old is not None and old.assignee and old.state is CaseState.DISPATCHED
                    and case.state is CaseState.REGISTERED):  # refused, or taken back (改派)
                self._mem(case_id).avoid.add(old.assignee)
            if old is None or old.state is not case.state:
                for state in CaseState:  # a task belongs to the state it was planned in
                    if state is not case.state:
                        self._tasks.pop((case_id, state), None)
            if case.is_open:
                self.cases[case_id] = case
            else:
                self.cases.pop(case_id, None)
                self._tasks = {k: t for k, t in self._tasks.items() if k[0] != case_id}
        self.units.update(changes.units)

    def decided(self, request: CaseRequest, approved: bool) -> None:
        """The supervisor answered: a refused 返工 means the case is closed as it is."""
        if request.action is Action.REWORK and not approved:
            key = (request.case_id, CaseState.CHECKING)
            if key in self._tasks:
                self._tasks[key] = _Task(self.hall.ctx.clock(), "close")

    def _mem(self, case_id: int) -> _Memory:
        return self._memory.setdefault(case_id, _Memory())

    def _delay(self, now: datetime, low: float, high: float) -> datetime:
        seconds = self.rng.uniform(low, high)
        if self.rng.random() < self.policy.slow_share:
            seconds = self.rng.uniform(high * 3, high * 6)
        return now + timedelta(seconds=seconds)

    # --- acting ----------------------------------------------------------------------------
    def step(self, now: datetime) -> Changes:
        """Perform what is due and look for cases that need a request; returns what changed."""
        out = Changes()
        for case_id in list(self.cases):
            case = self.cases.get(case_id)
            if case is None:
                continue
            key = (case_id, case.state)
            task = self._tasks.get(key)
            if task is None:
                task = self._plan(case, now)
                if task is not None:
                    self._tasks[key] = task
            if task is not None and task.due is not None and task.due <= now:
                self._run(case, key, task, now, out)
            case = self.cases.get(case_id)
            if case is not None:
                self._watch(case, now, out)
        return out

    def _plan(self, case: Case, now: datetime) -> _Task | None:
        assert case.id is not None
        mem = self._mem(case.id)
        state = case.state
        if state is CaseState.REPORTED:
            if case.duplicate_of is not None and not mem.merge_failed:
                return _Task(self._delay(now, 20, 90), "merge")
            if (case.category in VENDOR_CATEGORIES and not mem.warned
                    and self._speaker_for(case) is not None):
                return _Task(self._delay(now, 15, 60), "warn")
            if self.rng.random() < self.policy.invalid_share:
                return _Task(self._delay(now, 30, 120), "cancel", INVALID_NOTE)
            return _Task(self._delay(now, 30, 150), "register")
        if state is CaseState.REGISTERED:
            return _Task(self._delay(now, 20, 120), "dispatch")
        if state is CaseState.HANDLED:
            return _Task(self._delay(now, 60, 240), "check")
        if state is CaseState.CHECKING:
            if not mem.reworked and self.rng.random() < self.policy.rework_share:
                return _Task(self._delay(now, 30, 90), "rework",
                             self.rng.choice(REWORK_REASONS))
            return _Task(self._delay(now, 30, 90), "close")
        return None

    def _speaker_for(self, case: Case) -> str | None:
        nearest = self.speakers.nearest(case, 1)
        if nearest and nearest[0][1] <= self.policy.speaker_radius_m:
            return nearest[0][0].id
        return None

    def _run(self, case: Case, key: tuple[int, CaseState], task: _Task, now: datetime,
             out: Changes) -> None:
        assert case.id is not None
        try:
            if task.kind == "merge":
                assert case.duplicate_of is not None
                target = self.cases.get(case.duplicate_of)
                if target is None:  # it ended meanwhile: this is a case of its own
                    self._mem(case.id).merge_failed = True
                    del self._tasks[key]
                    return
                self._apply(out, self.hall.cases.merge(case.id, target.id or 0, self.actor,
                                                       expected_version=case.version))
            elif task.kind == "warn":
                self._warn(case, key, now)
                return  # the task was replaced by "outcome"
            elif task.kind == "outcome":
                self._outcome(case, task, out)
            elif task.kind == "rework":
                self._apply(out, self.hall.requests.request(case.id, Action.REWORK, self.actor,
                                                            task.note or REWORK_REASONS[0]))
                self._mem(case.id).reworked = True
                self._tasks[key] = _Task(None, "rework")  # the supervisor decides
                return
            elif task.kind == "dispatch":
                unit = self._nearest_available(case, now)
                if unit is None:
                    return  # everyone is busy: the task stays due and is tried next step
                self._act(out, case, Action.DISPATCH, assignee=unit.id)
            else:
                self._act(out, case, Action(task.kind), note=task.note)
        except KnownError as exc:
            log.debug("rehearsal dispatcher: %s %s refused: %s", task.kind, case.number, exc)
            if task.kind == "merge":
                self._mem(case.id).merge_failed = True
        self._tasks.pop(key, None)

    def _act(self, out: Changes, case: Case, action: Action, *, note: str | None = None,
             assignee: str | None = None) -> None:
        assert case.id is not None
        self._apply(out, self.hall.cases.act(case.id, action, self.actor,
                                             expected_version=case.version, note=note,
                                             assignee=assignee))

    def _apply(self, out: Changes, changes: Changes) -> None:
        self.observe(changes)
        out.merge(changes)

    def _warn(self, case: Case, key: tuple[int, CaseState], now: datetime) -> None:
        assert case.id is not None
        speaker_id = self._speaker_for(case)
        assert speaker_id is not None
        self._mem(case.id).warned = True  # once: a refused request is not sent again
        phrases = self.speakers.phrases_for(case.category)
        announcement = self.speakers.say(case.id, speaker_id, phrases[0], 3, self.actor)
        # Watch the camera for a while before judging whether the vendor moves on.
        self._tasks[key] = _Task(now + timedelta(seconds=self.rng.uniform(60, 180)), "outcome",
                                 request_id=announcement.request_id)

    def _outcome(self, case: Case, task: _Task, out: Changes) -> None:
        assert task.request_id is not None
        persuaded = self.rng.random() < self.policy.persuade_share
        try:
            self.speakers.record_outcome(
                task.request_id, Outcome.PERSUADED if persuaded else Outcome.NOT_PERSUADED,
                self.actor)
        except KnownError as exc:  # the speaker reported it did not play: an officer goes
            log.debug("rehearsal dispatcher: no outcome for %s: %s", case.number, exc)
            persuaded = False
        if persuaded:
            self._act(out, case, Action.CANCEL, note=PERSUADED_NOTE)
        else:
            self._act(out, case, Action.REGISTER, note="喊话劝离无效，立案派遣")

    def _nearest_available(self, case: Case, now: datetime) -> Unit | None:
        avoid = self._mem(case.id or 0).avoid
        # The console's ranking of field units (departments are chosen deliberately, not here).
        for rec in recommend(case, list(self.units.values()), now, n=len(self.units)):
            if not rec.available:
                break  # every available unit is ranked first
            if rec.distance_m is not None and rec.unit.id not in avoid:
                return rec.unit
        return None

    # --- requests that time, not a state change, calls for ---------------------------------
    def _watch(self, case: Case, now: datetime, out: Changes) -> None:
        assert case.id is not None
        mem = self._mem(case.id)
        if case.state is CaseState.DISPATCHED and case.accepted_at is None:
            accept = case.deadlines.get("accept")
            if (accept is not None and case.assignee and case.dispatched_at is not None
                    and mem.return_asked_for != case.dispatched_at
                    and now - accept.due > timedelta(seconds=self.policy.return_after_s)):
                mem.return_asked_for = case.dispatched_at
                self._request(out, case, Action.RETURN,
                              f"{case.assignee_name or case.assignee} 超时未接单，申请改派")
                return
        if mem.extend_judged or case.state not in (CaseState.REGISTERED, CaseState.DISPATCHED,
                                                   CaseState.IN_PROGRESS):
            return
        arrive = case.deadlines.get("arrive")
        if arrive is None or arrive.met_at is not None or case.arrived_at is not None:
            return
        left = (arrive.due - now).total_seconds()
        if not 0 < left <= self.policy.extend_lead_s:
            return
        eta, who = self._eta(case, now)
        if eta <= left:
            return
        mem.extend_judged = True
        if self.rng.random() >= self.policy.extend_share:
            return  # this dispatcher lets it run late
        if self.rng.random() < self.policy.long_extend_share:
            minutes = self.rng.choice((45, 60))
            reason = f"{who}，夜间人手不足，需先处理完手头案件"
        else:
            short = 0.0 if math.isinf(eta) else eta - left
            minutes = 5 * math.ceil((short / 60 + 5) / 5) if not math.isinf(eta) else 20
            reason = f"{who}，到场时限仅剩 {left / 60:.0f} 分钟"
        self._request(out, case, Action.EXTEND, reason, minutes=minutes)

    def _eta(self, case: Case, now: datetime) -> tuple[float, str]:
        """Seconds until someone can be on scene, and who, in words (for the reason)."""
        if case.location is None:
            return math.inf, "案件无位置"
        if case.state is CaseState.REGISTERED:
            unit = self._nearest_available(case, now)
            overhead = START_OVERHEAD_S + 60
        else:
            unit = self.units.get(case.assignee or "")
            riding = unit is not None and unit.status is UnitStatus.EN_ROUTE
            overhead = 0.0 if riding else START_OVERHEAD_S
        pos = unit.position(now) if unit is not None else None
        if unit is None or pos is None:
            return math.inf, "暂无空闲队员"
        metres = haversine_m(case.location.lat, case.location.lon, *pos)
        eta = overhead + metres / EBIKE_MS
        return eta, f"{unit.name}距现场约 {metres / 1000:.1f} 公里，预计 {eta / 60:.0f} 分钟到场"

    def _request(self, out: Changes, case: Case, action: Action, reason: str, *,
                 minutes: int | None = None) -> None:
        assert case.id is not None
        try:
            self._apply(out, self.hall.requests.request(case.id, action, self.actor, reason,
                                                        minutes=minutes))
        except KnownError as exc:
            log.debug("rehearsal dispatcher: %s request for %s refused: %s", action.value,
                      case.number, exc)
