"""`commandcenter parse` and `coords` as IT uses them: files in, JSON lines out, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.ingest.hj212.builders import oil_2011

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "tests" / "ingest" / "cameras" / "samples"


def cc(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "commandcenter", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)


def test_parse_mixes_good_and_rejected_files(tmp_path: Path) -> None:
    good = tmp_path / "good.hj212"
    good.write_bytes(oil_2011())
    bad = tmp_path / "bad.hj212"
    bad.write_bytes(oil_2011().replace(b"1.23", b"1.24"))  # CRC no longer matches
    result = cc("parse", "--format", "hj212", str(good), str(bad))
    assert result.returncode == 3
    (line,) = result.stdout.splitlines()
    event = json.loads(line)
    assert event["schema"] == "cc.event/1" and event["measurements"]["a34041"]["value"] == 1.23
    (error,) = [json.loads(x) for x in result.stderr.splitlines()]
    assert error["file"] == str(bad) and "CRC" in error["error"]


def test_parse_isapi_and_json_all_good(tmp_path: Path) -> None:
    result = cc("parse", "--format", "isapi", "--camera", "32061300001310000006",
                str(SAMPLES / "isapi_hikvision_ns.xml"))
    assert result.returncode == 0, result.stderr
    event = json.loads(result.stdout)
    assert event["kind"] == "camera" and event["location"]["crs"] == "wgs84"
    saved = tmp_path / "event.json"
    saved.write_text(result.stdout, encoding="utf-8")
    again = cc("parse", "--format", "json", str(saved))
    assert again.returncode == 0 and json.loads(again.stdout) == event


def test_coords_round_trip_and_bad_input() -> None:
    there = cc("coords", "--from", "wgs84", "--to", "gcj02", "32.0,120.86")
    assert there.returncode == 0
    back = cc("coords", "--from", "gcj02", "--to", "wgs84", there.stdout.strip())
    lat, lon = map(float, back.stdout.strip().split(","))
    assert abs(lat - 32.0) < 1e-7 and abs(lon - 120.86) < 1e-7
    assert cc("coords", "--from", "wgs84", "--to", "bd09", "north").returncode == 3
