"""Unhandled exceptions (bugs): logged with the traceback, then shown in a dialog with a
copyable report, never a silent exit (CONVENTIONS.md, Errors).

`install_excepthook(app)` replaces `sys.excepthook` (also where qasync's `asyncSlot` and
PySide6's slots send exceptions) and `threading.excepthook`. Whatever thread fails, the dialog
opens on the GUI thread: the report travels through a queued signal. One dialog at a time;
later reports are appended to it. A hard crash (no Python exception) is `logsetup`'s
faulthandler file in the same log folder.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
import traceback
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from types import TracebackType

from commandcenter.config import log_dir
from ui.about_dialog import version_text
from ui.qt import (
    QAction,
    QApplication,
    QCoreApplication,
    QDesktopServices,
    QDialog,
    QDialogButtonBox,
    QFontDatabase,
    QGuiApplication,
    QLabel,
    QObject,
    QPlainTextEdit,
    QPushButton,
    Qt,
    QUrl,
    QVBoxLayout,
    QWidget,
    Signal,
    Slot,
)

log = logging.getLogger(__name__)
MAX_REPORTS_IN_DIALOG = 20

# `scheme://user:password@` and `password=…` (PostgreSQL conninfo, query strings).
_URL_PASSWORD = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*://[^\s:/@]*:)[^\s@/]+@")
_KEY_PASSWORD = re.compile(r"((?:password|passwd|pwd)\s*[=:]\s*)['\"]?[^\s'\",;&]+",
                           re.IGNORECASE)


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """The text without passwords: in URLs, after `password=`, and any value in `secrets`."""
    text = _URL_PASSWORD.sub(r"\1***@", text)
    text = _KEY_PASSWORD.sub(r"\1***", text)
    for secret in secrets:
        if secret and len(secret) >= 3:
            text = text.replace(secret, "***")
    return text


def current_log_file() -> Path | None:
    """The log file this process writes (logsetup's rotating file), if any."""
    for handler in logging.getLogger().handlers:
        name = getattr(handler, "baseFilename", None)
        if name:
            return Path(name)
    return None


def crash_report(exc_type: type[BaseException], exc: BaseException,
                 tb: TracebackType | None, *, thread: str | None = None,
                 log_file: Path | None = None, secrets: Iterable[str] = ()) -> str:
    """Plain text for IT: the version, the platform, the traceback, where the log is."""
    trace = "".join(traceback.format_exception(exc_type, exc, tb))
    lines = [
        version_text(),
        f"Time: {datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"Thread: {thread or threading.current_thread().name}",
        f"Log file: {log_file or current_log_file() or log_dir()}",
        "",
        trace.rstrip(),
    ]
    return redact("\n".join(lines), secrets)


class CrashDialog(QDialog):
    def __init__(self, report: str, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reports = [report]
        self.setWindowTitle(self.tr("程序内部错误"))
        intro = QLabel(self.tr("程序遇到了一个内部错误，详情已写入日志。程序可以继续使用；"
                               "如果问题反复出现，请把下面的报告复制给 IT。"))
        intro.setWordWrap(True)
        self.text = QPlainTextEdit(report)
        self.text.setReadOnly(True)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.copy_button = QPushButton(self.tr("复制报告(&C)"))
        self.copy_button.clicked.connect(self.copy_report)
        self.log_button = QPushButton(self.tr("打开日志文件夹(&L)"))
        self.log_button.clicked.connect(lambda _=False: open_log_folder())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        self.close_button.setText(self.tr("关闭"))
        self.close_button.setDefault(True)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.log_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.resize(820, 520)

    def add_report(self, report: str) -> None:
        """Another failure while this dialog is open: append it, do not stack dialogs."""
        if len(self.reports) >= MAX_REPORTS_IN_DIALOG:
            return  # still logged; an error in a timer must not fill the screen
        self.reports.append(report)
        self.text.setPlainText(self.report())
        self.setWindowTitle(self.tr("程序内部错误（{count} 个）").format(count=len(self.reports)))

    def report(self) -> str:
        return ("\n\n" + "-" * 72 + "\n\n").join(self.reports)

    def copy_report(self) -> None:
        QGuiApplication.clipboard().setText(self.report())
        self.copy_button.setText(self.tr("已复制"))


class CrashHandler(QObject):
    """Lives on the GUI thread; the hooks may run on any thread."""

    _reported = Signal(str)

    def __init__(self, app: QApplication, *, show_dialog: bool,
                 secrets: Iterable[str] = ()) -> None:
        super().__init__(app)
        self.show_dialog = show_dialog
        self.secrets = tuple(secrets)
        self.dialog: CrashDialog | None = None
        self.count = 0
        self._previous_sys = sys.excepthook
        self._previous_threading = threading.excepthook
        self._reported.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def install(self) -> None:
        sys.excepthook = self.excepthook
        threading.excepthook = self.thread_excepthook

    def uninstall(self) -> None:
        if sys.excepthook == self.excepthook:
            sys.excepthook = self._previous_sys
        if threading.excepthook == self.thread_excepthook:
            threading.excepthook = self._previous_threading

    def excepthook(self, exc_type: type[BaseException], exc: BaseException,
                   tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            self._previous_sys(exc_type, exc, tb)  # Ctrl-C in a console: the usual exit
            return
        self.handle(exc_type, exc, tb, threading.current_thread().name)

    def thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit or args.exc_value is None:
            return  # a thread that exits on purpose (the default hook ignores it too)
        name = args.thread.name if args.thread is not None else "?"
        self.handle(args.exc_type, args.exc_value, args.exc_traceback, name)

    def handle(self, exc_type: type[BaseException], exc: BaseException,
               tb: TracebackType | None, thread: str) -> None:
        """Log now (any thread); the dialog follows on the GUI thread."""
        try:
            report = crash_report(exc_type, exc, tb, thread=thread, secrets=self.secrets)
            self.count += 1
            log.critical("unhandled exception in thread %s\n%s", thread, report)
            if self.show_dialog:
                self._reported.emit(report)  # queued: the slot runs on the GUI thread
            else:
                print(report, file=sys.stderr)
        except Exception:  # the hook itself failed: fall back to Python's own printing
            sys.__excepthook__(exc_type, exc, tb)

    @Slot(str)
    def _show(self, report: str) -> None:
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.add_report(report)
            return
        parent = QApplication.activeWindow()
        self.dialog = CrashDialog(report, parent=parent)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()


def install_excepthook(app: QApplication, *, show_dialog: bool | None = None,
                       secrets: Iterable[str] = ()) -> CrashHandler:
    """Route unhandled exceptions to the log and a dialog. `show_dialog=None`: a dialog except
    on the offscreen platform (tests, screenshots), where the report goes to stderr.
    `secrets`: values (passwords) to blank out of reports besides the ones in URLs."""
    if show_dialog is None:
        show_dialog = QGuiApplication.platformName() != "offscreen"
    handler = CrashHandler(app, show_dialog=show_dialog, secrets=secrets)
    handler.install()
    return handler


def open_log_folder() -> bool:
    folder = log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    opened = QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
    if not opened:
        log.warning("could not open the log folder %s", folder)
    return bool(opened)


def open_log_folder_action(parent: QObject) -> QAction:
    """帮助 → 打开日志文件夹 for the main window's menu."""
    action = QAction(QCoreApplication.translate("CrashDialog", "打开日志文件夹"), parent)
    action.triggered.connect(lambda _=False: open_log_folder())
    return action
