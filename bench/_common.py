"""Shared parts of the MQTT benchmarks: a private broker, a publisher in its own process, figures.

The publisher runs in a separate process so that its Python work never competes for the GIL
with what is measured (in a hall the publishers are other machines). It talks over a pipe:
`probe` one message, `prepare` then `burst` N messages as fast as QoS 1 allows, or `paced`
messages at a steady rate, each stamped with `time.monotonic()` (one system-wide clock on Linux
and Windows, so the parent can subtract it from its own). `BatchLog` watches the ingest
writer's batches: size, time, the writer thread's CPU, and when the last awaited report committed.
"""

from __future__ import annotations

import cProfile
import functools
import json
import math
import multiprocessing
import os
import queue
import random
import statistics
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from multiprocessing.connection import Connection
from pathlib import Path

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from commandcenter.domain.unit import Unit
from commandcenter.ingest.broker_url import BrokerUrl
from commandcenter.ingest.message import InboundMessage
from commandcenter.ingest.mqtt import MqttLink
from commandcenter.ingest.worker import IngestWorker
from commandcenter.services.changes import Changes
from commandcenter.sim.broadcast import load_event
from commandcenter.sim.places import Places, load_places
from tests.support.mosquitto import Mosquitto

TOPIC = "cc/v1/event/load"
SENT_MARK = "bench-sent "  # description of a paced report: SENT_MARK + its monotonic send time


@contextmanager
def private_broker(workdir: Path) -> Iterator[Mosquitto]:
    """Mosquitto with the shipped hall configuration on a free port (see tests/support)."""
    broker = Mosquitto(workdir)
    broker.start()
    try:
        yield broker
    finally:
        broker.stop()


def wait_until(predicate: Callable[[], bool], timeout: float, interval: float = 0.01) -> bool:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)
    return True


def forget_session(url: str, client_id: str) -> None:
    """End a persistent session, so the broker stops queueing for a client that is gone (a stale
    subscriber would make every later run pay for a copy of each message)."""
    parsed = BrokerUrl.parse(url)
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=True,
                         protocol=mqtt.MQTTv311)
    client.connect(parsed.host, parsed.port)
    client.loop_start()
    wait_until(client.is_connected, 10)
    client.disconnect()
    client.loop_stop()


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile; NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def report_payload(rng: random.Random, run: str, n: int) -> bytes:
    """One synthetic citizen report (the simulator's load event)."""
    return load_event(_places(), rng, run, n, datetime.now(UTC))


@functools.cache
def _places() -> Places:
    return load_places()


# --- a hall's traffic ----------------------------------------------------------------------
OFFICERS = 200  # each sends a GPS fix every few seconds
MONITORS = 300  # oil-fume monitors, a reading a minute each
# What a run sends: "reports" (each a new case: the heaviest message), one other kind alone,
# or a hall's mix by share: officers' fixes, monitor readings (below the limit), reports.
MIXES = {"reports": (("report", 1.0),), "fixes": (("fix", 1.0),),
         "readings": (("reading", 1.0),),
         "hall": (("fix", 0.60), ("reading", 0.35), ("report", 0.05))}


def bench_units(now: datetime) -> list[Unit]:
    """The officers whose fixes a hall mix carries (register them before ingesting)."""
    return [Unit(f"u-{i}", f"队员{i}", squad="城东中队", lat=32.03, lon=120.87,
                 position_at=now - timedelta(hours=1)) for i in range(OFFICERS)]


def mixed_messages(mix: str, run: str, count: int, at: datetime,
                   seed: int = 1) -> list[tuple[str, bytes]]:
    """`count` (topic, payload) of the mix, deterministic per seed; ids unique per run."""
    rng = random.Random(seed)
    kinds, shares = zip(*MIXES[mix], strict=True)
    out = []
    for n in range(count):
        kind = rng.choices(kinds, shares)[0]
        when = at + timedelta(milliseconds=n)
        if kind == "report":
            out.append((TOPIC, report_payload(rng, run, n)))
        elif kind == "fix":
            body = {"lat": 32.0 + rng.random() * 0.05, "lon": 120.85 + rng.random() * 0.05,
                    "crs": "wgs84", "ts": when.isoformat()}
            out.append((f"cc/v1/unit/u-{rng.randrange(OFFICERS)}/location",
                        json.dumps(body).encode()))
        else:
            device = f"MN{rng.randrange(MONITORS):04d}"
            body = {"source": "hj212", "source_id": f"{device}/{run}/{n}", "kind": "reading",
                    "device": device, "occurred_at": when.isoformat(),
                    "measurements": {"a34041": {"value": round(rng.random() * 1.5, 2),
                                                "unit": "mg/m3"}}}
            out.append(("cc/v1/event/hj212", json.dumps(body).encode()))
    return out


