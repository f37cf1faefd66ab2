"""The supervisor's 隔离消息 dialog over messages a real SQLite hall really rejected."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from commandcenter.config import Settings
from commandcenter.hall import Hall, open_hall
from commandcenter.services.quarantine import QuarantineEntry, list_quarantine
from tests.conftest import FakeClock
from tests.services.test_quarantine import BAD_MESSAGES, feed_bad_messages
from ui.qt import QApplication, QGuiApplication, Qt
from ui.quarantine_dialog import Column, QuarantineDialog


def run_now(job: Callable[[], Any], on_done: Callable[[Any], None]) -> None:
    """The threading seam made synchronous: the job still runs for real, just on this thread."""
    on_done(job())


@pytest.fixture
def hall(sqlite_url: str, clock: FakeClock) -> Iterator[Hall]:
    h = open_hall(Settings(db_url=sqlite_url))
    h.ctx.clock = clock
    feed_bad_messages(h, clock)
    yield h
    h.close()


@pytest.fixture
def dialog(qtbot: Any, hall: Hall) -> QuarantineDialog:
    dlg = QuarantineDialog(lambda: list_quarantine(hall.ctx.db), run_now, tz=hall.ctx.tz)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.activateWindow()
    qtbot.waitActive(dlg)  # F5 is a window shortcut: it needs the active window
    return dlg


def cell(dlg: QuarantineDialog, row: int, column: Column) -> str:
    return str(dlg.model.index(row, column).data())


def test_lists_newest_first_in_local_time(dialog: QuarantineDialog) -> None:
    assert dialog.windowTitle() == "隔离消息"
    assert dialog.model.rowCount() == len(BAD_MESSAGES)
    # The last bad message was fed at 09:11 UTC: 17:11 in 南通.
    assert cell(dialog, 0, Column.TIME) == "11-28 17:11:00"
    assert cell(dialog, 0, Column.SOURCE) == "cc/v1/event/suishoupai"
    assert cell(dialog, 0, Column.CODE) == "非JSON格式"
    assert cell(dialog, 0, Column.REASON).startswith("not JSON")
    headers = [dialog.model.headerData(c, Qt.Orientation.Horizontal) for c in Column]
    assert headers == ["时间", "来源", "原因类别", "原因"]


def test_selecting_a_row_shows_the_payload_and_the_full_reason(
        qtbot: Any, dialog: QuarantineDialog) -> None:
    row = next(r for r in range(dialog.model.rowCount())
               if b'"r-lat"' in dialog.model.entry(r).payload)
    dialog.table.selectRow(row)
    text = dialog.preview.toPlainText()
    assert '"lat": 1000' in text and "民安花苑北门" in text  # pretty JSON, readable Chinese
    assert dialog.preview.isReadOnly()
    assert "坐标无效" in dialog.reason.text() and "lat 1000.0" in dialog.reason.text()

    binary = next(r for r in range(dialog.model.rowCount())
                  if dialog.model.entry(r).reason_code == "encoding")
    dialog.table.selectRow(binary)
    assert dialog.preview.toPlainText().startswith("00000000  00 01 02 03")

    big = next(r for r in range(dialog.model.rowCount())
               if dialog.model.entry(r).reason_code == "too_large")
    dialog.table.selectRow(big)
    assert dialog.preview.toPlainText().startswith("（已截断：载荷共 307,")
    assert "307,522 字节" in dialog.meta.text()

    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == dialog.preview.toPlainText()


def test_the_filter_narrows_the_list_and_keeps_the_selection(dialog: QuarantineDialog) -> None:
    labels = [dialog.filter.itemText(i) for i in range(dialog.filter.count())]
    assert labels[0] == f"全部（{len(BAD_MESSAGES)}）"
    assert labels[1] == "非JSON格式（3）"  # the most frequent reason first
    assert "坐标无效（2）" in labels and "超过大小限制（1）" in labels

    dialog.filter.setCurrentIndex(dialog.filter.findData("bad_location"))
    assert dialog.model.rowCount() == 2
    assert {cell(dialog, r, Column.CODE) for r in range(2)} == {"坐标无效"}
    assert "坐标无效" in dialog.reason.text()  # the first row is selected and shown
    dialog.table.selectRow(1)
    chosen = dialog.model.entry(1).id

    dialog.filter.setCurrentIndex(0)
    assert dialog.model.rowCount() == len(BAD_MESSAGES)
    assert dialog.model.entry(dialog.table.currentIndex().row()).id == chosen


def test_refresh_shows_what_arrived_and_keeps_the_filter(qtbot: Any, dialog: QuarantineDialog,
                                                         hall: Hall, clock: FakeClock) -> None:
    dialog.filter.setCurrentIndex(dialog.filter.findData("too_large"))
    feed_bad_messages(hall, clock, BAD_MESSAGES[:2])
    qtbot.keyClick(dialog.table, Qt.Key.Key_F5)  # the button's shortcut: an animated click
    qtbot.waitUntil(lambda: dialog.filter.itemText(0) == f"全部（{len(BAD_MESSAGES) + 2}）")
    assert dialog.filter.currentData() == "too_large" and dialog.model.rowCount() == 1
    dialog.filter.setCurrentIndex(dialog.filter.findData("bad_location"))
    assert dialog.model.rowCount() == 3


def test_a_failed_load_is_shown_and_refresh_stays_possible(qtbot: Any) -> None:
    def broken() -> list[QuarantineEntry]:
        raise ConnectionError("database unreachable")

    dlg = QuarantineDialog(broken, run_now)
    qtbot.addWidget(dlg)
    dlg.show()
    assert "加载失败" in dlg.status.text() and "database unreachable" in dlg.status.text()
    assert dlg.refresh_button.isEnabled() and dlg.model.rowCount() == 0


def test_an_empty_quarantine_says_so(qtbot: Any, sqlite_url: str) -> None:
    empty = open_hall(Settings(db_url=sqlite_url))
    try:
        dlg = QuarantineDialog(lambda: list_quarantine(empty.ctx.db), run_now)
        qtbot.addWidget(dlg)
        dlg.show()
        assert dlg.model.rowCount() == 0 and dlg.reason.text() == "没有隔离消息"
        assert not dlg.copy_button.isEnabled() and dlg.filter.itemText(0) == "全部（0）"
    finally:
        empty.close()


def test_escape_closes(qtbot: Any, dialog: QuarantineDialog) -> None:
    dialog.table.setFocus()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_model_passes_qt_model_tester(qtmodeltester: Any, dialog: QuarantineDialog) -> None:
    qtmodeltester.check(dialog.model)
    dialog.filter.setCurrentIndex(dialog.filter.findData("not_json"))
    qtmodeltester.check(dialog.model)


def test_loads_off_the_gui_thread_through_the_console_bridge(qtbot: Any, hall: Hall) -> None:
    import threading

    from ui.bridge import Bridge

    threads: list[str] = []

    def load() -> list[QuarantineEntry]:
        threads.append(threading.current_thread().name)
        return list_quarantine(hall.ctx.db)

    bridge = Bridge()
    try:
        dlg = QuarantineDialog(load, bridge.run, tz=hall.ctx.tz)
        qtbot.addWidget(dlg)
        dlg.show()
        assert dlg.loading and not dlg.refresh_button.isEnabled()
        qtbot.waitUntil(lambda: dlg.model.rowCount() == len(BAD_MESSAGES))
        assert threads and threads[0] != threading.current_thread().name
        assert QApplication.instance() is not None
    finally:
        bridge.shutdown()
