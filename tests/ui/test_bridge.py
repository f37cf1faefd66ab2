"""The bridge at the end of a session: the last results' callbacks may ask for more work
while the console closes; that work is dropped, not an exception in the close."""

from __future__ import annotations

from typing import Any


def test_work_asked_for_while_closing_is_dropped(qtbot: Any) -> None:
    from ui.bridge import Bridge

    bridge = Bridge()
    ran: list[str] = []

    def follow_up(_result: None) -> None:  # e.g. the first picture arriving at close
        ran.append("first")
        later = bridge.run(lambda: ran.append("second"))
        assert later.cancelled()

    bridge.run(lambda: None, follow_up)
    bridge.shutdown()
    assert ran == ["first"]
