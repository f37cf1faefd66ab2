"""A console without a broker on a shared PostgreSQL database follows the other workstations
itself: their new cases and actions reach its window through the bridge."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from commandcenter.config import Settings
from commandcenter.domain.case import Action, Case
from commandcenter.hall import Hall, open_hall
from commandcenter.ingest.message import InboundMessage
from commandcenter.services.actor import DISPATCHER, Actor
from commandcenter.services.changes import Changes
from tests.conftest import event_payload

pytestmark = pytest.mark.postgres
DESK = Actor("user:li", "李调度", frozenset({DISPATCHER}))


@pytest.fixture
def halls(pg_url: str) -> Iterator[tuple[Hall, Hall]]:
    here, there = open_hall(Settings(db_url=pg_url)), open_hall(Settings(db_url=pg_url))
    yield here, there
    here.close()
    there.close()


def test_the_other_workstations_reach_this_window(qtbot: Any,
                                                  halls: tuple[Hall, Hall]) -> None:
    from ui.bridge import Bridge
    from ui.follow_others import OthersFollower

    here, there = halls
    bridge = Bridge()
    shown: dict[int, Case] = {}
    new: list[int] = []

    def apply(changes: Changes) -> None:
        shown.update(changes.cases)
        new.extend(changes.new_case_ids)

    bridge.changed.connect(apply)
    follower = OthersFollower(here, bridge)
    follower.start()
    try:
        qtbot.wait(600)  # the first poll starts the watch
        (case_id,) = there.ingest.writer.process([InboundMessage(
            "cc/v1/event/suishoupai", event_payload(), there.ctx.clock())]).new_case_ids
        qtbot.waitUntil(lambda: new == [case_id], timeout=5000)
        there.cases.act(case_id, Action.REGISTER, DESK, expected_version=1)
        qtbot.waitUntil(lambda: shown[case_id].version == 2, timeout=5000)
    finally:
        follower.stop()
        bridge.shutdown()


def test_a_console_without_broker_follows_on_postgresql_only(qtbot: Any, qapp: Any,
                                                              pg_url: str,
                                                              sqlite_url: str) -> None:
    from ui.app import Console

    style = qapp.styleSheet()
    try:
        for url, follows in ((pg_url, True), (sqlite_url, False)):
            console = Console(qapp, Settings(db_url=url, workstation="test-ws"), demo=False,
                              seed=7, rate=0.4)
            console.open()
            qtbot.addWidget(console.window)
            try:
                assert (console.follower is not None) is follows, url
            finally:
                console.shutdown()
            assert console.follower is None, "stopped with the console"
    finally:
        qapp.setStyleSheet(style)
