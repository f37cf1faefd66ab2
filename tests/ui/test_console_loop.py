"""The dispatcher's whole loop through the real widgets: report → 立案 → 派遣 → officer replies →
核查 → 结案, with the queue, the map and the case panel checked at each step."""

from __future__ import annotations

import json

import pytest

from commandcenter.domain.case import CaseState
from commandcenter.ingest.message import InboundMessage
from tests.conftest import FakeClock, event_payload
from tests.ui.conftest import ConsoleUnderTest
from ui.map import TimerState
from ui.qt import QApplication, QDialog, Qt, QTimer
from ui.queue.model import Column


def publish(console: ConsoleUnderTest, clock: FakeClock, topic: str, payload: bytes) -> None:
    console.hall.ingest.put(InboundMessage(topic, payload, clock.now))


def officer_says(console: ConsoleUnderTest, clock: FakeClock, status: str, number: str) -> None:
    body = {"status": status, "case_id": number, "ts": clock.now.isoformat()}
    publish(console, clock, "cc/v1/unit/u-cd-01/status", json.dumps(body).encode())


def state_of(console: ConsoleUnderTest, case_id: int) -> CaseState:
    case = console.window.model.case(case_id)
    assert case is not None
    return case.state


def accept_next_dialog(qtbot: object, *, keys: tuple[Qt.Key, ...] = ()) -> None:
    """Answer the next modal dialog with Enter (after `keys`), as a dispatcher would."""

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog):
            QTimer.singleShot(20, answer)
            return
        for key in keys:
            qtbot.keyClick(dialog.focusWidget(), key)  # type: ignore[attr-defined]
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)  # type: ignore[attr-defined]

    QTimer.singleShot(20, answer)


def press(console: ConsoleUnderTest, qtbot: object, key: Qt.Key,
          modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """A key press in the queue; like a window manager, give focus back after a dialog."""
    window = console.window
    if QApplication.activeWindow() is not window:
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)  # type: ignore[attr-defined]
    qtbot.keyClick(window.queue, key, modifier)  # type: ignore[attr-defined]


def test_full_loop_with_the_keyboard(console: ConsoleUnderTest, clock: FakeClock,
                                     qtbot: object) -> None:
    window = console.window
    publish(console, clock, "cc/v1/event/suishoupai", event_payload())
    qtbot.waitUntil(lambda: window.proxy.rowCount() == 1)  # type: ignore[attr-defined]
    case = window.model.cases()[0]
    case_id = case.id
    assert window.proxy.index(0, Column.STATE).data() == "待立案"
    assert "立案 剩" in window.proxy.index(0, Column.TIMER).data()

    # The dispatcher selects it with the keyboard; the panel and the map follow.
    window.queue.setFocus()
    press(console, qtbot, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: window.panel.case() is not None)  # type: ignore[attr-defined]
    assert window.map.selected_case == case_id
    assert window.case_actions.actions[next(iter(window.case_actions.actions))].isEnabled()

    clock.advance(minutes=1)
    press(console, qtbot, Qt.Key.Key_F2)  # 立案
    qtbot.waitUntil(lambda: state_of(console, case_id) is CaseState.REGISTERED)  # type: ignore[attr-defined]
    assert "到场 剩 15:00" in window.proxy.index(0, Column.TIMER).data()

    accept_next_dialog(qtbot)
    press(console, qtbot, Qt.Key.Key_F3)  # 派遣: nearest available officer preselected
    qtbot.waitUntil(lambda: state_of(console, case_id) is CaseState.DISPATCHED)  # type: ignore[attr-defined]
    assert console.sent and console.sent[-1][0] == "cc/v1/dispatch/u-cd-01"
    number = json.loads(console.sent[-1][1])["case_id"]
    assert window.proxy.index(0, Column.ASSIGNEE).data() == "张伟"

    clock.advance(seconds=30)
    officer_says(console, clock, "accepted", number)
    qtbot.waitUntil(lambda: state_of(console, case_id) is CaseState.IN_PROGRESS)  # type: ignore[attr-defined]
    clock.advance(minutes=9)
    officer_says(console, clock, "on_scene", number)
    qtbot.waitUntil(lambda: window.model.case(case_id).arrived_at is not None)  # type: ignore[attr-defined]
    assert "处置 剩" in window.proxy.index(0, Column.TIMER).data()
    assert window.map.case_marker(case_id).state is TimerState.OK
    clock.advance(minutes=4)
    officer_says(console, clock, "handled", number)
    qtbot.waitUntil(lambda: state_of(console, case_id) is CaseState.HANDLED)  # type: ignore[attr-defined]

    press(console, qtbot, Qt.Key.Key_F4)  # 核查
    qtbot.waitUntil(lambda: state_of(console, case_id) is CaseState.CHECKING)  # type: ignore[attr-defined]
    press(console, qtbot, Qt.Key.Key_F6)  # 结案
    qtbot.waitUntil(lambda: state_of(console, case_id) is CaseState.CLOSED)  # type: ignore[attr-defined]

    # A closed case leaves the open queue and the map; its history is complete.
    qtbot.waitUntil(lambda: window.proxy.rowCount() == 0)  # type: ignore[attr-defined]
    assert window.map.case_marker(case_id) is None
    detail = console.hall.cases.detail(case_id)
    assert [t.action for t in detail.timeline] == [
        "report", "register", "dispatch", "accept", "arrive", "handle", "check", "close"]
    window.show_closed.setChecked(True)
    assert window.proxy.rowCount() == 1
    assert window.proxy.index(0, Column.STATE).data() == "已结案"


