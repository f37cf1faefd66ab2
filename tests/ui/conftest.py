"""UI fixtures: a real hall on SQLite, the real main window, offscreen."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from commandcenter.config import Settings
from commandcenter.domain.unit import Unit
from commandcenter.hall import Hall, open_hall
from commandcenter.services.actor import DISPATCHER, SUPERVISOR, Actor
from tests.conftest import FakeClock

CHIEF = Actor("user:wang", "王值班长", frozenset({DISPATCHER, SUPERVISOR}))


@dataclass
class ConsoleUnderTest:
    hall: Hall
    window: object
    bridge: object
    sent: list[tuple[str, bytes]] = field(default_factory=list)


@pytest.fixture
def console(qtbot: object, sqlite_url: str, clock: FakeClock) -> Iterator[ConsoleUnderTest]:
    from ui.bridge import Bridge
    from ui.main_window import MainWindow

    bridge = Bridge()
    hall = open_hall(Settings(db_url=sqlite_url), on_changes=bridge.post_changes)
    hall.ctx.clock = clock
    out = ConsoleUnderTest(hall, None, bridge)
    hall.outbox.set_publisher(lambda topic, payload: out.sent.append((topic, payload)))
    hall.cases.register_units([
        Unit("u-cd-01", "张伟", squad="城东中队", lat=32.031, lon=120.871, position_at=clock.now),
        Unit("u-cd-02", "王芳", squad="城东中队", lat=32.060, lon=120.900, position_at=clock.now),
    ])
    hall.ingest.start()
    window = MainWindow(hall, CHIEF, bridge, demo=False)
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    out.window = window
    window.show()
    qtbot.waitExposed(window)  # type: ignore[attr-defined]
    window.load()
    qtbot.waitUntil(lambda: window.loaded)  # type: ignore[attr-defined]
    yield out
    window.close()
    hall.close()
    bridge.shutdown()
