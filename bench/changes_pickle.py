"""What the console pays to receive one committed batch from the ingest process: pickling and
unpickling the `Changes` of a batch of new cases, as `IngestProcess` sends them through its pipe.
Unpickling runs on the console's pump thread while holding the interpreter lock the GUI thread
needs, so it is time the window may wait.

    .venv/bin/python bench/changes_pickle.py [--cases 500] [--repeat 20]

The batch is real: citizen reports stored by the ingest writer on a fresh SQLite file.
"""

from __future__ import annotations

import argparse
import pickle
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from the repository root
    sys.path.insert(0, str(ROOT))

from bench._common import bench_units, mixed_messages  # noqa: E402
from commandcenter.config import Settings  # noqa: E402
from commandcenter.hall import open_hall  # noqa: E402
from commandcenter.ingest.message import InboundMessage  # noqa: E402
from commandcenter.services.changes import Changes  # noqa: E402


def a_batch(cases: int) -> Changes:
    with tempfile.TemporaryDirectory() as tmp:
        hall = open_hall(Settings(db_url=f"sqlite+pysqlite:///{tmp}/bench.db"))
        try:
            now = datetime.now(UTC)
            hall.cases.register_units(bench_units(now))
            messages = [InboundMessage(topic, payload, now)
                        for topic, payload in mixed_messages("reports", "bench", cases, now)]
            return hall.ingest.writer.process(messages)
        finally:
            hall.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    changes = a_batch(args.cases)
    data = pickle.dumps(changes, protocol=pickle.HIGHEST_PROTOCOL)
    assert pickle.loads(data) == changes
    dumps, loads = [], []
    for _ in range(args.repeat):
        started = time.perf_counter()
        pickle.dumps(changes, protocol=pickle.HIGHEST_PROTOCOL)
        dumps.append(time.perf_counter() - started)
        started = time.perf_counter()
        pickle.loads(data)
        loads.append(time.perf_counter() - started)
    print(f"Changes of {len(changes.cases)} new cases: {len(data):,} bytes pickled")
    print(f"pickle (ingest process): median {statistics.median(dumps) * 1000:.1f} ms, "
          f"min {min(dumps) * 1000:.1f} ms")
    print(f"unpickle (console, holding the interpreter lock): median "
          f"{statistics.median(loads) * 1000:.1f} ms, min {min(loads) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
