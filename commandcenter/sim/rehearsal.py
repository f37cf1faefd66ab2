"""Rehearsal (演练): play a whole shift headless at accelerated time and report its outcome.

The district's simulated signals and officers (`Scenario`), a simulated dispatcher and
supervisor, the real ingest writer, services, SLA clock and 督办 sweep all run on one stepping
clock, into a real database. A hall runs it to tune `sla.toml` and `correlation.toml` before
going live (pass the candidate files), and the same scenario drives the tests.

Deterministic for a seed: the default start is a fixed reference date, every random choice
comes from a stream named after the seed, and the report leaves wall-clock figures apart.
"""

from __future__ import annotations

import logging
import math
import random
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import func, select

from commandcenter.config import Settings
from commandcenter.domain.correlation import CorrelationRule
from commandcenter.domain.errors import KnownError
from commandcenter.domain.sla import SlaPolicy
from commandcenter.hall import Hall, open_hall
from commandcenter.ingest.message import InboundMessage
from commandcenter.services.context import utc_now
from commandcenter.services.sites import SiteService
from commandcenter.services.speakers import SpeakerService
from commandcenter.sim.agenda import Message
from commandcenter.sim.registry_seed import demo_sites
from commandcenter.sim.rehearsal_dispatcher import (
    PERSUADED_NOTE,
    DispatcherPolicy,
    RehearsalDispatcher,
)
from commandcenter.sim.scenario import Scenario
from commandcenter.sim.shift_report import RunMark, shift_report
from commandcenter.sim.street_speakers import SimulatedSpeakers
from commandcenter.sim.supervisor import SimulatedSupervisor, SupervisorPolicy
from commandcenter.sim.warmup import SteppingClock
from commandcenter.sim.wire import Wire
from commandcenter.store.schema import CaseRow

log = logging.getLogger(__name__)

T = TypeVar("T")
STEP = timedelta(seconds=10)
HOUSEKEEPING_EVERY = timedelta(seconds=30)
REFERENCE_DATE = date(2026, 11, 27)  # a Friday: the default night, so runs compare across days
SIGNAL_SOURCES = frozenset({"suishoupai", "qrcode", "camera"})  # what `rate` shapes


class RehearsalError(KnownError):
    """A rehearsal that cannot run as asked (unknown scenario, a database in use, ...)."""


@dataclass(frozen=True, slots=True)
class Shift:
    """A shift's local start, length, and the share of the peak signal rate hour by hour."""

    name: str
    starts: clock_time
    hours: float
    profile: dict[int, float]  # local hour -> share of the peak rate (missing hours: 1.0)

    def share(self, hour: int) -> float:
        return self.profile.get(hour, 1.0)


SHIFTS = {
    # Barbecue, vendors and noise in the evening; a quiet tail after one o'clock.
    "night": Shift("night", clock_time(20, 0), 10.0,
                   {20: 1.0, 21: 1.0, 22: 1.0, 23: 0.6, 0: 0.6, 1: 0.3, 2: 0.3, 3: 0.3, 4: 0.3,
                    5: 0.3}),
    # Morning vendors and the school run, a lunch dip, a busy afternoon.
    "day": Shift("day", clock_time(8, 0), 10.0,
                 {8: 0.8, 9: 1.0, 10: 1.0, 11: 1.0, 12: 0.6, 13: 0.8, 14: 1.0, 15: 1.0, 16: 1.0,
                  17: 1.0}),
}


class ShiftFeed:
    """What of the scenario's traffic reaches the hall during a rehearsal.

    Case-worthy signals are thinned to the shift's hourly profile (a thinned Poisson stream is
    a Poisson stream at the lower rate). Officers' position fixes are passed on at most once per
    `position_every_s` per officer, and always with a status report of theirs: positions only
    steer the dispatcher's choice of the nearest officer, and storing every 10-second fix would
    cost most of the run's time in the ingest writer.
    """

    def __init__(self, shift: Shift, prefix: str, rng: random.Random, tz: Any, *,
                 position_every_s: float) -> None:
        self.shift = shift
        self.prefix = prefix
        self.rng = rng
        self.tz = tz
        self.position_every = timedelta(seconds=position_every_s)
        self._sent_fix: dict[str, datetime] = {}
        self._held_fix: dict[str, Message] = {}

    def filter(self, messages: list[Message], now: datetime) -> list[Message]:
        share = self.shift.share(now.astimezone(self.tz).hour)
        out: list[Message] = []
        reporting = {topic.split("/")[-2] for topic, _ in messages
                     if topic.endswith("/status")}
        for topic, payload in messages:
            parts = topic[len(self.prefix) + 1:].split("/")
            if parts[0] == "event" and parts[-1] in SIGNAL_SOURCES:
                if share < 1.0 and self.rng.random() >= share:
                    continue
            elif parts[0] == "unit" and parts[-1] == "location":
                self._held_fix[parts[1]] = (topic, payload)
                continue
            out.append((topic, payload))
        for unit_id in list(self._held_fix):
            last = self._sent_fix.get(unit_id)
            if unit_id in reporting or last is None or now - last >= self.position_every:
                out.append(self._held_fix.pop(unit_id))
                self._sent_fix[unit_id] = now
        return out


