"""The console's broker ingest in a process of its own, supervised by the console.

Why a process: Python runs one thread at a time. With the writer and paho's network thread in
the console's process, every call the GUI thread makes into Python (painting a queue cell, a map
label) or into a Qt function that releases the interpreter lock waits for the writer to let go
of it, so a console taking 2,000 messages a second froze for hundreds of milliseconds at a time.
In its own process the writer has its own interpreter; the console only receives the coalesced
`Changes` of each committed batch (pickled through a pipe, read by one thread that is idle
between batches) and a status line each second.

The child is `commandcenter ingest` in all but name: the same hall, the same `MqttLink` with the
workstation's fixed client id (so the persistent session carries over), the same single writer,
the Open311 poller when configured. The console's outbound messages (dispatch orders, loudspeaker
requests) go through the child's link too: one broker connection per workstation, as before. The
console keeps each one until the child reports that the broker acknowledged it, and hands what is
unconfirmed to the next child: a dispatch order is not lost with a child killed while the broker
was away (an officer may then get it twice, as QoS 1 allows).

Nothing is lost when either side dies: the child acks only what it committed, so a killed child
is simply restarted (with backoff) and the broker redelivers; a console that dies closes the
pipe, and the child treats that as a stop request (commit and ack what it holds, then exit).
No Qt here: the console and a test drive it alike.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import math
import multiprocessing
import os
import pickle
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from typing import Any

from commandcenter.config import Settings
from commandcenter.ingest.broker_url import BrokerUrl
from commandcenter.ingest.mqtt import LinkState
from commandcenter.ingest.worker import ChangesSink, IngestStats
from commandcenter.services.case_watch import WATCH_EVERY_S, CaseWatch
from commandcenter.services.changes import Changes

log = logging.getLogger(__name__)

STATUS_EVERY_S = 1.0
RESTART_MIN_S = 1.0
RESTART_MAX_S = 30.0
STOP_TIMEOUT_S = 60.0
FLUSH_TIMEOUT_S = 5.0  # at stop, how long the child waits for the broker to ack what it sent
NO_STATS = IngestStats(0, 0, 0, 0, 0, 0.0, None)
STARTING = "正在启动接收进程"
BELOW_NORMAL_PRIORITY_CLASS = 0x4000  # Windows
NICENESS = 5


def _sum_stats(base: IngestStats, run: IngestStats) -> IngestStats:
    """Totals over the children this console has run; rate, backlog and error are the latest."""
    return IngestStats(base.received + run.received, base.stored + run.stored,
                       base.duplicates + run.duplicates, base.quarantined + run.quarantined,
                       run.backlog, run.rate_per_s, run.db_error)


class IngestProcess:
    """The console's side: start, watch and restart the child; relay what it reports.

    `state()` and `url` make it read like an `MqttLink` to the status bar; `stats()` like an
    `IngestWorker`; `publish()` like a link's publish (queued while the child restarts)."""

    def __init__(self, settings: Settings, client_id: str, on_changes: ChangesSink, *,
                 verbose: bool = False,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.url = BrokerUrl.parse(settings.broker_url)  # a bad URL fails here, in the console
        self.settings = settings
        self.client_id = client_id
        self.on_changes = on_changes
        self.verbose = verbose
        self.clock = clock
        self._mp = multiprocessing.get_context("spawn")  # no fork: Qt's threads must not copy
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._conn: Connection | None = None
        self._process: Any = None
        # Outbound messages the broker has not yet acknowledged, by sequence number, in order.
        self._outbound: dict[int, tuple[str, bytes]] = {}
        self._next_seq = 0
        self._state = LinkState(False, clock(), STARTING, 0)
        self._base = NO_STATS  # totals of children that have ended
        self._stats = NO_STATS  # the running child's last report
        self._restarts = 0
        self._failure: str | None = None  # what the running child said when it could not start
        self._thread: threading.Thread | None = None

    # --- the console's calls -----------------------------------------------------------------
    def start(self) -> None:
        self._thread = threading.Thread(target=self._supervise, name="ingest-process",
                                        daemon=True)
        self._thread.start()

    def stop(self, timeout: float = STOP_TIMEOUT_S) -> bool:
        """Ask the child to commit and ack what it holds and exit; False if it had to be
        terminated (what it held is unacked, so the broker redelivers it next time).

        Only the supervising thread waits for the child process (two threads waiting for one
        process race for its exit status): here we wait for that thread."""
        self._stopping.set()
        with self._lock:
            if self._conn is not None:
                try:
                    self._conn.send(("stop",))
                except OSError:
                    pass
        thread = self._thread
        if thread is None:
            return True
        thread.join(timeout)
        clean = not thread.is_alive()
        if not clean:
            log.error("ingest process still busy after %.0f s: terminating it", timeout)
            with self._lock:
                process = self._process
            if process is not None:
                process.terminate()  # its pipe closes: the supervisor wakes and reaps it
            thread.join(10)
        self._thread = None
        with self._lock:
            unconfirmed = [topic for topic, _ in self._outbound.values()]
        if unconfirmed:
            log.warning("%d outbound message(s) not confirmed by the broker at stop: %s",
                        len(unconfirmed), ", ".join(unconfirmed))
        return clean

    def state(self) -> LinkState:
        with self._lock:
            return self._state

    def stats(self) -> IngestStats:
        with self._lock:
            return _sum_stats(self._base, self._stats)

    @property
    def restarts(self) -> int:
        return self._restarts

    @property
    def pid(self) -> int | None:
        with self._lock:
            return self._process.pid if self._process is not None else None

    def unconfirmed(self) -> int:
        """Outbound messages not yet acknowledged by the broker (held, or in the child)."""
        with self._lock:
            return len(self._outbound)

    def publish(self, topic: str, payload: bytes) -> None:
        """Send through the child's broker link; kept until the broker acknowledged it, and
        sent again, in order, by the next child if this one dies first."""
        with self._lock:
            seq = self._next_seq
            self._next_seq += 1
            self._outbound[seq] = (topic, payload)
            if self._conn is not None:
                try:
                    self._conn.send(("publish", seq, topic, payload))
                    return
                except OSError:  # the child is dying: the next one sends it
                    pass
        log.warning("ingest process not running: %s held until it is back", topic)

    # --- the supervising thread --------------------------------------------------------------
    def _supervise(self) -> None:
        backoff = RESTART_MIN_S
        while not self._stopping.is_set():
            started = time.monotonic()
            try:
                self._spawn()
                self._pump()
            except Exception:
                log.exception("ingest process supervision failed")
            code = self._reap()
            if self._stopping.is_set():
                return
            if time.monotonic() - started > 60:
                backoff = RESTART_MIN_S
            self._restarts += 1
            log.error("ingest process exited (code %s); restarting in %.0f s", code, backoff)
            # Why it could not start says more than its exit code, which is then 0.
            why = self._failure or f"接收进程意外退出（代码 {code}）"
            self._set_state(False, f"{why}，{backoff:.0f} 秒后重启")
            if self._stopping.wait(backoff):
                return
            backoff = min(backoff * 2, RESTART_MAX_S)

    def _spawn(self) -> None:
        ours, theirs = self._mp.Pipe(duplex=True)
        process = self._mp.Process(
            target=child_main, name="commandcenter-ingest", daemon=True,
            args=(self.settings, self.client_id, theirs, self.verbose))
        process.start()
        theirs.close()  # only the child holds it now: its exit is our EOF
        with self._lock:  # unconfirmed messages go first: a publish() now waits for the lock
            self._conn, self._process = ours, process
            self._failure = None
            for seq, (topic, payload) in self._outbound.items():
                try:
                    ours.send(("publish", seq, topic, payload))
                except OSError:  # gone already: kept for the next child
                    break
            if self._stopping.is_set():  # stop() came while this child was starting
                ours.send(("stop",))
        log.info("ingest process %s started for %s", process.pid, self.url.display)

    def _pump(self) -> None:
        """Relay the child's reports until it closes the pipe (exit, crash or kill)."""
        assert self._conn is not None
        conn = self._conn
        while True:
            try:
                # recv() in two steps, so that a profile tells reading from unpickling
                kind, *body = pickle.loads(conn.recv_bytes())
            except (EOFError, OSError):
                return
            except Exception:  # a report that does not unpickle: say so, keep the rest
                log.exception("unreadable report from the ingest process")
                continue
            if kind == "changes":
                self.on_changes(body[0])
            elif kind == "delivered":
                with self._lock:
                    self._outbound.pop(body[0], None)
            elif kind == "status":
                with self._lock:
                    self._state, self._stats = body
            elif kind == "failed":
                self._failure = body[0]
                self._set_state(False, body[0])

    def _reap(self) -> int | None:
        with self._lock:
            conn, process = self._conn, self._process
            self._conn = None
            self._base, self._stats = _sum_stats(self._base, self._stats), NO_STATS
        if conn is not None:
            conn.close()
        if process is None:
            return None
        process.join(10)  # it closed the pipe: it is exiting
        if process.is_alive():
            log.error("ingest process %s closed its pipe but did not exit: terminating it",
                      process.pid)
            process.terminate()
            process.join(5)
        code: int | None = process.exitcode
        return code

    def _set_state(self, connected: bool, error: str | None) -> None:
        with self._lock:
            since = self._state.since if self._state.connected == connected else self.clock()
            self._state = LinkState(connected, since, error, self._state.received)


# --- the child ---------------------------------------------------------------------------------
class _Reporter:
    """The child's one way to the console: sends from the writer and the main thread, in turn."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._lock = threading.Lock()

    def send(self, *message: Any) -> None:
        with self._lock:
            try:
                self._conn.send(message)
            except OSError:  # the console is gone; the main loop sees EOF and stops
                pass

    def changes(self, changes: Changes) -> None:
        self.send("changes", changes)


def child_main(settings: Settings, client_id: str, conn: Connection, verbose: bool) -> None:
    """Entry point of the child process (imported by name by multiprocessing's spawn)."""
    from commandcenter.ingest.runner import IngestService, open_ingest
    from commandcenter.logsetup import setup_logging
    from commandcenter.memory import settle_memory

    setup_logging("commandcenter-ingest", verbose=verbose)
    yield_to_the_console()
    reporter = _Reporter(conn)
    try:
        service: IngestService = open_ingest(settings, settings.broker_url, client_id=client_id)
    except Exception as exc:
        log.exception("the ingest process could not open the hall")
        reporter.send("failed", f"接收进程无法启动：{exc}".splitlines()[0][:300])
        return
    # On a shared database, cases other writers commit reach this console through here.
    watch = None if service.hall.ctx.db.is_sqlite else CaseWatch(service.hall.ctx.db)

    def on_changes(changes: Changes) -> None:
        if watch is not None:
            watch.note(changes)
        reporter.changes(changes)

    service.hall.ingest.on_changes = on_changes
    settle_memory("ingest process")
    service.start()
    log.info("ingest process running: %s -> %s", service.link.url.display,
             service.hall.ctx.db.display_url())
    next_status = 0.0
    next_watch = 0.0 if watch is not None else math.inf
    while True:
        try:
            if conn.poll(max(0.0, min(next_status, next_watch) - time.monotonic())):
                message = conn.recv()
                if message[0] == "stop":
                    break
                if message[0] == "publish":
                    _, seq, topic, payload = message
                    service.link.publish(topic, payload, functools.partial(
                        reporter.send, "delivered", seq))
        except (EOFError, OSError):
            log.warning("the console closed the pipe: stopping")
            break
        if time.monotonic() >= next_status:
            reporter.send("status", service.link.state(), service.hall.ingest.stats())
            next_status = time.monotonic() + STATUS_EVERY_S
        if watch is not None and time.monotonic() >= next_watch:
            _watch(watch, reporter, service.hall.ctx.clock())
            next_watch = time.monotonic() + WATCH_EVERY_S
    if service.link.state().connected and not service.link.flush(FLUSH_TIMEOUT_S):
        log.warning("outbound messages still unacknowledged at stop: the console keeps them")
    service.stop()
    reporter.send("status", service.link.state(), service.hall.ingest.stats())
    log.info("ingest process stopped cleanly")


def _watch(watch: CaseWatch, reporter: _Reporter, now: datetime) -> None:
    """Hand the console what other workstations committed; a failed read is retried at the
    next turn (the database may be restarting)."""
    try:
        changes = watch.poll(now)
    except Exception:
        log.exception("reading the cases other workstations changed failed")
        return
    if changes is not None:
        reporter.changes(changes)


def yield_to_the_console() -> None:
    """Run below the console's priority: when the workstation's CPUs are busy, the dispatcher's
    screen goes first and ingest catches up afterwards (the broker holds what is not yet
    acknowledged, so waiting loses nothing)."""
    try:
        if sys.platform == "win32":
            import ctypes

            kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
            if not kernel32.SetPriorityClass(kernel32.GetCurrentProcess(),
                                             BELOW_NORMAL_PRIORITY_CLASS):
                raise OSError(ctypes.get_last_error(), "SetPriorityClass failed")
        else:
            os.nice(NICENESS)
    except OSError as exc:
        log.warning("could not lower the ingest process's priority: %s", exc)


def for_child(settings: Settings, *, demo: bool) -> Settings:
    """The settings a child needs: the database the console itself opened, spelt out."""
    return dataclasses.replace(settings, db_url=settings.database_url(demo=demo))
