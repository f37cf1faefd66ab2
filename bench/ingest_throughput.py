"""Ingest throughput: reports a second the real ingest takes from a broker (decode → one SQLite
transaction per batch → ack), against a bare paho subscriber that only counts them — the ceiling
set by Mosquitto, paho and this machine. Prints the median of the runs and the ratio.

    .venv/bin/python bench/ingest_throughput.py [--events 20000] [--runs 3] [--limit 60]
                                                [--profile]

One private broker (the shipped hall configuration) serves every run. Each run publishes the
same N reports (new source_ids) as fast as a QoS 1 publisher can, from its own process, to a
subscriber that subscribed beforehand on a persistent session: first the bare subscriber alone,
then the ingest alone (on a fresh SQLite file). A rate is N over the time from the first
publish to the last message counted (bare) or committed (ingest); an ingest run that has not
committed all N after `--limit` seconds is cut short and rated on what it committed (so the
bench ends in a few minutes however slow the ingest). `--profile` adds one ingest run under
cProfile (the writer thread's CPU time) and prints where that time goes.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from the repository root
    sys.path.insert(0, str(ROOT))

import paho.mqtt.client as mqtt  # noqa: E402
from paho.mqtt.enums import CallbackAPIVersion  # noqa: E402

from bench._common import (  # noqa: E402
    MIXES,
    BatchLog,
    Publisher,
    PublishResult,
    abandon_backlog,
    bench_units,
    forget_session,
    machine_note,
    private_broker,
    wait_until,
)
from commandcenter.config import Settings  # noqa: E402
from commandcenter.ingest.broker_url import BrokerUrl  # noqa: E402
from commandcenter.ingest.runner import open_ingest  # noqa: E402
from commandcenter.memory import settle_memory  # noqa: E402
from commandcenter.store.database import sqlite_url  # noqa: E402

SUBSCRIPTION = "cc/v1/#"  # everything a hall mix carries (events and unit fixes)
TIMEOUT = 300.0


@dataclass(frozen=True, slots=True)
class Measurement:
    rate: float  # messages a second, first publish -> last message counted / committed
    publish: PublishResult
    batches: BatchLog | None = None
    stored: int | None = None  # ingest: reports committed when it stopped waiting
    cpu_per_message: float = 0.0  # this process's CPU (all threads) per message, seconds


def measure_bare(url: str, publisher: Publisher, events: int, run: str,
                 mix: str) -> Measurement:
    """A paho 2 subscriber (QoS 1, automatic acks) that only counts."""
    parsed = BrokerUrl.parse(url)
    client_id = f"bench-bare-{run}"
    subscribed, done = threading.Event(), threading.Event()
    box = {"count": 0, "last": 0.0}

    def on_connect(client: mqtt.Client, *_args: Any) -> None:
        client.subscribe(SUBSCRIPTION, qos=1)

    def on_message(_client: mqtt.Client, _userdata: Any, _msg: mqtt.MQTTMessage) -> None:
        box["count"] += 1
        if box["count"] == events:
            box["last"] = time.monotonic()
            done.set()

    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=False,
                         protocol=mqtt.MQTTv311)
    client.on_connect = on_connect
    client.on_subscribe = lambda *_args: subscribed.set()
    client.on_message = on_message
    client.connect(parsed.host, parsed.port)
    client.loop_start()
    try:
        if not subscribed.wait(10):
            raise RuntimeError("bare subscriber: no SUBACK")
        publisher.prepare(run, events, mix)
        cpu = time.process_time()
        started = publisher.burst()
        published = publisher.result(TIMEOUT)
        if not done.wait(TIMEOUT):
            raise RuntimeError(f"bare subscriber counted {box['count']} of {events}")
        cpu = time.process_time() - cpu
    finally:
        client.disconnect()
        client.loop_stop()
    forget_session(url, client_id)
    return Measurement(events / (box["last"] - started), published,
                       cpu_per_message=cpu / events)


def measure_ingest(url: str, publisher: Publisher, events: int, run: str, workdir: Path,
                   limit: float, mix: str,
                   profile: cProfile.Profile | None = None) -> Measurement:
    """`open_ingest` on a fresh SQLite file; a probe report first proves it is subscribed.
    Waits at most `limit` s from the first publish; the rate is then of what was committed."""
    client_id = f"bench-ingest-{run}"
    service = open_ingest(Settings(db_url=sqlite_url(workdir / f"ingest-{run}.db")), url,
                          client_id=client_id)
    service.hall.cases.register_units(bench_units(datetime.now(UTC)))
    log = BatchLog(service.hall.ingest)
    settle_memory("bench ingest")  # as `commandcenter ingest` and the console's child do
    service.start()
    try:
        if not wait_until(lambda: service.link.state().connected, 10):
            raise RuntimeError("ingest did not connect")
        publisher.probe(f"{run}-probe")
        if not log.done.wait(30):
            raise RuntimeError("ingest did not store the probe report")
        log.expect(events)
        log.profile = profile
        publisher.prepare(run, events, mix)
        cpu = time.process_time()
        started = publisher.burst()
        published = publisher.result(TIMEOUT)
        complete = log.done.wait(max(0.0, started + limit - time.monotonic()))
        cpu = time.process_time() - cpu
        stats = service.hall.ingest.stats()
        if stats.duplicates or stats.quarantined:
            print(f"  warning: {stats.duplicates} duplicates, {stats.quarantined} quarantined")
    finally:
        service.link.pause()
        abandon_backlog(service.hall.ingest)
        service.stop()
    forget_session(url, client_id)
    if complete:
        return Measurement(events / (log.done_at - started), published, log, events,
                           cpu / events)
    return Measurement(log.stored / (log.last_at - started), published, log, log.stored,
                       cpu / max(1, log.stored))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--limit", type=float, default=60.0,
                        help="give an ingest run at most this many seconds (default 60); "
                             "its rate is then that of the reports it committed")
    parser.add_argument("--mix", choices=sorted(MIXES), default="reports",
                        help="reports: each message a citizen report opening a case (the "
                             "heaviest); hall: 60%% officers' fixes, 35%% monitor readings, "
                             "5%% reports")
    parser.add_argument("--profile", action="store_true",
                        help="add one ingest run under cProfile and print the top functions")
    args = parser.parse_args()
    n = args.events
    print(machine_note(), flush=True)
    with tempfile.TemporaryDirectory(prefix="cc-bench-") as tmp, \
            private_broker(Path(tmp) / "broker") as broker:
        publisher = Publisher(broker.url)
        try:
            bare: list[Measurement] = []
            ingest: list[Measurement] = []
            for i in range(1, args.runs + 1):
                tag = uuid.uuid4().hex[:8]
                bare.append(measure_bare(broker.url, publisher, n, f"bare{i}-{tag}", args.mix))
                ingest.append(measure_ingest(broker.url, publisher, n, f"ingest{i}-{tag}",
                                             Path(tmp), args.limit, args.mix))
                stored = ingest[-1].stored
                partial = (f", stopped after {args.limit:g} s with {stored:,} of {n:,} "
                           "committed" if stored != n else "")
                print(f"run {i}: bare {bare[-1].rate:,.0f}/s, ingest {ingest[-1].rate:,.0f}/s"
                      f"{partial} (publisher alone: {n / bare[-1].publish.seconds:,.0f}/s and "
                      f"{n / ingest[-1].publish.seconds:,.0f}/s to the last PUBACK)",
                      flush=True)
            profile = None
            if args.profile:
                profile = cProfile.Profile(time.thread_time)  # the writer thread's CPU time
                measure_ingest(broker.url, publisher, n, f"profiled-{uuid.uuid4().hex[:8]}",
                               Path(tmp), args.limit, args.mix, profile)
        finally:
            publisher.close()

    bare_rate = statistics.median(m.rate for m in bare)
    ingest_rate = statistics.median(m.rate for m in ingest)
    typical = min(ingest, key=lambda m: abs(m.rate - ingest_rate))
    print(f"\n{n:,} messages a run ({args.mix}), {args.runs} runs, one private Mosquitto, QoS 1")
    print(f"bare paho subscriber, median of {args.runs}: {bare_rate:,.0f} msg/s "
          "(first publish -> last message received)")
    print(f"real ingest (SQLite), median of {args.runs}: {ingest_rate:,.0f} msg/s "
          "(first publish -> last commit"
          + (f"; some runs hit the {args.limit:g} s limit" if any(m.stored != n for m in ingest)
             else "") + ")")
    print(f"ratio ingest / bare: {ingest_rate / bare_rate:.2f} (goal >= 0.6)")
    bare_cpu = statistics.median(m.cpu_per_message for m in bare) * 1e6
    ingest_cpu = statistics.median(m.cpu_per_message for m in ingest) * 1e6
    print(f"CPU of the subscribing process per message (all its threads), median: bare "
          f"{bare_cpu:.0f} µs, ingest {ingest_cpu:.0f} µs")
    assert typical.batches is not None
    print(f"ingest batches (median run): {typical.batches.summary()}")
    if profile is not None:
        print("\nwriter thread under cProfile (its CPU time, one extra run), top 25 by own time:")
        pstats.Stats(profile, stream=sys.stdout).sort_stats("tottime").print_stats(25)
        print("top 25 by cumulative time:")
        pstats.Stats(profile, stream=sys.stdout).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
