"""Run the program as a user would, as a subprocess, and read what it leaves behind."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent


def run_cc(*args: str, env_dir: Path, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CC_DATA_DIR=str(env_dir / "data"),
               CC_CONFIG_DIR=str(env_dir / "config"), CC_LOG_DIR=str(env_dir / "log"))
    return subprocess.run([sys.executable, "-m", "commandcenter", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def case_numbers(db: Path) -> set[str]:
    engine = create_engine(f"sqlite+pysqlite:///{db}")
    with engine.connect() as conn:
        numbers = {row[0] for row in conn.execute(text("SELECT number FROM cases"))}
    engine.dispose()
    return numbers


@pytest.mark.slow
def test_demo_screenshot_and_restart(tmp_path: Path) -> None:
    shot = tmp_path / "demo.png"
    first = run_cc("demo", "--fresh", "--screenshot", str(shot), "--after", "2",
                   env_dir=tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip().endswith("demo.png")
    assert png_size(shot) == (1680, 960)
    log = (tmp_path / "log" / "commandcenter.log").read_text(encoding="utf-8")
    assert "first window painted after" in log
    assert "Traceback" not in log

    db = tmp_path / "data" / "demo.db"
    before = case_numbers(db)
    assert len(before) >= 10, "the warm-up plays a shift: the queue is not empty"

    # Closing and starting again keeps every case and its history.
    second = run_cc("demo", "--screenshot", str(tmp_path / "again.png"), "--after", "1",
                    env_dir=tmp_path)
    assert second.returncode == 0, second.stderr
    assert before <= case_numbers(db)

    verify = run_cc("audit", "verify", "--db", f"sqlite+pysqlite:///{db}", env_dir=tmp_path)
    assert verify.returncode == 0, verify.stderr
    result = json.loads(verify.stdout)
    assert result["ok"] and result["entries"] > len(before)


def test_help_explains_the_subcommands(tmp_path: Path) -> None:
    result = run_cc("--help", env_dir=tmp_path)
    assert result.returncode == 0
    for word in ("run", "demo", "audit verify", "coords"):
        assert word in result.stdout
    demo = run_cc("demo", "--help", env_dir=tmp_path)
    assert "--screenshot" in demo.stdout and "--rate" in demo.stdout
