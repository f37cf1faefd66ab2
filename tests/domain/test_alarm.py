"""Alarm rules with exact times: hold, hysteresis, repeats, late readings, offline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from commandcenter.domain.alarm import (
    AlarmChange,
    AlarmPhase,
    AlarmRule,
    AlarmState,
    is_offline,
    step,
)

T0 = datetime(2026, 11, 28, 11, 0, tzinfo=UTC)
RULE = AlarmRule(limit=2.0, hold=timedelta(minutes=3), clear_ratio=0.9,
                 clear_hold=timedelta(minutes=5), offline_after=timedelta(minutes=15))


def feed(values: list[float], every: timedelta = timedelta(minutes=1),
         state: AlarmState | None = None) -> tuple[AlarmState, list[AlarmChange | None]]:
    state = state or AlarmState("MN1", "exceed:a34041")
    changes = []
    for i, value in enumerate(values):
        state, change = step(state, value, T0 + i * every, RULE)
        changes.append(change)
    return state, changes


def test_raises_only_after_the_hold_time() -> None:
    state, changes = feed([2.5, 2.6, 2.7, 2.8])  # minutes 0..3 above the limit
    assert changes == [None, None, None, AlarmChange.RAISED]
    assert state.phase is AlarmPhase.ACTIVE and state.raised_at == T0 + timedelta(minutes=3)
    assert state.peak == 2.8


def test_a_short_spike_raises_nothing() -> None:
    state, changes = feed([3.5, 3.9, 1.0, 1.2, 3.0, 1.1])
    assert AlarmChange.RAISED not in changes and state.phase is AlarmPhase.NORMAL


def test_repeats_update_one_alarm() -> None:
    state, changes = feed([2.5] * 4 + [3.1, 2.9, 4.2])
    assert changes.count(AlarmChange.RAISED) == 1
    assert changes[4:] == [AlarmChange.UPDATED] * 3
    assert state.count == 4 and state.peak == 4.2 and state.last_value == 4.2


def test_no_flapping_at_the_limit() -> None:
    """Values hovering around 2.0 stay one alarm: clearing needs < 1.8 for 5 minutes."""
    state, changes = feed([2.2] * 4 + [1.95, 2.05, 1.9, 2.01, 1.99] * 4)
    assert changes.count(AlarmChange.RAISED) == 1
    assert AlarmChange.CLEARED not in changes
    assert state.phase is AlarmPhase.ACTIVE


def test_clears_after_the_clear_hold_below_the_clear_level() -> None:
    state, changes = feed([2.5] * 4 + [1.5] * 6)
    assert changes[-1] is AlarmChange.CLEARED
    assert changes.count(AlarmChange.CLEARED) == 1
    assert state.phase is AlarmPhase.NORMAL and state.count == 0


def test_a_dip_that_does_not_last_keeps_the_alarm() -> None:
    state, changes = feed([2.5] * 4 + [1.5, 1.5, 2.6, 1.5, 1.5])
    assert AlarmChange.CLEARED not in changes and state.phase is not AlarmPhase.NORMAL


def test_late_reading_is_ignored() -> None:
    state, _ = feed([2.5] * 4)
    late, change = step(state, 0.1, T0 - timedelta(minutes=10), RULE)
    assert late == state and change is None


def test_offline_after_silence() -> None:
    assert not is_offline(None, T0, RULE)  # never reported: nothing to miss yet
    assert not is_offline(T0, T0 + timedelta(minutes=14), RULE)
    assert is_offline(T0, T0 + timedelta(minutes=15), RULE)
