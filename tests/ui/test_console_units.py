"""Officers' markers follow their fixes, redrawn at most twice a second however many arrive."""

from __future__ import annotations

import json
import time
from datetime import timedelta

from commandcenter.ingest.message import InboundMessage
from tests.conftest import FakeClock
from tests.ui.conftest import ConsoleUnderTest
from ui.main_window import UNITS_REDRAW_MS


def fix(console: ConsoleUnderTest, clock: FakeClock, unit: str, n: int) -> None:
    at = clock.now + timedelta(seconds=n)
    body = {"lat": 32.03 + n / 1e4, "lon": 120.87, "crs": "wgs84", "ts": at.isoformat()}
    console.hall.ingest.put(InboundMessage(f"cc/v1/unit/{unit}/location",
                                           json.dumps(body).encode(), clock.now))


def test_a_stream_of_fixes_moves_the_markers_in_few_redraws(
        console: ConsoleUnderTest, clock: FakeClock, qtbot: object) -> None:
    window = console.window
    drawn: list[dict[str, float]] = []
    original = window.map.set_units  # type: ignore[attr-defined]

    def spy(markers: list[object]) -> None:
        drawn.append({m.unit_id: m.lat for m in markers})  # type: ignore[attr-defined]
        original(markers)

    window.map.set_units = spy  # type: ignore[attr-defined]
    started = time.monotonic()
    for n in range(1, 61):
        fix(console, clock, "u-cd-01" if n % 2 else "u-cd-02", n)
        qtbot.wait(20)  # type: ignore[attr-defined]

    def caught_up() -> bool:
        return bool(drawn) and drawn[-1].get("u-cd-01") == 32.03 + 59 / 1e4

    qtbot.waitUntil(caught_up, timeout=UNITS_REDRAW_MS * 4)  # type: ignore[attr-defined]
    elapsed = time.monotonic() - started
    assert drawn[-1]["u-cd-02"] == 32.03 + 60 / 1e4
    # Fixes for over a second: a redraw every half second at most, not one per batch (the
    # console applies up to ten batches a second).
    assert len(drawn) <= elapsed * 1000 / UNITS_REDRAW_MS + 1
