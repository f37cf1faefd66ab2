"""Time from launching `commandcenter demo` to its first painted window, against a bare PySide6
window launched the same way (the reference): prints both and their ratio.

    .venv/bin/python bench/startup.py [--runs 5]

Runs offscreen. The first launch plays the demo warm-up in the background (after the window is
painted); later launches reopen the same demo database, as a dispatcher's restart would.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BARE = ("import time, sys\n"
        "from PySide6.QtWidgets import QApplication, QMainWindow\n"
        "app = QApplication(sys.argv[:1]); w = QMainWindow(); w.resize(1680, 960); w.show()\n"
        "app.processEvents(); print(f'{time.time():.3f}')\n")


def launch_console(env: dict[str, str], log: Path) -> float:
    start = time.time()
    subprocess.run([sys.executable, "-m", "commandcenter", "demo", "--screenshot",
                    str(log.parent / "shot.png"), "--after", "0.5"], cwd=ROOT, env=env,
                   check=True, capture_output=True, timeout=300)
    stamps = re.findall(r"first window painted after \d+ ms \(epoch ([\d.]+)\)",
                        log.read_text(encoding="utf-8"))
    return float(stamps[-1]) - start


def launch_bare(env: dict[str, str]) -> float:
    start = time.time()
    out = subprocess.run([sys.executable, "-c", BARE], env=env, check=True,
                         capture_output=True, text=True, timeout=60)
    return float(out.stdout.strip().splitlines()[-1]) - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CC_DATA_DIR=f"{tmp}/data",
                   CC_CONFIG_DIR=f"{tmp}/config", CC_LOG_DIR=f"{tmp}/log")
        log = Path(tmp) / "log" / "commandcenter.log"
        first = launch_console(env, log)  # creates and warms the demo database
        console = [launch_console(env, log) for _ in range(args.runs)]
        bare = [launch_bare(env) for _ in range(args.runs)]
    c, b = statistics.median(console), statistics.median(bare)
    print(f"first launch (empty database): {first * 1000:.0f} ms to first paint")
    print(f"console, median of {args.runs}: {c * 1000:.0f} ms to first paint")
    print(f"bare PySide6 window, median of {args.runs}: {b * 1000:.0f} ms")
    print(f"ratio console / bare: {c / b:.2f}")


if __name__ == "__main__":
    main()