# --- the publisher process ---------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class PublishResult:
    sent: int
    seconds: float  # from the first publish to the broker's last PUBACK
    flushed: bool
    max_behind_ms: float = 0.0  # paced only: how far the publisher fell behind its schedule
    reports: int = 0  # paced only: the reports among them (stamped with their send time)


class Publisher:
    """A QoS 1 publisher (`MqttLink.publish` + `flush`) in a child process."""

    def __init__(self, url: str, client_id: str = "bench-publisher") -> None:
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._proc = context.Process(target=_publisher_main, args=(url, client_id, child),
                                     name="bench-publisher", daemon=True)
        self._proc.start()
        child.close()
        if self._conn.recv() != "connected":
            raise RuntimeError("the publisher could not connect")

    def probe(self, run: str) -> None:
        """One report (source_id `<run>-00000000`), flushed."""
        self._conn.send(("probe", run))
        if not self._conn.recv():
            raise RuntimeError("probe not acknowledged by the broker")

    def prepare(self, run: str, count: int, mix: str = "reports") -> None:
        """Build `count` messages of the mix ahead of a burst (not timed)."""
        self._conn.send(("prepare", run, count, mix))
        self._conn.recv()

    def burst(self) -> float:
        """Start publishing the prepared payloads; returns the monotonic start time."""
        started = time.monotonic()
        self._conn.send(("burst",))
        return started

    def start_paced(self, run: str, rate: float, seconds: float, mix: str = "reports") -> None:
        self._conn.send(("paced", run, rate, seconds, mix))

    def done(self) -> bool:
        return self._conn.poll()

    def result(self, timeout: float = 300.0) -> PublishResult:
        if not self._conn.poll(timeout):
            raise TimeoutError("the publisher did not finish")
        result: PublishResult = self._conn.recv()
        return result

    def close(self) -> None:
        self._conn.send(("stop",))
        self._proc.join(15)


def _publisher_main(url: str, client_id: str, conn: Connection) -> None:
    link = MqttLink(BrokerUrl.parse(url), client_id, lambda _m: None, topics=())
    link.start()
    if not wait_until(lambda: link.state().connected, 10):
        conn.send("not connected")
        return
    conn.send("connected")
    messages: list[tuple[str, bytes]] = []
    while True:
        command = conn.recv()
        if command[0] == "stop":
            break
        if command[0] == "probe":
            link.publish(TOPIC, report_payload(random.Random(0), command[1], 0))
            conn.send(link.flush(30))
        elif command[0] == "prepare":
            _, run, count, mix = command
            messages = mixed_messages(mix, run, count, datetime.now(UTC))
            conn.send("ready")
        elif command[0] == "burst":
            started = time.monotonic()
            for topic, payload in messages:
                link.publish(topic, payload)
            flushed = link.flush(300)
            conn.send(PublishResult(len(messages), time.monotonic() - started, flushed))
        elif command[0] == "paced":
            conn.send(_paced(link, *command[1:]))
    link.stop()


def _paced(link: MqttLink, run: str, rate: float, seconds: float, mix: str) -> PublishResult:
    """`rate` messages of the mix a second for `seconds`, caught up in 5 ms slices (as
    `publish_load`); each report is stamped with the moment it is sent."""
    total = int(rate * seconds)
    messages = mixed_messages(mix, run, total, datetime.now(UTC), seed=2)
    started = time.monotonic()
    sent = reports = 0
    behind = 0.0
    while sent < total:
        now = time.monotonic()
        due = min(total, int((now - started) * rate) + 1)
        while sent < due:
            now = time.monotonic()
            behind = max(behind, now - (started + sent / rate))
            topic, payload = messages[sent]
            if topic == TOPIC:
                payload = _stamped(payload, now)
                reports += 1
            link.publish(topic, payload)
            sent += 1
        time.sleep(0.005)
    flushed = link.flush(120)
    return PublishResult(sent, time.monotonic() - started, flushed, behind * 1000, reports)


