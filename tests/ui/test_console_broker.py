"""The console on a real broker: a published report appears in the queue; the status bar says
when the broker went away, how many orders wait for it, and that it came back."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from commandcenter.config import Settings
from commandcenter.ingest.broker_url import BrokerUrl
from commandcenter.ingest.mqtt import MqttLink
from tests.conftest import event_payload
from tests.support.mosquitto import Mosquitto
from ui.qt import Qt

pytestmark = pytest.mark.broker


@pytest.fixture
def console(qapp: object, qtbot: object, mosquitto: Mosquitto,
            sqlite_url: str) -> Iterator[object]:
    from ui.app import Console

    style = qapp.styleSheet()  # type: ignore[attr-defined]
    console = Console(qapp, Settings(db_url=sqlite_url, broker_url=mosquitto.url,
                                     workstation="test-ws"), demo=False, seed=7, rate=0.4)
    console.open()
    qtbot.addWidget(console.window)  # type: ignore[attr-defined]
    console.window.show()
    qtbot.waitUntil(lambda: console.link.state().connected, timeout=10000)  # type: ignore[attr-defined]
    yield console
    console.shutdown()
    qapp.setStyleSheet(style)  # type: ignore[attr-defined]


def test_published_report_appears_in_the_queue(console: object, mosquitto: Mosquitto,
                                                qtbot: object) -> None:
    window = console.window  # type: ignore[attr-defined]
    publisher = MqttLink(BrokerUrl.parse(mosquitto.url), "phone-gateway", lambda _m: None,
                         topics=())
    publisher.start()
    try:
        publisher.publish("cc/v1/event/suishoupai", event_payload())
        assert publisher.flush(10)
    finally:
        publisher.stop()
    qtbot.waitUntil(lambda: window.proxy.rowCount() == 1, timeout=10000)  # type: ignore[attr-defined]
    case = window.model.cases()[0]
    assert case.title == "民安花苑北门有流动摊贩占道经营"
    assert window.map.case_marker(case.id) is not None
    window._on_tick()
    assert "已连接" in window.status.link.text()


def test_status_bar_shows_since_when_the_broker_is_gone(console: object, mosquitto: Mosquitto,
                                                        qtbot: object) -> None:
    window = console.window  # type: ignore[attr-defined]
    mosquitto.stop()
    qtbot.waitUntil(lambda: not console.link.state().connected, timeout=10000)  # type: ignore[attr-defined]
    window._on_tick()
    text = window.status.link.text()
    since = console.link.state().since.astimezone(window.hall.ctx.tz).strftime("%H:%M:%S")  # type: ignore[attr-defined]
    assert "已断开" in text and since in text
    assert "待发送" not in text
    console.link.publish("cc/v1/dispatch/u-1", b'{"case": 1}')  # type: ignore[attr-defined]
    window._on_tick()
    assert "1 条指令待发送" in window.status.link.text()
    mosquitto.start()
    qtbot.waitUntil(lambda: console.link.state().connected, timeout=40000)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: console.link.unconfirmed() == 0, timeout=10000)  # type: ignore[attr-defined]
    window._on_tick()
    assert "已连接" in window.status.link.text()


def test_status_bar_says_when_the_ingest_process_died_and_it_comes_back(
        console: object, mosquitto: Mosquitto, qtbot: object) -> None:
    import os
    import signal

    window = console.window  # type: ignore[attr-defined]
    link = console.link  # type: ignore[attr-defined]
    first = link.pid
    os.kill(first, signal.SIGKILL)
    qtbot.waitUntil(lambda: not link.state().connected, timeout=10000)  # type: ignore[attr-defined]
    window._on_tick()
    assert "已断开" in window.status.link.text()
    assert "接收进程意外退出" in window.status.link.toolTip()
    qtbot.waitUntil(lambda: link.state().connected, timeout=30000)  # type: ignore[attr-defined]
    assert link.pid != first
    test_published_report_appears_in_the_queue(console, mosquitto, qtbot)


def test_closing_with_orders_waiting_for_the_broker_asks_first(
        console: object, mosquitto: Mosquitto, qtbot: object) -> None:
    from ui.qt import QApplication, QMessageBox, QTimer

    window = console.window  # type: ignore[attr-defined]
    link = console.link  # type: ignore[attr-defined]
    mosquitto.stop()
    qtbot.waitUntil(lambda: not link.state().connected, timeout=10000)  # type: ignore[attr-defined]
    link.publish("cc/v1/dispatch/u-1", b'{"case": 1}')
    asked: list[str] = []

    def answer_with_enter() -> None:  # the default: stay
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer_with_enter)
            return
        asked.append(box.text())
        qtbot.keyClick(box, Qt.Key.Key_Return)  # type: ignore[attr-defined]

    QTimer.singleShot(20, answer_with_enter)
    window.close()
    assert asked and "1 条派遣指令" in asked[0]
    assert window.isVisible(), "Enter keeps the console open"
    mosquitto.start()
    qtbot.waitUntil(lambda: link.unconfirmed() == 0, timeout=40000)  # type: ignore[attr-defined]
    window.close()  # nothing waits any more: no question
    assert not window.isVisible()
    assert len(asked) == 1
