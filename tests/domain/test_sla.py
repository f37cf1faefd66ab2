"""Time allowances, the working-hours calendar and the deadlines they put on a case."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commandcenter.domain.case import Action, Case, CaseState, Deadline, transition
from commandcenter.domain.sla import (
    KINDS,
    SlaConfigError,
    SlaPolicy,
    TimerLevel,
    WorkingCalendar,
    apply_deadlines,
    initial_deadlines,
    parse_duration,
    timer_fraction,
    timer_level,
)
from commandcenter.store.database import Database, open_database
from commandcenter.store.repositories import CaseRepo

SH = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
DEFAULT = {"register": "10m", "accept": "5m", "arrive": "30m", "resolve": "4h", "check": "2h",
           "calendar": "24x7"}


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=SH)  # type: ignore[misc]


@pytest.fixture(scope="module")
def policy() -> SlaPolicy:
    return SlaPolicy.load()


@pytest.fixture(scope="module")
def office(policy: SlaPolicy) -> WorkingCalendar:
    calendar = policy.allowances("0201", 3).calendar
    assert calendar is not None
    return calendar


# --- durations -----------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("15m", timedelta(minutes=15)),
    ("2h", timedelta(hours=2)),
    ("1h30m", timedelta(hours=1, minutes=30)),
    ("45s", timedelta(seconds=45)),
    ("1d", timedelta(days=1)),
    ("1d2h3m4s", timedelta(days=1, hours=2, minutes=3, seconds=4)),
    (" 20m ", timedelta(minutes=20)),
    ("0m", timedelta(0)),
])
def test_parse_duration(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "15", "m", "1.5h", "15 minutes", "1m1h", "-5m", "15M",
                                  "h1", "1h 30m", 15, None, ["15m"]])
def test_parse_duration_rejects_what_is_not_a_duration(text: Any) -> None:
    with pytest.raises(SlaConfigError, match="is not a duration like") as info:
        parse_duration(text)
    assert repr(text) in str(info.value)


@settings(max_examples=100, deadline=None)
@given(d=st.integers(0, 30), h=st.integers(0, 48), m=st.integers(0, 600), s=st.integers(0, 99))
def test_parse_duration_reads_any_well_formed_text(d: int, h: int, m: int, s: int) -> None:
    text = f"{d}d{h}h{m}m{s}s"
    assert parse_duration(text) == timedelta(days=d, hours=h, minutes=m, seconds=s)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=12))
def test_parse_duration_never_fails_otherwise(text: str) -> None:
    try:
        value = parse_duration(text)
    except SlaConfigError:
        return
    assert value >= timedelta(0)


# --- policy lookup -------------------------------------------------------------------------

def test_field_defaults_from_the_shipped_policy(policy: SlaPolicy) -> None:
    vendor = policy.allowances("0501", 2)  # 占道经营: on scene within 15 minutes
    assert vendor.arrive == timedelta(minutes=15)
    assert vendor.resolve == timedelta(hours=1)
    assert vendor.register == timedelta(minutes=10)  # from [default]
    assert vendor.calendar is None  # 24/7: night duty exists
    fume = policy.allowances("0601", 2)  # 油烟超标: on scene within 20 minutes
    assert fume.arrive == timedelta(minutes=20)
    assert fume.resolve == timedelta(hours=2)


def test_priority_one_overrides_the_default_but_not_the_category(policy: SlaPolicy) -> None:
    routine = policy.allowances("0101", 3)
    urgent = policy.allowances("0101", 1)
    assert routine.arrive == timedelta(minutes=30) and urgent.arrive == timedelta(minutes=15)
    assert routine.register == timedelta(minutes=10) and urgent.register == timedelta(minutes=3)
    assert urgent.resolve == timedelta(hours=2)
    # A category's own value beats the priority table…
    assert policy.allowances("0501", 1).resolve == timedelta(hours=1)
    assert policy.allowances("0401", 1).register == timedelta(minutes=2)
    # …but where the category is silent, priority 1 still applies.
    assert policy.allowances("0601", 1).register == timedelta(minutes=3)
    assert policy.allowances("0601", 1).accept == timedelta(minutes=3)


def test_a_class_entry_covers_its_categories(policy: SlaPolicy) -> None:
    ads = policy.allowances("0202", 3)  # class 02 (宣传广告) runs on office hours
    assert ads.arrive == timedelta(hours=2) and ads.resolve == timedelta(hours=7, minutes=30)
    assert ads.calendar is not None
    assert policy.allowances("0101", 3).calendar is None


def test_unknown_category_uses_the_default(policy: SlaPolicy) -> None:
    allow = policy.allowances("9999", 3)
    assert [allow.of(k) for k in KINDS] == [parse_duration(DEFAULT[k]) for k in KINDS]


def test_lookup_order() -> None:
    """category+priority > category > class+priority > class > priority > default."""
    p = SlaPolicy({
        "default": DEFAULT,
        "priority": {"1": {"register": "1m", "accept": "1m", "arrive": "1m", "resolve": "1m",
                           "check": "1m"}},
        "category": {
            "05": {"accept": "2m", "arrive": "2m", "resolve": "2m",
                   "priority": {"1": {"arrive": "3m", "resolve": "3m"}}},
            "0501": {"resolve": "4m", "priority": {"1": {"check": "5m"}}},
        },
    })
    allow = p.allowances("0501", 1)
    assert allow.check == timedelta(minutes=5)  # category + priority
    assert allow.resolve == timedelta(minutes=4)  # category
    assert allow.arrive == timedelta(minutes=3)  # class + priority
    assert allow.accept == timedelta(minutes=2)  # class
    assert allow.register == timedelta(minutes=1)  # priority
    routine = p.allowances("0501", 3)
    assert routine.check == timedelta(hours=2)  # default
    assert routine.resolve == timedelta(minutes=4) and routine.arrive == timedelta(minutes=2)


# --- malformed configuration ---------------------------------------------------------------

@pytest.mark.parametrize(("config", "says"), [
    ({"default": {"register": "10m"}}, "missing"),
    ({"default": {**DEFAULT, "arrive": "half an hour"}}, "half an hour"),
    ({"default": DEFAULT, "category": {"0501": {"arrive": "15 minutes"}}}, "15 minutes"),
    ({"default": DEFAULT, "category": {"0501": {"priority": {"1": {"arrive": 15}}}}}, "15"),
    ({"default": DEFAULT, "category": {"0501": {"calendar": "office"}}}, "office"),
    ({"default": DEFAULT, "category": {"0501": "15m"}}, "0501"),
    ({"default": DEFAULT, "calendars": {"office": {"periods": ["08:30~12:00"]}}}, "office"),
    ({"default": DEFAULT, "calendars": {"office": {"periods": ["08:30-25:00"]}}}, "office"),
    ({"default": DEFAULT, "calendars": {"office": {"periods": ["17:30-08:30"]}}}, "office"),
    ({"default": DEFAULT, "calendars": {"office": {"periods": ["08:30-12:00"],
                                                   "timezone": "Mars/Olympus"}}}, "office"),
    ({"default": DEFAULT, "calendars": {"office": "08:30-12:00"}}, "office"),
])
def test_malformed_config_is_refused_when_loaded(config: dict[str, Any], says: str) -> None:
    """A typo in sla.toml stops the program at start, not at the first 占道 report at night."""
    with pytest.raises(SlaConfigError) as info:
        SlaPolicy(config)
    assert says in str(info.value)


def test_default_without_a_calendar_runs_around_the_clock() -> None:
    config = {"default": {k: v for k, v in DEFAULT.items() if k != "calendar"}}
    assert SlaPolicy(config).allowances("0501", 2).calendar is None


def test_toml_syntax_error_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "sla.toml"
    path.write_text('[default]\nregister = "10m\n', encoding="utf-8")
    with pytest.raises(SlaConfigError, match=r"sla\.toml"):
        SlaPolicy.load(path)


def test_a_calendar_without_working_time_is_an_error() -> None:
    never = WorkingCalendar(periods=(), weekdays=frozenset(), holidays=frozenset(), tz=SH)
    with pytest.raises(SlaConfigError, match="no working time"):
        never.add(T0, timedelta(hours=1))


# --- working calendar ----------------------------------------------------------------------

@pytest.mark.parametrize(("start", "amount", "end"), [
    # Friday 16:30 + 2 working hours: one hour on Friday, one on Monday morning.
    (local(2026, 11, 27, 16, 30), timedelta(hours=2), local(2026, 11, 30, 9, 30)),
    # The lunch break (12:00–13:30) does not count.
    (local(2026, 11, 26, 11, 0), timedelta(hours=2), local(2026, 11, 26, 14, 30)),
    (local(2026, 11, 26, 12, 30), timedelta(minutes=30), local(2026, 11, 26, 14, 0)),
    # Reported at night: the clock starts next morning.
    (local(2026, 11, 25, 20, 0), timedelta(hours=1), local(2026, 11, 26, 9, 30)),
    (local(2026, 11, 26, 6, 0), timedelta(minutes=10), local(2026, 11, 26, 8, 40)),
    # Saturday: Monday morning.
    (local(2026, 11, 28, 10, 0), timedelta(hours=1), local(2026, 11, 30, 9, 30)),
    # Exactly filling a period ends at its close, not after lunch.
    (local(2026, 11, 26, 8, 30), timedelta(hours=3, minutes=30), local(2026, 11, 26, 12, 0)),
    # One working day is 7.5 hours.
    (local(2026, 11, 26, 8, 30), timedelta(hours=7, minutes=30), local(2026, 11, 26, 17, 30)),
    # New Year's Day 2027 (a Friday) is a holiday: Thursday 17:00 + 1h ends Monday 09:00.
    (local(2026, 12, 31, 17, 0), timedelta(hours=1), local(2027, 1, 4, 9, 0)),
])
def test_working_calendar_add(office: WorkingCalendar, start: datetime, amount: timedelta,
                              end: datetime) -> None:
    due = office.add(start.astimezone(UTC), amount)
    assert due == end
    assert due.tzinfo is UTC
    assert office.elapsed(start, due) == amount


def test_working_calendar_elapsed_skips_nights_and_weekends(office: WorkingCalendar) -> None:
    friday = local(2026, 11, 27, 16, 30)
    assert office.elapsed(friday, local(2026, 11, 30, 9, 30)) == timedelta(hours=2)
    assert office.elapsed(local(2026, 11, 28, 0, 0), local(2026, 11, 29, 23, 59)) == timedelta()
    assert office.elapsed(local(2026, 11, 26, 12, 0), local(2026, 11, 26, 13, 30)) == timedelta()
    week = office.elapsed(local(2026, 11, 23, 0, 0), local(2026, 11, 30, 0, 0))
    assert week == timedelta(hours=7.5 * 5)


@settings(max_examples=60, deadline=None)
@given(start=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31),
                          timezones=st.just(UTC)),
       minutes=st.integers(0, 60 * 24 * 5))
def test_working_calendar_add_and_elapsed_agree(office: WorkingCalendar, start: datetime,
                                                minutes: int) -> None:
    amount = timedelta(minutes=minutes)
    due = office.add(start, amount)
    assert due >= start
    assert office.elapsed(start, due) == amount
    # A deadline never falls outside working hours (unless nothing was asked for).
    if minutes:
        t = due.astimezone(SH)
        assert t.isoweekday() <= 5
        at = t.time()  # to the microsecond: 08:30:00.000001 is inside the morning period
        assert time(8, 30) < at <= time(12, 0) or time(13, 30) < at <= time(17, 30)


# --- deadlines on a case ------------------------------------------------------------------

def new_case(policy: SlaPolicy, category: str = "0501", priority: int = 2,
             at: datetime = T0) -> Case:
    case = Case(id=1, number="CC-20261128-0001", category=category, priority=priority,
                title="占道经营", state=CaseState.REPORTED, reported_at=at, updated_at=at)
    return replace(case, deadlines=initial_deadlines(policy, category, priority, at))


def act(case: Case, action: Action, policy: SlaPolicy, at: datetime) -> Case:
    """What the case service does: transition, then recompute the deadlines."""
    after = transition(case, action, at)
    return replace(after, deadlines=apply_deadlines(case, after, action, policy, at))


def test_a_new_signal_must_be_triaged(policy: SlaPolicy) -> None:
    case = new_case(policy)
    assert list(case.deadlines) == ["register"]
    assert case.deadlines["register"].due == T0 + timedelta(minutes=10)
    assert case.next_deadline() is case.deadlines["register"]


def test_deadlines_along_the_loop(policy: SlaPolicy) -> None:
    case = new_case(policy)
    t1 = T0 + timedelta(minutes=2)
    case = act(case, Action.REGISTER, policy, t1)
    assert case.deadlines["register"].met_at == t1
    assert case.deadlines["arrive"] == Deadline("arrive", t1 + timedelta(minutes=15), 900.0)
    assert case.deadlines["resolve"] == Deadline("resolve", t1 + timedelta(hours=1), 3600.0)
    assert case.next_deadline().kind == "arrive"

    t2 = t1 + timedelta(minutes=1)
    case = act(case, Action.DISPATCH, policy, t2)
    assert case.deadlines["accept"].due == t2 + timedelta(minutes=5)
    assert case.next_deadline().kind == "accept"
    t3 = t2 + timedelta(minutes=1)
    case = act(case, Action.ACCEPT, policy, t3)
    assert case.deadlines["accept"].met_at == t3
    t4 = t3 + timedelta(minutes=9)
    case = act(case, Action.ARRIVE, policy, t4)
    assert case.deadlines["arrive"].met_at == t4
    assert case.next_deadline().kind == "resolve"

    t5 = t4 + timedelta(minutes=20)
    case = act(case, Action.HANDLE, policy, t5)
    assert case.deadlines["resolve"].met_at == t5
    assert case.deadlines["check"] == Deadline("check", t5 + timedelta(hours=2), 7200.0)
    assert case.next_deadline().kind == "check"
    t6 = t5 + timedelta(minutes=30)
    case = act(act(case, Action.CHECK, policy, t6), Action.CLOSE, policy, t6)
    assert case.deadlines["check"].met_at == t6
    assert all(d.met_at is not None for d in case.deadlines.values())
    assert case.next_deadline() is None
    # A milestone already met keeps its first time.
    again = apply_deadlines(case, case, Action.ARRIVE, policy, t6 + timedelta(hours=1))
    assert again["arrive"].met_at == t4


def test_resume_shifts_unmet_deadlines_by_the_suspended_time(policy: SlaPolicy) -> None:
    case = act(new_case(policy), Action.REGISTER, policy, T0)
    case = act(case, Action.DISPATCH, policy, T0)
    case = act(case, Action.ACCEPT, policy, T0 + timedelta(minutes=1))
    before = case.deadlines
    suspended = act(case, Action.SUSPEND, policy, T0 + timedelta(minutes=5))
    assert suspended.deadlines == before  # suspending moves nothing…
    assert suspended.next_deadline() is None  # …it stops the clock
    assert timer_level(suspended, T0 + timedelta(hours=5)) is TimerLevel.IDLE

    resumed = act(suspended, Action.RESUME, policy, T0 + timedelta(hours=2, minutes=5))
    assert resumed.state is CaseState.IN_PROGRESS
    for kind in ("arrive", "resolve"):
        assert resumed.deadlines[kind].due == before[kind].due + timedelta(hours=2)
        assert resumed.deadlines[kind].allowance_s == before[kind].allowance_s
    for kind in ("register", "accept"):  # met before the suspension: history is not rewritten
        assert resumed.deadlines[kind] == before[kind]
    # Time used before the suspension still counts: 5 of 15 minutes.
    fraction = timer_fraction(resumed, T0 + timedelta(hours=2, minutes=5))
    assert fraction == pytest.approx(5 / 15)


def test_return_after_arrival_restarts_the_arrive_timer(policy: SlaPolicy) -> None:
    case = act(new_case(policy), Action.REGISTER, policy, T0)
    case = act(act(case, Action.DISPATCH, policy, T0), Action.ACCEPT, policy, T0)
    case = act(case, Action.ARRIVE, policy, T0 + timedelta(minutes=10))
    t = T0 + timedelta(minutes=20)
    returned = act(case, Action.RETURN, policy, t)
    assert "accept" not in returned.deadlines
    assert returned.deadlines["arrive"] == Deadline("arrive", t + timedelta(minutes=15), 900.0)
    assert returned.deadlines["resolve"] == case.deadlines["resolve"]


def test_rework_gives_the_unit_fresh_timers(policy: SlaPolicy) -> None:
    case = act(new_case(policy), Action.REGISTER, policy, T0)
    case = act(act(case, Action.DISPATCH, policy, T0), Action.ACCEPT, policy, T0)
    case = act(act(case, Action.ARRIVE, policy, T0), Action.HANDLE, policy, T0)
    t = T0 + timedelta(hours=1)
    reworked = act(case, Action.REWORK, policy, t)
    assert "check" not in reworked.deadlines
    assert reworked.deadlines["accept"].due == t + timedelta(minutes=5)
    assert reworked.deadlines["arrive"].due == t + timedelta(minutes=15)
    assert reworked.deadlines["resolve"].due == t + timedelta(hours=1)
    assert reworked.next_deadline().kind == "accept"


def test_office_hours_category_gets_a_working_time_deadline(policy: SlaPolicy) -> None:
    friday = local(2026, 11, 27, 16, 30).astimezone(UTC)
    case = act(new_case(policy, category="0201", priority=3, at=friday), Action.REGISTER, policy,
               friday)
    arrive = case.deadlines["arrive"]
    assert arrive.due == local(2026, 11, 30, 9, 30)
    # The colour follows the wall clock window: 2 working hours span 65 hours here.
    assert arrive.allowance_s == timedelta(hours=65).total_seconds()
    assert timer_level(case, local(2026, 11, 29, 12, 0)) is TimerLevel.OK


@pytest.mark.parametrize(("elapsed", "level"), [
    (timedelta(0), TimerLevel.OK),
    (timedelta(minutes=11, seconds=59), TimerLevel.OK),
    (timedelta(minutes=12), TimerLevel.WARN),  # 80 % of 15 minutes
    (timedelta(minutes=14, seconds=59), TimerLevel.WARN),
    (timedelta(minutes=15), TimerLevel.WARN),  # due now, not yet overdue
    (timedelta(minutes=15, seconds=1), TimerLevel.OVERDUE),
    (timedelta(hours=5), TimerLevel.OVERDUE),
])
def test_timer_level_boundaries(policy: SlaPolicy, elapsed: timedelta,
                                level: TimerLevel) -> None:
    case = act(new_case(policy), Action.REGISTER, policy, T0)  # arrive within 15 minutes
    assert timer_level(case, T0 + elapsed) is level


def test_timer_level_is_idle_without_a_running_timer(policy: SlaPolicy) -> None:
    case = act(new_case(policy), Action.REGISTER, policy, T0)
    late = T0 + timedelta(days=1)
    assert timer_level(case, late) is TimerLevel.OVERDUE
    assert timer_level(act(case, Action.SUSPEND, policy, T0), late) is TimerLevel.IDLE
    assert timer_level(act(case, Action.CANCEL, policy, T0), late) is TimerLevel.IDLE
    assert timer_level(replace(case, deadlines={}), late) is TimerLevel.IDLE
    assert timer_fraction(replace(case, deadlines={}), late) is None


# --- deadlines survive a restart -----------------------------------------------------------

@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest) -> Iterator[Database]:
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")
    database = open_database(url)
    yield database
    database.dispose()


def test_deadlines_read_back_from_the_database_are_unchanged(db: Database,
                                                             policy: SlaPolicy) -> None:
    reported = local(2026, 11, 28, 23, 50)  # a local time: stored as an absolute instant
    case = act(new_case(policy, at=reported), Action.REGISTER, policy,
               reported + timedelta(minutes=3))
    case = act(case, Action.DISPATCH, policy, reported + timedelta(minutes=4))
    case = act(case, Action.SUSPEND, policy, reported + timedelta(minutes=6))
    with db.write() as s:
        case = CaseRepo(s).add(case)
    # "Restart": a fresh engine reads the case back.
    url = db.url
    db.dispose()
    again = open_database(url)
    try:
        with again.read() as s:
            reread = CaseRepo(s).get(case.id or 0)
    finally:
        again.dispose()
    assert reread.deadlines == case.deadlines
    assert all(d.due.tzinfo is UTC for d in reread.deadlines.values())
    later = reported + timedelta(hours=2)
    resumed = act(reread, Action.RESUME, policy, later)
    expected = act(case, Action.RESUME, policy, later)
    assert resumed.deadlines == expected.deadlines
    for when in (later, later + timedelta(minutes=9), later + timedelta(hours=3)):
        assert timer_level(resumed, when) is timer_level(expected, when)
        assert timer_fraction(resumed, when) == timer_fraction(expected, when)


def test_next_level_change_marks_amber_then_red() -> None:
    """The map redraws only when a colour changes: at 80 % of the allowance, then past due."""
    from commandcenter.domain.case import Case, CaseState, Deadline
    from commandcenter.domain.sla import next_level_change

    start = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
    due = start + timedelta(minutes=15)
    case = Case(id=1, number="CC-1", category="0501", priority=2, title="摊贩",
                state=CaseState.REGISTERED, reported_at=start,
                deadlines={"arrive": Deadline("arrive", due, 900.0)})
    assert next_level_change(case, start) == start + timedelta(minutes=12)
    at = next_level_change(case, start + timedelta(minutes=13))
    assert at is not None and timer_level(case, at) is TimerLevel.OVERDUE
    assert timer_level(case, at - timedelta(microseconds=2)) is TimerLevel.WARN
    assert next_level_change(case, start + timedelta(minutes=16)) is None
