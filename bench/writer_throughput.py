"""The ingest writer alone: messages straight into `IngestWriter.process` on a fresh SQLite
file, in batches of 500 as the worker takes them (no broker, no threads). Separates the
writer's own cost from the MQTT path measured by bench/ingest_throughput.py.

    .venv/bin/python bench/writer_throughput.py [--mix reports|fixes|readings|hall]
                                                [--count 6000] [--profile]

reports: citizen reports, each a new case (the heaviest message: event, case, deadline,
duplicate search, audit entry); fixes: officers' GPS fixes (200 officers); readings: oil-fume
monitor readings (300 monitors, below the limit); hall: a mix of the three (bench/_common.py).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from the repository root
    sys.path.insert(0, str(ROOT))

from bench._common import MIXES, bench_units, mixed_messages  # noqa: E402
from commandcenter.config import Settings  # noqa: E402
from commandcenter.hall import open_hall  # noqa: E402
from commandcenter.ingest.message import InboundMessage  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mix", choices=sorted(MIXES), default="reports")
    parser.add_argument("--count", type=int, default=6000)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        hall = open_hall(Settings(db_url=f"sqlite+pysqlite:///{tmp}/bench.db"))
        now = datetime.now(UTC)
        hall.cases.register_units(bench_units(now))
        messages = [InboundMessage(topic, payload, now)
                    for topic, payload in mixed_messages(args.mix, "bench", args.count, now)]
        profile = cProfile.Profile() if args.profile else None
        started, cpu = time.perf_counter(), time.process_time()
        if profile:
            profile.enable()
        stored = 0
        for i in range(0, len(messages), 500):
            stored += hall.ingest.writer.process(messages[i:i + 500]).events_stored
        if profile:
            profile.disable()
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        hall.close()
    if stored != args.count:
        raise SystemExit(f"only {stored} of {args.count} stored")
    print(f"{args.count} messages ({args.mix}) in {elapsed:.2f} s: {args.count / elapsed:,.0f}/s,"
          f" {elapsed / args.count * 1e6:.0f} µs each ({cpu / args.count * 1e6:.0f} µs of CPU: "
          "the steadier figure on a busy machine)")
    if profile:
        pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
        pstats.Stats(profile).sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    main()