def _load(what: str, loader: Callable[[Path], T], path: Path) -> T:
    try:
        return loader(path)
    except (OSError, ValueError, KeyError, TypeError) as exc:  # TOMLDecodeError is a ValueError
        raise RehearsalError(f"{what} file {path}: {exc}") from None


def shift_start(scenario: str, tz: Any, day: date = REFERENCE_DATE) -> datetime:
    return datetime.combine(day, _shift(scenario).starts, tzinfo=tz)


def _shift(name: str) -> Shift:
    try:
        return SHIFTS[name]
    except KeyError:
        raise RehearsalError(f"unknown scenario {name!r}: choose "
                             f"{' or '.join(sorted(SHIFTS))}") from None


def rehearse(db_url: str | None, *, scenario: str = "night", speed: float = 60.0, seed: int = 7,
             hours: float | None = None, start: datetime | None = None, rate: float = 0.5,
             dispatcher: DispatcherPolicy | None = None,
             supervisor: SupervisorPolicy | None = None, sla: Path | None = None,
             correlation: Path | None = None, position_every_s: float = 60.0,
             progress: Callable[[float], None] | None = None,
             sleep: Callable[[float], None] = time.sleep) -> dict[str, Any]:
    """Play the shift into `db_url` (None: a temporary SQLite file, removed afterwards) and
    return its outcome (see `shift_report`) with the run's parameters.

    `speed` is simulated seconds per wall second (60: a 10-hour night in 10 minutes); 0 or
    infinity runs as fast as the machine goes. `rate` is the peak signal rate (1.0 ≈ 1.5
    case-worthy signals a minute; the default 0.5 is a busy evening for the district's 12
    officers), shaped by the shift's hourly profile. `sla`/`correlation` replace the shipped
    policy files, which is what a hall tunes. A database that already holds cases is refused:
    a rehearsal's cases in a live hall would be a disaster.
    """
    shift = _shift(scenario)
    if math.isnan(speed) or speed < 0:
        raise RehearsalError(f"speed must be >= 0 (0 or inf: as fast as possible), not {speed}")
    if hours is not None and not (math.isfinite(hours) and hours > 0):
        raise RehearsalError(f"hours must be a positive number, not {hours}")
    if not (math.isfinite(rate) and rate >= 0):
        raise RehearsalError(f"rate must be a number >= 0, not {rate}")
    if start is not None and start.utcoffset() is None:
        raise RehearsalError(f"start must carry its UTC offset, not {start.isoformat()}")
    policy = _load("SLA", SlaPolicy.load, sla) if sla is not None else None
    rule = _load("correlation", CorrelationRule.load, correlation) if correlation else None
    scratch = None
    if db_url is None:
        scratch = Path(tempfile.mkdtemp(prefix="cc-rehearsal-"))
        db_url = f"sqlite+pysqlite:///{scratch / 'rehearsal.db'}"
    try:
        hall = open_hall(Settings(db_url=db_url))
        try:
            if policy is not None:
                hall.ctx.policy = policy
            if rule is not None:
                hall.ctx.correlation = rule
            return _run(hall, shift, speed=speed, seed=seed, hours=hours, start=start,
                        rate=rate, dispatcher=dispatcher, supervisor=supervisor,
                        position_every_s=position_every_s,
                        progress=progress, sleep=sleep)
        finally:
            hall.close()
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