def test_cancel_needs_a_reason(console: ConsoleUnderTest, clock: FakeClock,
                               qtbot: object) -> None:
    window = console.window
    publish(console, clock, "cc/v1/event/suishoupai", event_payload())
    qtbot.waitUntil(lambda: window.proxy.rowCount() == 1)  # type: ignore[attr-defined]
    window.queue.selectRow(0)
    case_id = window.model.cases()[0].id
    accept_next_dialog(qtbot, keys=(Qt.Key.Key_Down,))  # the first preset reason: 重复上报
    press(console, qtbot, Qt.Key.Key_F8)  # 作废
    qtbot.waitUntil(lambda: state_of(console, case_id) is CaseState.CANCELLED)  # type: ignore[attr-defined]
    assert console.hall.cases.detail(case_id).case.cancel_reason == "重复上报"


def test_illegal_actions_are_disabled(console: ConsoleUnderTest, clock: FakeClock,
                                      qtbot: object) -> None:
    from commandcenter.domain.case import Action

    window = console.window
    publish(console, clock, "cc/v1/event/suishoupai", event_payload())
    qtbot.waitUntil(lambda: window.proxy.rowCount() == 1)  # type: ignore[attr-defined]
    window.queue.selectRow(0)
    qtbot.waitUntil(lambda: window.panel.case() is not None)  # type: ignore[attr-defined]
    enabled = {a for a, q in window.case_actions.actions.items() if q.isEnabled()}
    assert enabled == {Action.REGISTER, Action.CANCEL}
    press(console, qtbot, Qt.Key.Key_F6)  # 结案 on a fresh report: nothing happens
    qtbot.wait(300)  # type: ignore[attr-defined]
    assert state_of(console, window.model.cases()[0].id) is CaseState.REPORTED


