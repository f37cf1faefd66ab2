"""How fast the ingest drains a backlog the broker holds, with paho's own client and with the
buffered client the broker link uses (commandcenter/ingest/buffered_client.py).

    .venv/bin/python bench/ingest_drain.py [--events 10000] [--runs 6] [--mix reports]

Each run: the ingest subscribes once (a persistent session) and goes away; the publisher
sends N messages, which the broker queues; the ingest comes back on a fresh SQLite file and
the clock runs from its start to the commit of the last message. With no publisher competing
for the CPU this is the ingest's own capacity; the runs alternate between the two clients, so
a busy machine skews both alike. Also printed: CPU per message of the whole process and of the
writer alone (the rest is mostly paho's network thread).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from the repository root
    sys.path.insert(0, str(ROOT))

from bench._common import (  # noqa: E402
    MIXES,
    BatchLog,
    Publisher,
    bench_units,
    machine_note,
    private_broker,
    wait_until,
)
from commandcenter.config import Settings  # noqa: E402
from commandcenter.ingest import buffered_client  # noqa: E402
from commandcenter.ingest.runner import IngestService, open_ingest  # noqa: E402
from commandcenter.memory import settle_memory  # noqa: E402
from commandcenter.store.database import sqlite_url  # noqa: E402

CLIENTS = {"paho": False, "buffered": True}  # name -> buffered_client.PAHO_FITS


def _ingest(db: str, url: str, client_id: str) -> IngestService:
    service = open_ingest(Settings(db_url=db), url, client_id=client_id)
    service.hall.cases.register_units(bench_units(datetime.now(UTC)))
    return service


def drain(url: str, publisher: Publisher, workdir: Path, run: int, events: int,
          mix: str) -> tuple[float, float, float]:
    """Messages a second, process CPU and writer CPU per message (µs) for one backlog."""
    db, client_id = sqlite_url(workdir / f"drain-{run}.db"), f"bench-drain-{run}"
    service = _ingest(db, url, client_id)
    service.start()  # subscribe once: the broker keeps the session and queues for it
    if not wait_until(lambda: service.link.state().connected, 10):
        raise RuntimeError("ingest did not connect")
    service.stop()
    publisher.prepare(f"drain{run}", events, mix)
    publisher.burst()
    if not publisher.result().flushed:
        raise RuntimeError("the broker did not take the backlog")
    service = _ingest(db, url, client_id)
    log = BatchLog(service.hall.ingest)
    log.expect(events)
    settle_memory("bench drain")
    started, cpu = time.monotonic(), time.process_time()
    service.start()
    try:
        if not log.done.wait(300):
            raise RuntimeError(f"only {log.stored} of {events} stored")
        cpu = time.process_time() - cpu
        seconds = log.done_at - started
    finally:
        service.stop()
    return events / seconds, cpu / events * 1e6, sum(log.cpu) / events * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=6, help="in all, alternating clients")
    parser.add_argument("--mix", choices=sorted(MIXES), default="reports")
    args = parser.parse_args()
    print(machine_note())
    results: dict[str, list[tuple[float, float, float]]] = {name: [] for name in CLIENTS}
    with tempfile.TemporaryDirectory() as tmp, private_broker(Path(tmp)) as broker:
        publisher = Publisher(broker.url)
        try:
            for run in range(args.runs):
                name = list(CLIENTS)[run % len(CLIENTS)]
                buffered_client.PAHO_FITS = CLIENTS[name]
                rate, cpu, writer = drain(broker.url, publisher, Path(tmp), run, args.events,
                                          args.mix)
                results[name].append((rate, cpu, writer))
                print(f"run {run + 1} ({name}): {rate:,.0f}/s; CPU a message: process "
                      f"{cpu:.0f} µs, writer {writer:.0f} µs, the rest {cpu - writer:.0f} µs",
                      flush=True)
        finally:
            publisher.close()
    print(f"\nbacklog of {args.events:,} ({args.mix}), median of "
          f"{args.runs // len(CLIENTS)} runs each:")
    for name, rows in results.items():
        if rows:
            rate, cpu, writer = (statistics.median(col) for col in zip(*rows, strict=True))
            print(f"  {name:8s} {rate:,.0f}/s; CPU a message: process {cpu:.0f} µs, "
                  f"writer {writer:.0f} µs, the rest {cpu - writer:.0f} µs")
    if all(results.values()):
        paho, buffered = (statistics.median(r[0] for r in results[n]) for n in CLIENTS)
        print(f"  buffered / paho: {buffered / paho:.2f}")


if __name__ == "__main__":
    main()