def _run(hall: Hall, shift: Shift, *, speed: float, seed: int, hours: float | None,
         start: datetime | None, rate: float, dispatcher: DispatcherPolicy | None,
         supervisor: SupervisorPolicy | None, position_every_s: float,
         progress: Callable[[float], None] | None,
         sleep: Callable[[float], None]) -> dict[str, Any]:
    ctx = hall.ctx
    with ctx.db.read() as session:
        existing = int(session.scalar(select(func.count()).select_from(CaseRow)) or 0)
    if existing:
        raise RehearsalError(
            f"数据库 {ctx.db.display_url()} 已有 {existing} 个案件：演练只写入新的空数据库"
            f" (a rehearsal needs an empty database; this one holds {existing} cases)")
    begin = (start or shift_start(shift.name, ctx.tz)).astimezone(ctx.tz)
    end = begin + timedelta(hours=hours if hours is not None else shift.hours)
    mark = RunMark.of(ctx.db)

    scene = Scenario(seed, rate, start=begin, prefix=ctx.topic_prefix)
    SiteService(ctx).register(demo_sites(scene.places, seed))
    speaker_service = SpeakerService(ctx, hall.outbox)
    speakers = SimulatedSpeakers(speaker_service, random.Random(f"cc.rehearsal/speakers/{seed}"))
    desk = RehearsalDispatcher(hall, speaker_service, seed, dispatcher)
    chief = SimulatedSupervisor(hall, seed, supervisor, on_decided=desk.decided)
    feed = ShiftFeed(shift, ctx.topic_prefix, random.Random(f"cc.rehearsal/feed/{seed}"),
                     ctx.tz, position_every_s=position_every_s)

    clock = SteppingClock(begin)
    real_clock = ctx.clock
    ctx.clock = clock

    def publish(topic: str, payload: bytes) -> None:
        parts = topic[len(ctx.topic_prefix) + 1:].split("/")
        if parts[0] == "dispatch":
            scene.on_dispatch(parts[1], payload, clock.now)
        elif parts[0] == "speaker" and parts[-1] == "say":
            speakers.on_say(parts[1], payload, clock.now)

    hall.outbox.set_publisher(publish)
    wall_start = time.monotonic()
    span = (end - begin).total_seconds()
    try:
        desk.observe(hall.cases.register_units(scene.roster()))
        desk.observe(hall.ingest.writer.process(_sign_on(scene, ctx.topic_prefix, begin)))
        next_housekeeping = begin + HOUSEKEEPING_EVERY
        while clock.now < end:
            clock.now = min(clock.now + STEP, end)
            now = clock.now
            batch = [InboundMessage(topic, payload, now)
                     for topic, payload in feed.filter(scene.advance(now), now)]
            if batch:
                desk.observe(hall.ingest.writer.process(batch))
            speakers.step(now)
            if now >= next_housekeeping:
                desk.observe(hall.ingest.writer.housekeeping())
                next_housekeeping += HOUSEKEEPING_EVERY
            chief.observe(desk.step(now))
            desk.observe(chief.step(now))
            if progress is not None:
                progress((now - begin).total_seconds() / span)
            if 0 < speed < math.inf:
                ahead = wall_start + (now - begin).total_seconds() / speed - time.monotonic()
                if ahead > 0:
                    sleep(ahead)
    finally:
        ctx.clock = real_clock if real_clock is not clock else utc_now
        hall.outbox.set_publisher(None)
    wall = time.monotonic() - wall_start

    report: dict[str, Any] = {
        "scenario": shift.name, "seed": seed, "rate": rate,
        "speed": speed if math.isfinite(speed) else 0,  # 0: as fast as possible
        "start": begin.isoformat(), "end": end.isoformat(),
        "hours": round(span / 3600, 3),
    }
    report.update(shift_report(ctx.db, mark, end, policy=ctx.policy,
                                persuaded_note=PERSUADED_NOTE))
    report["wall_seconds"] = round(wall, 2)  # the only figure that differs between runs
    log.info("rehearsal %s seed %d: %d cases in %.1f s", shift.name, seed,
             report["cases"]["total"], wall)
    return report


def _sign_on(scene: Scenario, prefix: str, at: datetime) -> list[InboundMessage]:
    """Every officer reports for duty, available at their base, as the shift begins."""
    wire = Wire(prefix)
    out = []
    for unit in scene.roster():
        out.append(InboundMessage(*wire.status(unit.id, "available", at), at))
        if unit.lat is not None and unit.lon is not None:
            out.append(InboundMessage(*wire.location(unit.id, unit.lat, unit.lon, at), at))
    return out


def without_wall_clock(report: dict[str, Any]) -> dict[str, Any]:
    """The report minus what depends on the machine, for comparing runs."""
    return {k: v for k, v in report.items() if k != "wall_seconds"}


def format_report(report: dict[str, Any]) -> str:
    """The outcome in a few lines, for a person at a terminal (`--json` for scripts)."""
    cases, req, scene = report["cases"], report["requests"], report["on_scene_minutes"]

    def pct(value: float | None) -> str:
        return "–" if value is None else f"{value * 100:.0f} %"

    def minutes(value: float | None) -> str:
        return "–" if value is None else f"{value} min"

    states = ", ".join(f"{k} {v}" for k, v in cases["by_state"].items() if v)
    return "\n".join([
        f"rehearsal {report['scenario']} seed {report['seed']}: {report['start']} → "
        f"{report['end']} ({report['wall_seconds']} s)",
        f"signals {report['signals']}, cases {cases['total']} ({states})",
        f"merged {report['merged_signals']}, persuaded by speaker {report['persuasions']}"
        f" of {report['speaker_warnings']} warnings, reworks {report['reworks']}",
        f"escalations {report['escalations']}; overdue ever {report['overdue']['ever']}, "
        f"at the end {report['overdue']['at_end']}",
        f"requests {req['made']}: approved {req['approved']}, refused {req['refused']}, "
        f"pending {req['pending']}",
        f"on scene (立案→到场) p50 {minutes(scene['p50'])}, p90 {minutes(scene['p90'])} "
        f"(n {scene['n']});"
        f" on time {pct(report['on_time_rate'])} "
        f"({pct(report['on_time_rate_without_extensions'])} without 延期); closed within SLA "
        f"{pct(report['closed_within_sla_rate'])}",
        f"audit chain {'ok' if report['audit']['chain_ok'] else 'BROKEN'}, "
        f"{report['quarantined']} messages quarantined",
    ])
