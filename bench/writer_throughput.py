"""The ingest writer alone: citizen reports straight into `IngestWriter.process` on a fresh
SQLite file, in batches of 500 as the worker takes them (no broker, no threads). Separates the
writer's own cost from the MQTT path measured by bench/ingest_throughput.py.

    .venv/bin/python bench/writer_throughput.py [--reports 6000] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from the repository root
    sys.path.insert(0, str(ROOT))

from commandcenter.config import Settings  # noqa: E402
from commandcenter.hall import open_hall  # noqa: E402
from commandcenter.ingest.message import InboundMessage  # noqa: E402
from commandcenter.sim.broadcast import load_event  # noqa: E402
from commandcenter.sim.places import load_places  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=6000)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        hall = open_hall(Settings(db_url=f"sqlite+pysqlite:///{tmp}/bench.db"))
        places, rng = load_places(), random.Random(1)
        now = datetime.now(UTC)
        messages = [InboundMessage("cc/v1/event/load", load_event(places, rng, "bench", i, now),
                                   now) for i in range(args.reports)]
        profile = cProfile.Profile() if args.profile else None
        started, cpu = time.perf_counter(), time.process_time()
        if profile:
            profile.enable()
        for i in range(0, len(messages), 500):
            hall.ingest.writer.process(messages[i:i + 500])
        if profile:
            profile.disable()
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        hall.close()
    print(f"{args.reports} reports (each a new case) in {elapsed:.2f} s: "
          f"{args.reports / elapsed:,.0f}/s, {elapsed / args.reports * 1e6:.0f} µs a report "
          f"({cpu / args.reports * 1e6:.0f} µs of CPU: the steadier figure on a busy machine)")
    if profile:
        pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
        pstats.Stats(profile).sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    main()
