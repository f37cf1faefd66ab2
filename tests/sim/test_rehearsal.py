"""Rehearsal (演练): a night played headless at full speed through the real hall.

The issue's test: "A full night scenario with the simulator at accelerated time: signals, merges,
dispatches, officer replies, one overdue escalation, one supervised extension, one rework —
asserting the final states, the timer outcomes and the audit entries." A two-hour slice of the
night keeps it fast; the seed and the dispatcher's rework share make every one of those happen.
"""

from __future__ import annotations

import itertools
import json
import random
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from commandcenter.domain.case import TRANSITIONS, Action, CaseState
from commandcenter.services import audit
from commandcenter.sim.rehearsal import (
    SHIFTS,
    RehearsalError,
    ShiftFeed,
    rehearse,
    shift_start,
    without_wall_clock,
)
from commandcenter.sim.rehearsal_dispatcher import PERSUADED_NOTE, DispatcherPolicy
from commandcenter.sim.wire import Wire
from commandcenter.store.database import open_database
from commandcenter.store.schema import AuditRow, CaseRow, RequestRow

TZ = ZoneInfo("Asia/Shanghai")
POLICY = DispatcherPolicy(rework_share=0.3)  # several failed checks in two hours, not one by luck
# Audit entries that are not a transition of the case they name.
NOT_TRANSITIONS = {"escalate", "attach", "refuse", "split", "speaker_say", "speaker_ack",
                   "speaker_outcome"}


@dataclass
class Night:
    url: str
    report: dict[str, Any]
    cases: list[CaseRow]
    entries: list[AuditRow]
    requests: list[RequestRow]
    chain_ok: bool


@pytest.fixture(scope="module")
def night(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Night]:
    url = f"sqlite+pysqlite:///{tmp_path_factory.mktemp('rehearsal') / 'night.db'}"
    with pytest.MonkeyPatch.context() as mp:  # never the real user folders
        base = tmp_path_factory.mktemp("userdirs")
        for name in ("DATA", "CONFIG", "LOG"):
            mp.setenv(f"CC_{name}_DIR", str(base / name.lower()))
        report = rehearse(url, scenario="night", speed=0, seed=7, hours=2, dispatcher=POLICY)
    db = open_database(url)
    try:
        with db.read() as s:
            cases = list(s.scalars(select(CaseRow).order_by(CaseRow.id)))
            entries = list(s.scalars(select(AuditRow).order_by(AuditRow.id)))
            requests = list(s.scalars(select(RequestRow).order_by(RequestRow.id)))
            chain_ok = audit.verify(s).ok
    finally:
        db.dispose()
    yield Night(url, report, cases, entries, requests, chain_ok)


def _trail(night: Night) -> dict[int, list[AuditRow]]:
    trail: dict[int, list[AuditRow]] = defaultdict(list)
    for entry in night.entries:
        if entry.case_id is not None:
            trail[entry.case_id].append(entry)
    return trail


def test_every_case_ends_in_a_state_its_audited_actions_lead_to(night: Night) -> None:
    by_state = night.report["cases"]["by_state"]
    assert by_state["closed"] > 5 and night.report["cases"]["open"] > 0
    assert sum(by_state.values()) == night.report["cases"]["total"] == len(night.cases)
    trail = _trail(night)
    for case in night.cases:
        entries = trail[case.id]
        assert entries[0].action == "report", case.number
        state, before = CaseState.REPORTED, CaseState.REPORTED
        for entry in entries[1:]:
            if entry.action in NOT_TRANSITIONS or entry.action.startswith("request_"):
                continue
            action = Action.CANCEL if entry.action == "merge" else Action(entry.action)
            if action is Action.SUSPEND:
                before = state
            nxt = before if action is Action.RESUME else TRANSITIONS.get((state, action))
            assert nxt is not None, f"{case.number}: {action} in {state} is illegal"
            state = nxt
        assert state.value == case.state, case.number


def test_proposed_duplicates_are_merged_into_their_case(night: Night) -> None:
    merged = [c for c in night.cases if c.merged_into is not None]
    assert merged and night.report["merged_signals"] == len(merged)
    numbers = {c.id: c.number for c in night.cases}
    attaches = {(e.case_id, e.note) for e in night.entries if e.action == "attach"}
    for signal in merged:
        assert signal.state == "cancelled" and signal.event_count == 0
        assert signal.cancel_reason == f"并入 {numbers[signal.merged_into]}"
        assert any(cid == signal.merged_into and signal.number in (note or "")
                   for cid, note in attaches)


