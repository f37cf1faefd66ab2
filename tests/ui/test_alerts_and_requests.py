"""Timers that act, in the console: 督办 is seen and heard, muting is visible, and the 值班长
approves a dispatcher's request from the list."""

from __future__ import annotations

from commandcenter.domain.case import Action, CaseState
from commandcenter.ingest.message import InboundMessage
from commandcenter.services.actor import DISPATCHER, Actor
from tests.conftest import FakeClock, event_payload
from tests.ui.conftest import ConsoleUnderTest
from tests.ui.test_console_loop import publish, state_of
from ui.queue.model import Column

DISPATCH = Actor("user:李调度", "李调度", frozenset({DISPATCHER}))


def registered(console: ConsoleUnderTest, clock: FakeClock, qtbot: object) -> int:
    window = console.window
    publish(console, clock, "cc/v1/event/suishoupai", event_payload())
    qtbot.waitUntil(lambda: window.proxy.rowCount() == 1)  # type: ignore[attr-defined]
    case = window.model.cases()[0]
    console.bridge.post_changes(console.hall.cases.act(case.id, Action.REGISTER, window.actor,
                                                       expected_version=case.version))
    qtbot.waitUntil(lambda: state_of(console, case.id) is CaseState.REGISTERED)  # type: ignore[attr-defined]
    return case.id


def test_overdue_case_is_escalated_with_banner_and_sound(console: ConsoleUnderTest,
                                                         clock: FakeClock,
                                                         qtbot: object) -> None:
    window = console.window
    case_id = registered(console, clock, qtbot)
    clock.advance(minutes=16)
    console.bridge.post_changes(console.hall.ingest.writer.housekeeping())
    qtbot.waitUntil(lambda: window.model.case(case_id).escalated_at is not None)  # type: ignore[attr-defined]
    assert window.banner.chime.played == 1
    (alert,) = window.banner.pending()
    assert alert.case_id == case_id and "督办" in alert.text and "到场超时" in alert.text
    assert "督办" in window.proxy.index(0, Column.STATE).data()

    window.banner.toggle_mute()
    assert window.banner.chime.muted and "已静音" in window.banner._mute.text()
    window.banner.acknowledge()
    assert window.banner.pending() == []
    assert "静音" in window.banner._text.text(), "muted stays visible with no alert"


def test_dispatcher_request_reaches_the_supervisor_list(console: ConsoleUnderTest,
                                                        clock: FakeClock,
                                                        qtbot: object) -> None:
    window = console.window
    case_id = registered(console, clock, qtbot)
    due = window.model.case(case_id).deadlines["arrive"].due
    console.bridge.post_changes(console.hall.requests.request(
        case_id, Action.EXTEND, DISPATCH, "交通管制", minutes=20))
    qtbot.waitUntil(lambda: "(1)" in window.requests_action.text())  # type: ignore[attr-defined]
    window.show_requests()
    dialog = window._requests_dialog
    qtbot.waitUntil(lambda: dialog._list.count() == 1)  # type: ignore[attr-defined]
    assert "交通管制" in dialog._list.item(0).text()
    dialog._act(True)
    qtbot.waitUntil(lambda: window.model.case(case_id).deadlines["arrive"].due != due)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: "(0)" in window.requests_action.text())  # type: ignore[attr-defined]
    dialog.close()


def test_a_case_reported_twice_is_heard_once(console: ConsoleUnderTest, clock: FakeClock,
                                             qtbot: object) -> None:
    """On a shared database the same new case can come from this console's ingest and from
    the watch on the other workstations; the echo of this console's own action comes back
    too. Neither raises a second alert nor reloads the case being read."""
    window = console.window
    changes = console.hall.ingest.writer.process([InboundMessage(
        "cc/v1/event/suishoupai", event_payload(severity="critical"), clock.now)])
    (case_id,) = changes.new_case_ids
    assert changes.cases[case_id].priority == 1
    console.bridge.post_changes(changes)
    qtbot.waitUntil(lambda: window.proxy.rowCount() == 1)  # type: ignore[attr-defined]
    console.bridge.post_changes(changes)  # the same version, again
    qtbot.wait(300)  # type: ignore[attr-defined]
    assert window.banner.chime.played == 1
    assert [a.case_id for a in window.banner.pending()] == [case_id]

    window.queue.selectRow(0)
    qtbot.waitUntil(lambda: "上报" in window.panel._history.toPlainText())  # type: ignore[attr-defined]
    registered = console.hall.cases.act(case_id, Action.REGISTER, window.actor,
                                        expected_version=1)
    console.bridge.post_changes(registered)
    qtbot.waitUntil(lambda: "立案" in window.panel._history.toPlainText())  # type: ignore[attr-defined]
    window.panel._history.setPlainText("read by the dispatcher")
    console.bridge.post_changes(registered)  # the echo from the watch
    qtbot.wait(300)  # type: ignore[attr-defined]
    assert window.panel._history.toPlainText() == "read by the dispatcher", "not reloaded"
