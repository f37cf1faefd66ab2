"""What the GUI thread was doing when it froze: a sampling thread notes its Python stack every
few milliseconds; afterwards the samples that fall inside each long gap are summed by stack.

A frame-less sample means the thread was in Qt's own C++ code (layout, painting of built-in
items, the event dispatcher) or waiting; a garbage collection shows as the Python function that
happened to allocate when it began (`gc.callbacks` timing is printed separately).
"""

from __future__ import annotations

import gc
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

DEPTH = 4
# Where a thread waits: samples there are not work.
_IDLE = (":wait", ":_wait_for_tstate_lock", ":select", ":_recv", ":recv", ":get", ":poll",
         ":_worker", ":loop_forever", ":_loop")


def _stack(frame: object) -> str:
    names = []
    while frame is not None and len(names) < DEPTH:
        code = frame.f_code  # type: ignore[attr-defined]
        names.append(f"{Path(code.co_filename).name}:{code.co_name}")
        frame = frame.f_back  # type: ignore[attr-defined]
    return " < ".join(names)


@dataclass
class FreezeSampler:
    thread_id: int
    every_s: float = 0.004
    samples: list[tuple[float, str]] = field(default_factory=list)
    collections: list[tuple[float, float, int]] = field(default_factory=list)  # start, s, gen
    _stop: threading.Event = field(default_factory=threading.Event)
    _gc_started: float = 0.0

    def start(self) -> None:
        gc.callbacks.append(self._on_gc)
        threading.Thread(target=self._run, name="freeze-sampler", daemon=True).start()

    def stop(self) -> None:
        self._stop.set()
        gc.callbacks.remove(self._on_gc)

    def _on_gc(self, phase: str, info: dict[str, int]) -> None:
        # A collection stops every thread of the process, whichever thread triggered it.
        if phase == "start":
            self._gc_started = time.monotonic()
        else:
            self.collections.append((self._gc_started, time.monotonic() - self._gc_started,
                                     info.get("generation", -1)))

    def _run(self) -> None:
        me = threading.get_ident()
        names = {t.ident: t.name for t in threading.enumerate()}
        while not self._stop.wait(self.every_s):
            frames = sys._current_frames()
            now = time.monotonic()
            self.samples.append((now, _stack(frames.get(self.thread_id)) or "(C++)"))
            for ident, frame in frames.items():  # the other threads, when not idle
                if ident in (me, self.thread_id):
                    continue
                stack = _stack(frame)
                if not any(idle in stack.split(" < ")[0] for idle in _IDLE):
                    if ident not in names:
                        names = {t.ident: t.name for t in threading.enumerate()}
                    self.samples.append((now, f"[{names.get(ident, ident)}] {stack}"))

    def report(self, freezes: list[tuple[float, float]], top: int = 8) -> list[str]:
        """Lines: per freeze its samples by stack, and the collections inside it."""
        lines = []
        for start, end in freezes:
            inside = Counter(s for t, s in self.samples if start <= t <= end)
            gcs = [f"gen{g} {d * 1000:.0f} ms" for t, d, g in self.collections
                   if start <= t <= end and d > 0.005]
            lines.append(f"  freeze {1000 * (end - start):.0f} ms: "
                         f"{sum(inside.values())} samples; collections: {', '.join(gcs) or '-'}")
            lines += [f"      {n:3d} {stack}" for stack, n in inside.most_common(top)]
        return lines