def test_an_overdue_case_is_escalated_once_and_counted(night: Night) -> None:
    escalations = [e for e in night.entries if e.action == "escalate"]
    assert escalations and night.report["escalations"] == len(escalations)
    assert all(e.actor == "system:督办" and "超时" in (e.note or "") for e in escalations)
    # Flagged once until dealt with: no case is escalated twice without an action between.
    trail = _trail(night)
    for case_id in {e.case_id for e in escalations}:
        actions = [e.action for e in trail[case_id]]
        for a, b in itertools.pairwise(actions):
            assert not (a == "escalate" and b == "escalate"), actions
    overdue = night.report["overdue"]
    assert overdue["ever"] >= len({e.case_id for e in escalations}) >= 1
    assert 0 <= overdue["at_end"] <= night.report["cases"]["open"]


def test_extensions_are_asked_for_and_decided_by_the_supervisor(night: Night) -> None:
    extends = [r for r in night.requests if r.action == "extend"]
    approved = [r for r in extends if r.status == "approved"]
    assert approved, "no supervised extension was granted"
    for request in approved:
        assert request.minutes is not None and request.minutes <= 30 and request.reason
        assert request.decided_by == "user:演练值班长"
        assert request.decided_at is not None
        assert timedelta(0) < request.decided_at - request.requested_at <= timedelta(minutes=5)
        granted = [e for e in night.entries if e.case_id == request.case_id
                   and e.action == "extend" and e.actor == "user:演练值班长"]
        assert granted and "批准" in (granted[0].note or "")
    for request in extends:
        if request.status == "refused":  # too long, or no longer needed
            assert (request.minutes or 0) > 30 or "无需" in (request.decision_note or "") \
                or "无法执行" in (request.decision_note or "")
    made = night.report["requests"]
    assert made["made"] == len(night.requests) == made["approved"] + made["refused"] + \
        made["pending"]


def test_a_failed_check_is_reworked_after_approval(night: Night) -> None:
    reworks = [e for e in night.entries if e.action == "rework"]
    assert reworks and night.report["reworks"] == len(reworks)
    trail = _trail(night)
    for entry in reworks:
        assert entry.actor == "user:演练值班长" and "批准" in (entry.note or "")
        before = [e for e in trail[entry.case_id] if e.id < entry.id]
        steps = [e for e in before
                 if e.action not in NOT_TRANSITIONS and not e.action.startswith("request_")]
        assert [e.action for e in steps[-2:]] == ["handle", "check"]  # sent back from 核查
        asked = [e for e in before if e.action == "request_rework"]
        assert asked and asked[-1].id > steps[-1].id  # the dispatcher asked after the check


def test_the_timer_outcomes_are_consistent(night: Night) -> None:
    r = night.report
    scene = r["on_scene_minutes"]
    assert scene["n"] > 10 and 0 < scene["p50"] <= scene["p90"]
    for rate in ("on_time_rate", "on_time_rate_without_extensions", "closed_within_sla_rate"):
        assert 0.0 <= r[rate] <= 1.0, rate
    # Extensions granted only ever make more arrivals count as in time.
    assert r["on_time_rate_without_extensions"] <= r["on_time_rate"] + 0.1
    arrived = [c for c in night.cases if c.arrived_at is not None]
    assert r["arrivals"] <= len({e.case_id for e in night.entries if e.action == "arrive"})
    assert len(arrived) <= scene["n"]


def test_the_report_is_json_with_the_promised_keys(night: Night) -> None:
    r = json.loads(json.dumps(night.report, ensure_ascii=False, allow_nan=False))
    for key in ("scenario", "seed", "start", "end", "signals", "cases", "merged_signals",
                "escalations", "overdue", "requests", "persuasions", "on_scene_minutes",
                "on_time_rate", "closed_within_sla_rate", "wall_seconds"):
        assert key in r, key
    assert r["scenario"] == "night" and r["start"] == "2026-11-27T20:00:00+08:00"
    assert r["end"] == "2026-11-27T22:00:00+08:00"
    assert set(r["overdue"]) == {"at_end", "ever"}
    assert set(r["on_scene_minutes"]) == {"p50", "p90", "n"}
    assert r["signals"] >= r["cases"]["total"] > 0
    cancelled = r["cases"]["cancelled"]
    assert sum(cancelled.values()) == r["cases"]["by_state"]["cancelled"]
    assert r["persuasions"] == cancelled["persuaded"] <= r["speaker_warnings"]
    persuaded = [c for c in night.cases if c.cancel_reason == PERSUADED_NOTE]
    assert len(persuaded) == r["persuasions"] and all(c.category in ("0501", "0502")
                                                      for c in persuaded)


def test_the_audit_chain_verifies(night: Night) -> None:
    assert night.chain_ok and night.report["audit"]["chain_ok"]
    assert night.report["audit"]["entries"] == len(night.entries)


def _short(tmp_path: Path, name: str, **kw: Any) -> dict[str, Any]:
    return without_wall_clock(rehearse(f"sqlite+pysqlite:///{tmp_path / name}", speed=0,
                                       seed=11, hours=0.5, **kw))


