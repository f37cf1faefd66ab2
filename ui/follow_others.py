"""A console with no ingest process of its own (no broker) on a shared database: it follows
the other workstations itself, with the watch the ingest process runs otherwise."""

from __future__ import annotations

import logging

from commandcenter.hall import Hall
from commandcenter.services.case_watch import WATCH_EVERY_S, CaseWatch
from commandcenter.services.changes import Changes
from ui.bridge import Bridge
from ui.qt import QObject, QTimer, Slot

log = logging.getLogger(__name__)


class OthersFollower(QObject):
    """Every `WATCH_EVERY_S`, one `CaseWatch.poll` on the bridge's worker (never two at once);
    what it finds reaches the window like any other `Changes`."""

    def __init__(self, hall: Hall, bridge: Bridge, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._hall = hall
        self._bridge = bridge
        self._watch = CaseWatch(hall.ctx.db)
        self._polling = False
        self._failing = False
        self._timer = QTimer(self)
        self._timer.setInterval(int(WATCH_EVERY_S * 1000))
        self._timer.timeout.connect(self._poll)

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    @Slot()
    def _poll(self) -> None:
        if self._polling:
            return
        self._polling = True
        self._bridge.run(self._read, self._done, self._failed)

    def _read(self) -> Changes:
        return self._watch.poll(self._hall.ctx.clock()) or Changes()

    def _done(self, _changes: Changes) -> None:
        self._polling = False
        if self._failing:
            log.info("following the other workstations again")
            self._failing = False

    def _failed(self, exc: BaseException) -> None:
        self._polling = False
        if not self._failing:  # once per outage, not twice a second
            log.warning("cannot read the other workstations' changes: %s", exc)
            self._failing = True
