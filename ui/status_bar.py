"""The status bar: where signals come from, the database, ingest rate, quarantine, the clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo

from commandcenter.ingest.mqtt import LinkState
from commandcenter.ingest.worker import IngestStats
from ui.qt import QLabel, QStatusBar, QWidget


class ConsoleStatusBar(QStatusBar):
    def __init__(self, tz: tzinfo, clock: Callable[[], datetime],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tz, self._clock = tz, clock
        self.link = QLabel()
        self.database = QLabel()
        self.rate = QLabel()
        self.quarantine = QLabel()
        self.persuasions = QLabel()
        self.time = QLabel()
        self.time.setObjectName("statusClock")
        for label in (self.persuasions, self.link, self.database, self.rate, self.quarantine):
            label.setContentsMargins(6, 0, 6, 0)
            self.addPermanentWidget(label)
        self.addPermanentWidget(self.time)
        self._quarantine_base = 0
        self.set_ingest(None)
        self.tick()

    def set_persuasions(self, total: int, by_category: dict[str, str]) -> None:
        """This year's violations resolved by loudspeaker persuasion (远程喊话劝离)."""
        self.persuasions.setText(self.tr("今年喊话劝离 {n} 起").format(n=total))
        line = self.tr("{name}：{n} 起")
        self.persuasions.setToolTip("\n".join(line.format(name=name, n=n)
                                              for name, n in by_category.items()))

    def set_link(self, text: str, ok: bool) -> None:
        colour = "#2e7d32" if ok else "#c62828"
        self.link.setText(f"<span style='color:{colour}'>●</span> {text}")

    def set_link_state(self, state: LinkState, where: str, unsent: int = 0) -> None:
        """Broker state as the dispatcher needs it: since when it is down, and why; while it
        is down, how many dispatch orders and loudspeaker requests wait to go out (they are
        kept and sent on reconnection, but the officers do not have them yet)."""
        if state.connected:
            self.set_link(self.tr("消息服务器 {where} 已连接").format(where=where), ok=True)
            self.link.setToolTip("")
            return
        since = state.since.astimezone(self._tz).strftime("%H:%M:%S") if state.since else "—"
        text = self.tr("消息服务器已断开（自 {since}）").format(since=since)
        if unsent:
            text += self.tr("，{n} 条指令待发送").format(n=unsent)
        self.set_link(text, ok=False)
        self.link.setToolTip(f"{where}\n{state.error or ''}")

    def set_database(self, text: str, ok: bool = True) -> None:
        colour = "#2e7d32" if ok else "#c62828"
        label = self.tr("数据库 {name}").format(name=text)
        self.database.setText(f"<span style='color:{colour}'>●</span> {label}")

    def set_quarantine_base(self, count: int) -> None:
        """Quarantined messages already in the database when the console started."""
        self._quarantine_base = count

    def set_ingest(self, stats: IngestStats | None) -> None:
        rate = stats.rate_per_s if stats else 0.0
        backlog = (self.tr("，积压 {n}").format(n=stats.backlog)
                   if stats and stats.backlog > 50 else "")
        self.rate.setText(self.tr("接入 {rate:.1f} 条/秒").format(rate=rate) + backlog)
        total = self._quarantine_base + (stats.quarantined if stats else 0)
        colour = "#c62828" if total else "#555555"
        label = self.tr("隔离 {n}").format(n=total)
        self.quarantine.setText(f"<span style='color:{colour}'>{label}</span>")
        if stats and stats.db_error:
            self.set_database(self.tr("写入失败，重试中：{error}").format(error=stats.db_error),
                              ok=False)

    def tick(self) -> None:
        self.time.setText(self._clock().astimezone(self._tz).strftime("%Y-%m-%d %H:%M:%S"))
