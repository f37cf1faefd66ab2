"""A 测试连接 button of the settings dialog and the answer beside it.

The check itself (`commandcenter.connection_check`) is Qt-free and slow, so it runs off the GUI
thread through `run(job, on_done)` (the console's `Bridge.run`). Every start and every edit of
the fields it checks counts one generation up; an answer that comes back for an older generation
was for values no longer in the fields and is dropped. Kept apart from the dialog because this
bookkeeping is the same for the broker and the database, and has nothing to do with the layout.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from commandcenter.connection_check import CheckResult
from ui.qt import QCoreApplication, QLabel, QPushButton
from ui.settings_widgets import ERROR_STYLE, NOTE_STYLE, OK_STYLE

Run = Callable[[Callable[[], Any], Callable[[Any], None]], object]


class ConnectionProbe:
    """One button, its answer line and the generation of the values it was asked about."""

    def __init__(self, button: QPushButton, answer: QLabel, run: Run,
                 after: Callable[[], object]) -> None:
        self.button = button
        self.answer = answer
        self._run = run
        self._after = after  # on the GUI thread once an answer is in, before it is shown
        self._generation = 0

    def invalidate(self) -> None:
        """The fields changed: an answer still on its way is for the old values."""
        self._generation += 1
        self.answer.clear()

    def start(self, job: Callable[[], CheckResult]) -> None:
        self._generation += 1
        generation = self._generation
        self.answer.setStyleSheet(NOTE_STYLE)
        self.answer.setText(QCoreApplication.translate("SettingsDialog", "正在测试…"))
        self.button.setEnabled(False)

        def done(result: CheckResult) -> None:
            self.button.setEnabled(True)
            self._after()
            if generation != self._generation:
                return  # the fields changed meanwhile: this answer is for other values
            self.answer.setStyleSheet(OK_STYLE if result.ok else ERROR_STYLE)
            self.answer.setText(("✓ " if result.ok else "✗ ") + result.message)

        self._run(job, done)