@pytest.fixture(scope="module")
def half_hour(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return _short(tmp_path_factory.mktemp("half"), "h.db")


def test_same_seed_same_outcome(half_hour: dict[str, Any], tmp_path: Path) -> None:
    assert half_hour["dispatches"] > 0 and half_hour["on_scene_minutes"]["n"] > 0
    assert half_hour == _short(tmp_path, "again.db")


def test_a_candidate_sla_file_is_what_the_rehearsal_measures(half_hour: dict[str, Any],
                                                              tmp_path: Path) -> None:
    strict = tmp_path / "sla.toml"
    strict.write_text('[default]\nregister = "1m"\naccept = "1m"\narrive = "4m"\n'
                      'resolve = "10m"\ncheck = "5m"\n', encoding="utf-8")
    tight = _short(tmp_path, "strict.db", sla=strict)
    assert tight["escalations"] > half_hour["escalations"]
    assert tight["on_time_rate_without_extensions"] < half_hour["on_time_rate_without_extensions"]
    assert tight["requests"]["by_action"]["extend"]["made"] > \
        half_hour["requests"]["by_action"].get("extend", {}).get("made", 0)
    broken = tmp_path / "broken.toml"
    broken.write_text("[default\n", encoding="utf-8")
    with pytest.raises(RehearsalError, match="SLA file"):
        rehearse(None, speed=0, sla=broken)


def test_nothing_the_simulation_sends_is_quarantined(night: Night) -> None:
    assert night.report["quarantined"] == 0


def test_a_database_with_cases_is_refused(night: Night) -> None:
    with pytest.raises(RehearsalError, match="empty database"):
        rehearse(night.url, speed=0, hours=0.1)


def test_bad_arguments_are_refused_with_a_reason() -> None:
    with pytest.raises(RehearsalError, match="unknown scenario 'dawn'"):
        rehearse(None, scenario="dawn", speed=0)
    with pytest.raises(RehearsalError, match="speed"):
        rehearse(None, speed=-1)
    with pytest.raises(RehearsalError, match="hours"):
        rehearse(None, speed=0, hours=0)
    with pytest.raises(RehearsalError, match="rate"):
        rehearse(None, speed=0, rate=-1)
    with pytest.raises(RehearsalError, match="offset"):
        rehearse(None, speed=0, start=datetime(2026, 11, 27, 20, 0))


def test_speed_paces_simulated_time_against_the_wall_clock(tmp_path: Path) -> None:
    slept: list[float] = []
    rehearse(f"sqlite+pysqlite:///{tmp_path / 'a.db'}", speed=60, hours=0.05,
             sleep=slept.append)
    # 180 simulated seconds at 60x: never more than 3 s of waiting in total, in 10 s steps.
    assert slept and max(slept) <= 180 / 60 and slept[0] <= 10 / 60
    fast: list[float] = []
    rehearse(f"sqlite+pysqlite:///{tmp_path / 'b.db'}", speed=0, hours=0.05, sleep=fast.append)
    assert fast == []


def test_the_night_feed_thins_signals_after_midnight_and_throttles_positions() -> None:
    wire = Wire("cc/v1")
    feed = ShiftFeed(SHIFTS["night"], "cc/v1", random.Random(1), TZ, position_every_s=60)

    def signals(hour: int) -> int:
        at = datetime(2026, 11, 27, hour, 0, tzinfo=TZ)
        msgs = [wire.event(source="suishoupai", source_id=f"s{hour}-{i}", kind="report", at=at,
                           lat=32.0, lon=120.9) for i in range(1000)]
        msgs.append(wire.event(source="oilfume", source_id=f"o{hour}", kind="reading", at=at,
                               lat=32.0, lon=120.9))
        out = feed.filter(msgs, at)
        assert any("/oilfume" in t for t, _ in out)  # telemetry is never thinned
        return len(out) - 1

    assert signals(21) == 1000
    assert 250 <= signals(2) <= 350  # 30 % of the evening's rate
    t0 = datetime(2026, 11, 27, 21, 0, tzinfo=TZ)
    kept = []
    for s in range(0, 120, 10):
        at = t0 + timedelta(seconds=s)
        kept += feed.filter([wire.location("u-1", 32.0, 120.9, at)], at)
    assert len(kept) == 2  # one a minute
    at = t0 + timedelta(seconds=125)
    out = feed.filter([wire.location("u-1", 32.0, 120.9, at),
                       wire.status("u-1", "on_scene", at, case_id="CC-1")], at)
    assert len(out) == 2  # a status report brings its position along


def test_shifts_start_at_their_local_hour() -> None:
    assert shift_start("night", TZ).isoformat() == "2026-11-27T20:00:00+08:00"
    assert shift_start("day", TZ).hour == 8
