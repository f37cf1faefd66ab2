"""The one place where core threads meet the GUI thread.

Worker threads (ingest, actions) never touch Qt objects: they drop results into a thread-safe
queue. A 100 ms timer on the GUI thread drains it, merges all pending `Changes` into one, and
emits a single `changed` signal, so the views repaint at most ~10 times a second however busy
the inbox is (DESIGN.md §1: coalesced, batched, no signal per message).
"""

from __future__ import annotations

import logging
import queue
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from commandcenter.domain.errors import KnownError
from commandcenter.services.changes import Changes
from ui.qt import QObject, QTimer, Signal, Slot

log = logging.getLogger(__name__)
T = TypeVar("T")


class Bridge(QObject):
    changed = Signal(object)  # Changes, merged
    failed = Signal(str)  # a known error, phrased for the dispatcher

    def __init__(self, parent: QObject | None = None, *, interval_ms: int = 100) -> None:
        super().__init__(parent)
        self._inbox: queue.SimpleQueue[tuple[str, Any]] = queue.SimpleQueue()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cc-action")
        self._closed = False
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._drain)
        self._timer.start()

    # --- called from any thread ----------------------------------------------------------
    def post_changes(self, changes: Changes) -> None:
        self._inbox.put(("changes", changes))

    # --- called on the GUI thread --------------------------------------------------------
    def run(self, job: Callable[[], T], on_done: Callable[[T], None] | None = None,
            on_error: Callable[[BaseException], None] | None = None) -> Future[T]:
        """Run `job` off the GUI thread (one at a time, in order); call back on the GUI thread.

        A job returning `Changes` also feeds the `changed` signal. Once the bridge is shut
        down (the console is closing: the last results' callbacks may still ask for more), a
        job is not run and its future is returned cancelled.
        """
        if self._closed:
            log.debug("console closing: %s not run", getattr(job, "__qualname__", job))
            cancelled: Future[T] = Future()
            cancelled.cancel()
            return cancelled
        future = self._executor.submit(job)
        future.add_done_callback(lambda f: self._inbox.put(("done", (f, on_done, on_error))))
        return future

    def shutdown(self) -> None:
        self._closed = True
        self._timer.stop()
        self._executor.shutdown(wait=True)
        self._drain()

    @Slot()
    def _drain(self) -> None:
        merged = Changes()
        callbacks: list[Callable[[], None]] = []
        while True:
            try:
                kind, item = self._inbox.get_nowait()
            except queue.Empty:
                break
            if kind == "changes":
                merged.merge(item)
                continue
            future, on_done, on_error = item
            exc = future.exception()
            if exc is None:
                result = future.result()
                if isinstance(result, Changes):
                    merged.merge(result)
                if on_done is not None:
                    callbacks.append(lambda cb=on_done, r=result: cb(r))
            elif on_error is not None:
                callbacks.append(lambda cb=on_error, e=exc: cb(e))
            elif isinstance(exc, KnownError):
                self.failed.emit(str(exc))
            else:
                log.error("background job failed", exc_info=exc)
                error = f"{type(exc).__name__}: {exc}"
                self.failed.emit(self.tr("内部错误：{error}").format(error=error))
        if merged:
            self.changed.emit(merged)
        for callback in callbacks:
            callback()
