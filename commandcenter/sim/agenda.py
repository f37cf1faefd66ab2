"""Simulated time: whole seconds since the scenario's start, and a heap of actions due then.

Why a heap of actions instead of stepping every component each tick: the output then depends
only on the seed and the dispatches, not on how often or how far the caller advances — a demo
advancing every 100 ms and a test jumping an hour ahead see the same messages.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

# The hall's local time (China Standard Time, no daylight saving): every timestamp the simulator
# writes carries this offset, as the devices and apps in the hall's district do.
CST = timezone(timedelta(hours=8), "CST")

Message = tuple[str, bytes]  # (topic, payload)
Action = Callable[[int], list[Message]]  # called with its due time, returns what it sends


class Agenda:
    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None or start.utcoffset() is None:
            raise ValueError("start must be an aware datetime (with a UTC offset)")
        self.start = start.astimezone(CST)
        self.now = 0  # seconds since start already simulated
        self._heap: list[tuple[int, int, Action]] = []
        self._seq = 0  # tie-break: same due time runs in scheduling order

    def at(self, t: int) -> datetime:
        """The wall-clock instant of simulated second `t`, in CST."""
        return self.start + timedelta(seconds=t)

    def seconds(self, when: datetime) -> int:
        """Whole seconds from the start to `when` (floor), for an aware datetime."""
        if when.tzinfo is None or when.utcoffset() is None:
            raise ValueError("times given to the simulator must be aware datetimes")
        return int((when - self.start).total_seconds() // 1)

    def schedule(self, due: int, action: Action) -> None:
        """Run `action` at `due`; a time already simulated means "as soon as possible"."""
        self._seq += 1
        heapq.heappush(self._heap, (max(due, self.now), self._seq, action))

    def run_until(self, limit: int) -> list[Message]:
        """Run every action due at or before `limit`, in time order, collecting their output."""
        out: list[Message] = []
        while self._heap and self._heap[0][0] <= limit:
            due, _, action = heapq.heappop(self._heap)
            self.now = due
            out.extend(action(due))
        self.now = max(self.now, limit)
        return out