def test_map_and_queue_selection_follow_each_other(console: ConsoleUnderTest, clock: FakeClock,
                                                   qtbot: object) -> None:
    window = console.window
    publish(console, clock, "cc/v1/event/suishoupai", event_payload(source_id="a"))
    far = {"lat": 32.0600, "lon": 120.9000, "crs": "wgs84", "address": "晨苑小区"}
    publish(console, clock, "cc/v1/event/suishoupai", event_payload(source_id="b", location=far))
    qtbot.waitUntil(lambda: window.proxy.rowCount() == 2)  # type: ignore[attr-defined]
    window.fit_map_to_work()
    second = next(c for c in window.model.cases() if c.location.address == "晨苑小区")
    point = window.map.map_to_viewport(second.location.lat, second.location.lon)
    qtbot.mouseClick(window.map.viewport(), Qt.MouseButton.LeftButton, pos=point)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: window.selected_case_id() == second.id)  # type: ignore[attr-defined]
    assert window.panel.case().id == second.id
    first_id = next(c.id for c in window.model.cases() if c.id != second.id)
    window.select_case(first_id)
    assert window.map.selected_case == first_id
    assert window.panel.case().id == first_id


@pytest.mark.parametrize("minutes, expected", [(5, TimerState.OK), (13, TimerState.WARN),
                                               (16, TimerState.OVERDUE)])
def test_timer_colours_in_queue_and_map(console: ConsoleUnderTest, clock: FakeClock,
                                        qtbot: object, minutes: int,
                                        expected: TimerState) -> None:
    from commandcenter.domain.case import Action

    window = console.window
    publish(console, clock, "cc/v1/event/suishoupai", event_payload())
    qtbot.waitUntil(lambda: window.proxy.rowCount() == 1)  # type: ignore[attr-defined]
    case = window.model.cases()[0]
    console.bridge.post_changes(console.hall.cases.act(case.id, Action.REGISTER, window.actor,
                                                       expected_version=case.version))
    qtbot.waitUntil(lambda: state_of(console, case.id) is CaseState.REGISTERED)  # type: ignore[attr-defined]
    clock.advance(minutes=minutes)  # vendor case: on scene within 15 min
    window._on_tick()
    brush = window.proxy.index(0, Column.TIMER).data(Qt.ItemDataRole.BackgroundRole)
    assert brush.color().name() == expected.colour
    assert window.map.case_marker(case.id).state is expected


def test_merge_a_duplicate_with_f7_and_split_it_again(console: ConsoleUnderTest,
                                                      clock: FakeClock, qtbot: object) -> None:
    window = console.window
    publish(console, clock, "cc/v1/event/suishoupai", event_payload(source_id="a"))
    qtbot.waitUntil(lambda: window.proxy.rowCount() == 1)  # type: ignore[attr-defined]
    clock.advance(minutes=4)
    near = {"lat": 32.0306, "lon": 120.8703, "crs": "wgs84", "address": "民安花苑北门东侧"}
    publish(console, clock, "cc/v1/event/suishoupai",
            event_payload(source_id="b", location=near, occurred_at=clock.now.isoformat()))
    qtbot.waitUntil(lambda: window.proxy.rowCount() == 2)  # type: ignore[attr-defined]
    first, second = sorted(window.model.cases(), key=lambda c: c.id)
    assert second.duplicate_of == first.id
    window.select_case(second.id)
    qtbot.waitUntil(lambda: window.merge_action.isEnabled())  # type: ignore[attr-defined]
    assert not window.panel._duplicate.isHidden()
    assert first.number in window.panel._duplicate.text()

    press(console, qtbot, Qt.Key.Key_F7)
    qtbot.waitUntil(lambda: window.model.case(first.id).event_count == 2)  # type: ignore[attr-defined]
    assert state_of(console, second.id) is CaseState.CANCELLED
    qtbot.waitUntil(lambda: window.proxy.rowCount() == 1)  # type: ignore[attr-defined]
    assert window.selected_case_id() == first.id

    detail = console.hall.cases.detail(first.id)
    moved = next(r for r in detail.events if r.event.source_id == "b")
    qtbot.waitUntil(lambda: "split:" in window.panel._signals.toHtml())  # type: ignore[attr-defined]
    window.panel.splitRequested.emit(moved.id)
    qtbot.waitUntil(lambda: window.proxy.rowCount() == 2)  # type: ignore[attr-defined]
    assert window.model.case(first.id).event_count == 1
