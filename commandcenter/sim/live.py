"""Run a scenario against the wall clock, into the ingest inbox or onto a real broker.

The feed thread only produces bytes on topics; dispatch orders from the hall reach the simulated
officers through `publish`, which the outbox calls exactly as it would call an MQTT client.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime

from commandcenter.sim.scenario import Scenario

log = logging.getLogger(__name__)


class LiveFeed:
    def __init__(self, scenario: Scenario, emit: Callable[[str, bytes], None],
                 clock: Callable[[], datetime], *, interval_s: float = 0.5) -> None:
        """`emit(topic, payload)` sends one message: into the ingest inbox, or to a broker."""
        self.scenario = scenario
        self.emit = emit
        self.clock = clock
        self.interval_s = interval_s
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def publish(self, topic: str, payload: bytes) -> None:
        """Outbox publisher: `<prefix>/dispatch/<unit>` goes to that simulated officer."""
        parts = topic.split("/")
        if len(parts) >= 2 and parts[-2] == "dispatch":
            with self._lock:
                if self.scenario.handles(parts[-1]):
                    self.scenario.on_dispatch(parts[-1], payload, self.clock())
                    return
        log.info("demo: %s has no simulated receiver", topic)

    def step(self) -> int:
        now = self.clock()
        with self._lock:
            messages = self.scenario.advance(now)
        for topic, payload in messages:
            self.emit(topic, payload)
        return len(messages)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="demo-feed", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            try:
                self.step()
            except Exception:
                log.exception("demo feed step failed")