def _stamped(payload: bytes, sent: float) -> bytes:
    """A report carrying its monotonic send time in its description (the case's)."""
    body = json.loads(payload)
    body["description"] = f"{SENT_MARK}{sent:.6f}"
    return json.dumps(body, ensure_ascii=False).encode()


# --- the ingest writer, observed ----------------------------------------------------------------
class BatchLog:
    """Wraps the worker's `process_now` (commit + ack of one batch) to log what each batch
    held and took, and to note the moment the last awaited report was committed."""

    def __init__(self, worker: IngestWorker, profile: cProfile.Profile | None = None) -> None:
        self._worker = worker
        self._process = worker.process_now
        self.profile = profile
        worker.process_now = self._process_now  # type: ignore[method-assign]
        self.sizes: list[int] = []
        self.seconds: list[float] = []
        self.cpu: list[float] = []  # the writer thread's own CPU time per batch
        self.backlog: list[int] = []
        self.first_at = self.last_at = 0.0
        self.stored = 0
        self.target = 1
        self.done = threading.Event()
        self.done_at = 0.0

    def expect(self, count: int) -> None:
        """Start over: wait for `count` more stored reports."""
        self.sizes, self.seconds, self.cpu, self.backlog = [], [], [], []
        self.stored, self.target = 0, count
        self.done.clear()

    def _process_now(self, batch: list[InboundMessage]) -> Changes:
        started, cpu = time.monotonic(), time.thread_time()
        if not self.sizes:
            self.first_at = started
        self.backlog.append(len(batch) + self._worker.inbox.qsize())
        if self.profile is not None:
            self.profile.enable()
        try:
            changes = self._process(batch)
        finally:
            if self.profile is not None:
                self.profile.disable()
        finished = self.last_at = time.monotonic()
        self.sizes.append(len(batch))
        self.seconds.append(finished - started)
        self.cpu.append(time.thread_time() - cpu)
        self.stored += changes.events_stored
        if self.stored >= self.target and not self.done.is_set():
            self.done_at = finished
            self.done.set()
        return changes

    def summary(self) -> str:
        if not self.sizes:
            return "no batches"
        busy = sum(self.seconds)
        span = self.last_at - self.first_at
        ms = [s * 1000 for s in self.seconds]
        tenth = max(1, len(self.sizes) // 10)
        early = sum(self.cpu[:tenth]) / sum(self.sizes[:tenth]) * 1e6
        late = sum(self.cpu[-tenth:]) / sum(self.sizes[-tenth:]) * 1e6
        return (f"{len(self.sizes)} batches, size mean {statistics.mean(self.sizes):.0f} / "
                f"median {statistics.median(self.sizes):.0f} / max {max(self.sizes)}; "
                f"commit+ack per batch mean {statistics.mean(ms):.1f} ms, "
                f"p90 {percentile(ms, 90):.1f} ms, max {max(ms):.1f} ms; "
                f"{busy / sum(self.sizes) * 1e6:.0f} µs per report, of which "
                f"{sum(self.cpu) / sum(self.sizes) * 1e6:.0f} µs the writer's own CPU "
                f"(CPU in the first tenth of the batches {early:.0f} µs a report, in the last "
                f"tenth {late:.0f} µs); "
                f"writer busy {busy / span:.0%} of "
                f"{span:.2f} s from the first batch to the last commit; at most "
                f"{max(self.backlog)} reports waiting when a batch began")


def abandon_backlog(worker: IngestWorker) -> int:
    """Drop what the inbox holds (never acked, so the broker still has it), so that stopping
    after a run that did not catch up does not first commit thousands of reports."""
    dropped = 0
    while True:
        try:
            worker.inbox.get_nowait()
        except queue.Empty:
            return dropped
        dropped += 1


def machine_note() -> str:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"{os.cpu_count()} CPUs, load average {load:.2f} before the run "
            "(other processes skew every figure)")
