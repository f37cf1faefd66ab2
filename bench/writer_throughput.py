"""The ingest writer alone: messages straight into `IngestWriter.process` on a fresh SQLite
file, in batches of 500 as the worker takes them (no broker, no threads). Separates the
writer's own cost from the MQTT path measured by bench/ingest_throughput.py.

    .venv/bin/python bench/writer_throughput.py [--kind reports|fixes|readings] [--count 6000]
                                                [--profile]

--kind reports: citizen reports, each a new case (the heaviest message: event, case,
    deadline, duplicate search, audit entry); fixes: officers' GPS fixes (200 officers);
    readings: oil-fume monitor readings (300 monitors, below the limit: no alarm).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from the repository root
    sys.path.insert(0, str(ROOT))

from commandcenter.config import Settings  # noqa: E402
from commandcenter.domain.unit import Unit  # noqa: E402
from commandcenter.hall import Hall, open_hall  # noqa: E402
from commandcenter.ingest.message import InboundMessage  # noqa: E402
from commandcenter.sim.broadcast import load_event  # noqa: E402
from commandcenter.sim.places import load_places  # noqa: E402

OFFICERS = 200
MONITORS = 300


def reports(hall: Hall, count: int, now: datetime) -> list[InboundMessage]:
    places, rng = load_places(), random.Random(1)
    return [InboundMessage("cc/v1/event/load", load_event(places, rng, "bench", i, now), now)
            for i in range(count)]


def fixes(hall: Hall, count: int, now: datetime) -> list[InboundMessage]:
    hall.cases.register_units([Unit(f"u-{i}", f"队员{i}", squad="城东中队", lat=32.03,
                                    lon=120.87, position_at=now - timedelta(hours=1))
                               for i in range(OFFICERS)])
    rng = random.Random(1)
    out = []
    for n in range(count):
        body = {"lat": 32.0 + rng.random() * 0.05, "lon": 120.85 + rng.random() * 0.05,
                "crs": "wgs84", "ts": (now + timedelta(milliseconds=n)).isoformat()}
        out.append(InboundMessage(f"cc/v1/unit/u-{rng.randrange(OFFICERS)}/location",
                                  json.dumps(body).encode(), now))
    return out


def readings(hall: Hall, count: int, now: datetime) -> list[InboundMessage]:
    rng = random.Random(1)
    out = []
    for n in range(count):
        device = f"MN{rng.randrange(MONITORS):04d}"
        body = {"source": "hj212", "source_id": f"{device}/{n}", "kind": "reading",
                "device": device, "occurred_at": (now + timedelta(seconds=n)).isoformat(),
                "measurements": {"a34041": {"value": rng.random() * 1.5, "unit": "mg/m3"}}}
        out.append(InboundMessage("cc/v1/event/hj212", json.dumps(body).encode(), now))
    return out


KINDS = {"reports": reports, "fixes": fixes, "readings": readings}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kind", choices=sorted(KINDS), default="reports")
    parser.add_argument("--count", "--reports", type=int, default=6000)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        hall = open_hall(Settings(db_url=f"sqlite+pysqlite:///{tmp}/bench.db"))
        messages = KINDS[args.kind](hall, args.count, datetime.now(UTC))
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
    print(f"{args.count} {args.kind} in {elapsed:.2f} s: {args.count / elapsed:,.0f}/s, "
          f"{elapsed / args.count * 1e6:.0f} µs each ({cpu / args.count * 1e6:.0f} µs of CPU: "
          "the steadier figure on a busy machine)")
    if profile:
        pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
        pstats.Stats(profile).sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    main()
