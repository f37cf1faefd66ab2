"""Route Qt's own messages into Python logging (qutebrowser's `log.qt_message_handler`)."""

from __future__ import annotations

import logging

from ui.qt import QtCore

log = logging.getLogger("qt")

# Harmless notices of the offscreen platform used for tests and screenshots.
_NOISE = ("This plugin does not support propagateSizeHints()",
          "This plugin does not support raise()")

_LEVELS = {
    QtCore.QtMsgType.QtDebugMsg: logging.DEBUG,
    QtCore.QtMsgType.QtInfoMsg: logging.INFO,
    QtCore.QtMsgType.QtWarningMsg: logging.WARNING,
    QtCore.QtMsgType.QtCriticalMsg: logging.ERROR,
    QtCore.QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def _handler(kind: QtCore.QtMsgType, context: QtCore.QMessageLogContext, message: str) -> None:
    level = logging.DEBUG if message in _NOISE else _LEVELS.get(kind, logging.WARNING)
    log.log(level, "%s (%s)", message, context.category or "default")


def install_qt_log_handler() -> None:
    QtCore.qInstallMessageHandler(_handler)
