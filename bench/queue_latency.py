"""Queue latency: time from publishing a report to its case appearing in the console's queue, at
steady rates, and how long the GUI thread freezes meanwhile.

    .venv/bin/python bench/queue_latency.py [--rates 200,2000] [--seconds 10] [--drain 60]
                                            [--mix reports|hall] [--profile] [--sample]

Per rate: a private broker, a fresh console (offscreen, SQLite in a temp dir, broker_url set,
the 200 officers of the hall mix registered) and a publisher process sending messages at the
rate (paced in 5 ms slices): all citizen reports (`--mix reports`, the default: each a new
case in the queue), or a hall's traffic (`--mix hall`: officers' fixes moving their map
markers, monitor readings, 5% reports; bench/_common.py). Each report is stamped with its
send time; latency is measured on the reports. On the GUI thread, the queue model's
`rowsInserted` notes when each case appears (a case enters the model only by insertion;
`dataChanged` is for cases already in it) — the proxy has sorted it in by then, the view
repaints in the same event-loop pass. A 10 ms
timer on the GUI thread measures the longest gap between its ticks (a freeze). The console's
change handler, the map refresh and the 1 s tick are timed; `--profile` runs cProfile on the
GUI thread during the last rate (its figures then carry the profiler's overhead).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from the repository root
    sys.path.insert(0, str(ROOT))

from bench._common import (  # noqa: E402
    MIXES,
    SENT_MARK,
    Publisher,
    PublishResult,
    bench_units,
    forget_session,
    machine_note,
    percentile,
    private_broker,
)
from bench._freeze_sampler import FreezeSampler  # noqa: E402
from commandcenter.config import Settings  # noqa: E402
from commandcenter.store.database import sqlite_url  # noqa: E402

FREEZE_GOAL_MS = 100.0
TICK_MS = 10


@dataclass
class Section:
    """Time spent in one function on the GUI thread: wall clock, and the thread's own CPU time
    (the difference is waiting: for the interpreter lock, or for a CPU other processes use)."""

    calls: int = 0
    wall: float = 0.0
    cpu: float = 0.0
    worst: float = 0.0

    def wrap(self, func: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started, cpu = time.perf_counter(), time.thread_time()
            try:
                return func(*args, **kwargs)
            finally:
                spent = time.perf_counter() - started
                self.calls += 1
                self.wall += spent
                self.cpu += time.thread_time() - cpu
                self.worst = max(self.worst, spent)
        return timed

    def line(self, name: str) -> str:
        mean = self.wall / self.calls * 1000 if self.calls else 0.0
        return (f"{name}: {self.calls} calls, {self.wall * 1000:.0f} ms wall "
                f"({self.cpu * 1000:.0f} ms CPU), mean {mean:.1f} ms, "
                f"max {self.worst * 1000:.1f} ms")


@dataclass
class RateResult:
    rate: float
    published: PublishResult | None = None
    latencies: list[float] = field(default_factory=list)  # seconds
    gaps: list[float] = field(default_factory=list)  # seconds between 10 ms ticks
    sections: dict[str, Section] = field(default_factory=dict)
    batches: str = ""
    drained: bool = False
    wall: float = 0.0  # first publish -> last case seen (or the drain limit)
    gui_cpu: float = 0.0  # CPU time of the GUI thread over `wall`
    freezes: list[tuple[float, float]] = field(default_factory=list)  # gaps over the goal
    sampled: list[str] = field(default_factory=list)  # what the GUI thread did in them


def run_rate(app: Any, broker_url: str, publisher: Publisher, rate: float, seconds: float,
             drain: float, workdir: Path, profile: cProfile.Profile | None,
             mix: str, sample: bool = False) -> RateResult:
    from PySide6.QtCore import QEventLoop  # not re-exported by ui/qt.py: only a bench needs it

    from ui.app import Console
    from ui.qt import Qt, QTimer
    from ui.queue.model import CASE_ID_ROLE

    result = RateResult(rate)
    workstation = f"bench-{rate:g}-{uuid.uuid4().hex[:6]}"
    settings = Settings(db_url=sqlite_url(workdir / f"queue-{workstation}.db"),
                        broker_url=broker_url, workstation=workstation)
    console = Console(app, settings, demo=False, seed=7, rate=0.4)
    console.open()
    assert console.hall is not None
    console.hall.cases.register_units(bench_units(datetime.now(UTC)))
    window = console.window
    window.show()
    assert console.hall is not None and console.link is not None

    loop = QEventLoop()

    def run_until(done: Callable[[], bool], timeout: float) -> bool:
        """Run the Qt event loop until `done()` (checked every 20 ms) or the timeout."""
        deadline = time.monotonic() + timeout

        def check() -> None:
            if done() or time.monotonic() > deadline:
                loop.quit()

        poll = QTimer()
        poll.setInterval(20)
        poll.timeout.connect(check)
        poll.start()
        if not done():
            loop.exec()
        poll.stop()
        return done()

    try:
        link = console.link
        if not run_until(lambda: link.state().connected and window.loaded, 20):
            raise RuntimeError("the console did not connect and load")
        # A probe report proves the subscription is in place before the clock starts.
        publisher.probe(f"probe-{workstation}")
        if not run_until(lambda: window.model.rowCount() >= 1, 30):
            raise RuntimeError("the probe report never reached the queue")

        model = window.model
        latencies = result.latencies

        def on_rows_inserted(_parent: Any, first: int, last: int) -> None:
            now = time.monotonic()
            for row in range(first, last + 1):
                case = model.case(model.index(row, 0).data(CASE_ID_ROLE))
                if case is not None and case.description.startswith(SENT_MARK):
                    latencies.append(now - float(case.description[len(SENT_MARK):]))

        model.rowsInserted.connect(on_rows_inserted)

        # Time what the GUI thread does with each coalesced batch and each 1 s tick. The two entry
        # points were connected when the window was built: reconnect them through a timer.
        sections = result.sections
        for name in ("apply_changes", "_on_tick", "model.upsert", "_refresh_markers",
                     "_refresh_units"):
            sections[name] = Section()
        window.bridge.changed.disconnect(window.apply_changes)
        window.bridge.changed.connect(sections["apply_changes"].wrap(window.apply_changes))
        window._tick.timeout.disconnect(window._on_tick)
        window._tick.timeout.connect(sections["_on_tick"].wrap(window._on_tick))
        model.upsert = sections["model.upsert"].wrap(model.upsert)  # type: ignore[method-assign]
        window._refresh_markers = sections["_refresh_markers"].wrap(  # type: ignore[method-assign]
            window._refresh_markers)
        window._refresh_units = sections["_refresh_units"].wrap(  # type: ignore[method-assign]
            window._refresh_units)

        last_tick = [time.monotonic()]

        def on_tick() -> None:
            now = time.monotonic()
            result.gaps.append(now - last_tick[0])
            if now - last_tick[0] > FREEZE_GOAL_MS / 1000:
                result.freezes.append((last_tick[0], now))
            last_tick[0] = now

        ticker = QTimer()
        ticker.setTimerType(Qt.TimerType.PreciseTimer)
        ticker.setInterval(TICK_MS)
        ticker.timeout.connect(on_tick)

        box: dict[str, Any] = {}

        def finished() -> bool:
            if "published" not in box and publisher.done():
                box["published"] = publisher.result()
            published = box.get("published")
            return published is not None and len(latencies) >= published.reports

        started = time.monotonic()
        publisher.start_paced(f"q{rate:g}-{uuid.uuid4().hex[:8]}", rate, seconds, mix)
        last_tick[0] = time.monotonic()
        ticker.start()
        gui_cpu = time.thread_time()
        if profile is not None:
            profile.enable()
        sampler = FreezeSampler(threading.get_ident()) if sample else None
        if sampler is not None:
            sampler.start()
        result.drained = run_until(finished, seconds + drain)
        if sampler is not None:
            sampler.stop()
            result.sampled = sampler.report(result.freezes)
        if profile is not None:
            profile.disable()
        result.gui_cpu = time.thread_time() - gui_cpu
        ticker.stop()
        result.wall = time.monotonic() - started
        # Shutting down commits (and shows) what the inbox still holds: not part of the run.
        model.rowsInserted.disconnect(on_rows_inserted)
        result.published = box.get("published") or publisher.result()
        stats = console.link.stats()
        result.batches = (f"ingest process: stored {stats.stored}, duplicates {stats.duplicates}, "
                          f"quarantined {stats.quarantined}, backlog {stats.backlog}")
    finally:
        if console.link is not None:  # what is not committed yet is not part of the run
            console.link.stop(timeout=0.0)
        console.shutdown()
        window.close()
        window.deleteLater()
        app.processEvents()
    forget_session(broker_url, f"cc-console-{workstation}")
    return result


def print_result(r: RateResult, seconds: float, mix: str) -> None:
    assert r.published is not None
    sent = r.published.sent
    ms = [x * 1000 for x in r.latencies]
    gaps = [g * 1000 for g in r.gaps]
    print(f"\n{r.rate:g} messages/s ({mix}) for {seconds:g} s: published {sent} "
          f"({sent / r.published.seconds:.0f}/s to the last PUBACK, publisher at most "
          f"{r.published.max_behind_ms:.0f} ms behind schedule), reports seen in the queue "
          f"{len(r.latencies)}/{r.published.reports}"
          + ("" if r.drained else f" (stopped waiting {r.wall:.0f} s after the first publish)"))
    if ms:
        print(f"  publish -> in queue: p50 {percentile(ms, 50):.0f} ms, "
              f"p90 {percentile(ms, 90):.0f} ms, p99 {percentile(ms, 99):.0f} ms, "
              f"max {max(ms):.0f} ms")
    if gaps:
        over = sum(1 for g in gaps if g > FREEZE_GOAL_MS)
        print(f"  GUI thread, gaps between {TICK_MS} ms ticks: p50 {percentile(gaps, 50):.1f} ms,"
              f" p99 {percentile(gaps, 99):.1f} ms, max {max(gaps):.1f} ms; "
              f"{over} gaps over {FREEZE_GOAL_MS:.0f} ms (goal: none), over {r.wall:.1f} s")
    print(f"  GUI thread CPU: {r.gui_cpu:.1f} s of {r.wall:.1f} s ({r.gui_cpu / r.wall:.0%})")
    for name, section in r.sections.items():
        print(f"  GUI time in {section.line(name)}")
    print(f"  ingest: {r.batches}")
    if r.sampled:
        print("  what the GUI thread did during the freezes (stack samples every 4 ms):")
        print("\n".join(r.sampled))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rates", default="200,2000",
                        help="messages a second, comma-separated (default 200,2000)")
    parser.add_argument("--mix", choices=sorted(MIXES), default="reports",
                        help="reports (default): every message a citizen report; hall: "
                             "officers' fixes, monitor readings and 5%% reports")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--drain", type=float, default=60.0,
                        help="after publishing, wait at most this long for the queue to catch up")
    parser.add_argument("--sample", action="store_true",
                        help="sample the GUI thread's stack and show what it did in each freeze")
    parser.add_argument("--profile", action="store_true",
                        help="cProfile the GUI thread during the last rate")
    args = parser.parse_args()
    rates = [float(r) for r in args.rates.split(",")]
    print(machine_note(), flush=True)

    with tempfile.TemporaryDirectory(prefix="cc-bench-") as tmp:
        for name in ("DATA", "CONFIG", "LOG"):  # never the real user folders
            os.environ[f"CC_{name}_DIR"] = f"{tmp}/{name.lower()}"
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from ui.qt import QApplication

        app = QApplication.instance() or QApplication(sys.argv[:1])
        profile = cProfile.Profile(time.thread_time) if args.profile else None  # CPU time
        with private_broker(Path(tmp) / "broker") as broker:
            publisher = Publisher(broker.url)
            try:
                results = []
                for i, rate in enumerate(rates):
                    last = i == len(rates) - 1
                    results.append(run_rate(app, broker.url, publisher, rate, args.seconds,
                                            args.drain, Path(tmp),
                                            profile if last else None, args.mix,
                                            args.sample))
                    print_result(results[-1], args.seconds, args.mix)
                    sys.stdout.flush()
            finally:
                publisher.close()

    if profile is not None:
        print(f"\nGUI thread under cProfile (its CPU time) during {rates[-1]:g}/s, "
              "top 30 by own time:")
        pstats.Stats(profile, stream=sys.stdout).sort_stats("tottime").print_stats(30)
        print("top 30 by cumulative time:")
        pstats.Stats(profile, stream=sys.stdout).sort_stats("cumulative").print_stats(30)


if __name__ == "__main__":
    main()
