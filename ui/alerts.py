"""The alert banner and its chime: new critical signals and 督办 escalations get heard.

Muting silences the chime only: the banner stays, and says "已静音" so nobody forgets.
"""

from __future__ import annotations

import logging
import sys
from collections import deque
from dataclasses import dataclass
from datetime import datetime

from commandcenter.resources import resource_path
from ui.qt import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QPushButton,
    Qt,
    QWidget,
    Signal,
)

log = logging.getLogger(__name__)


class Chime:
    """Plays the alert sound: the shipped WAV on Windows, the system beep elsewhere."""

    def __init__(self) -> None:
        self.muted = False
        self.played = 0  # how many alerts were sounded (tests and the status line read it)
        self._wav = str(resource_path("sounds", "alert.wav"))

    def play(self) -> None:
        if self.muted:
            return
        self.played += 1
        if sys.platform == "win32":
            import winsound

            winsound.PlaySound(self._wav, winsound.SND_FILENAME | winsound.SND_ASYNC)
        else:
            QApplication.beep()


@dataclass(frozen=True, slots=True)
class Alert:
    case_id: int
    text: str
    at: datetime
    critical: bool


class AlertBanner(QWidget):
    """A bar above the work area: the newest unacknowledged alert and how many are waiting."""

    showCase = Signal(int)

    def __init__(self, chime: Chime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chime = chime
        self._alerts: deque[Alert] = deque(maxlen=200)
        self.setObjectName("alertBanner")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._text = QLabel()
        self._text.setObjectName("alertText")
        self._count = QLabel()
        self._show = QPushButton(self.tr("查看 (Ctrl+G)"))
        self._show.clicked.connect(self.show_newest)
        self._ack = QPushButton(self.tr("确认 (Ctrl+Enter)"))
        self._ack.clicked.connect(self.acknowledge)
        self._mute = QPushButton()
        self._mute.setCheckable(True)
        self._mute.toggled.connect(self.set_muted)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 3, 8, 3)
        layout.addWidget(self._text, 1)
        layout.addWidget(self._count)
        layout.addWidget(self._show)
        layout.addWidget(self._ack)
        layout.addWidget(self._mute)
        self.set_muted(False)
        self._render()

    def pending(self) -> list[Alert]:
        return list(self._alerts)

    def raise_alert(self, alert: Alert) -> None:
        self._alerts.append(alert)
        self.chime.play()
        self._render()

    def acknowledge(self) -> None:
        self._alerts.clear()
        self._render()

    def show_newest(self) -> None:
        if self._alerts:
            self.showCase.emit(self._alerts[-1].case_id)

    def toggle_mute(self) -> None:
        self._mute.toggle()

    def set_muted(self, muted: bool) -> None:
        self.chime.muted = muted
        if self._mute.isChecked() != muted:
            self._mute.setChecked(muted)
        self._mute.setText(self.tr("🔇 已静音 (Ctrl+M)") if muted else self.tr("静音 (Ctrl+M)"))
        self._render()

    def _render(self) -> None:
        muted = self.chime.muted
        if not self._alerts:
            self._text.setText(self.tr("无新警报") + ("　" + self.tr("（声音已静音）") if muted
                                                   else ""))
            self._count.clear()
            colour, fg = ("#eceff1", "#37474f") if not muted else ("#fff3cd", "#5d4200")
            self._show.setEnabled(False)
            self._ack.setEnabled(False)
        else:
            newest = self._alerts[-1]
            self._text.setText(f"{newest.at.strftime('%H:%M:%S')}　{newest.text}")
            self._count.setText(self.tr("共 {n} 条未确认").format(n=len(self._alerts)))
            critical = any(a.critical for a in self._alerts)
            colour, fg = ("#c62828", "#ffffff") if critical else ("#f9a825", "#212121")
            self._show.setEnabled(True)
            self._ack.setEnabled(True)
        self.setStyleSheet(f"QWidget#alertBanner {{ background:{colour}; }}"
                           f"QLabel {{ color:{fg}; font-weight:bold; }}")
