"""Start the console: Qt application, qasync loop, the hall, the main window.

Called by `commandcenter run` / `commandcenter demo` (cli.py imports this module lazily).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from commandcenter.config import Settings, config_file, data_dir, load_settings
from commandcenter.domain.assignees import load_assignees
from commandcenter.domain.errors import KnownError
from commandcenter.hall import Hall, open_hall
from commandcenter.ingest.message import InboundMessage
from commandcenter.ingest.mqtt import MqttLink
from commandcenter.ingest.open311.poller import Open311Poller
from commandcenter.ingest.open311.wiring import start_open311
from commandcenter.ingest.process import IngestProcess, for_child
from commandcenter.logsetup import setup_logging
from commandcenter.memory import settle_memory
from commandcenter.services.actor import DISPATCHER, SUPERVISOR, Actor
from commandcenter.services.case_flow import dispatch_order
from commandcenter.services.context import utc_now
from commandcenter.services.sites import SiteService
from commandcenter.sim.live import LiveFeed
from commandcenter.sim.places import load_places
from commandcenter.sim.registry_seed import demo_cleanings, demo_sites

if TYPE_CHECKING:
    from ui.follow_others import OthersFollower

log = logging.getLogger(__name__)
WARM_UP = timedelta(minutes=40)


def main(args: argparse.Namespace, *, demo: bool) -> int:
    started = time.monotonic()
    screenshot = getattr(args, "screenshot", None)
    if screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    setup_logging("commandcenter", verbose=args.verbose)
    flags = {"db_url": args.db_url, "language": args.language,
             "broker_url": getattr(args, "broker_url", None)}
    settings = load_settings(flags)
    if demo and getattr(args, "fresh", False) and not settings.db_url:
        for suffix in ("", "-wal", "-shm"):
            (data_dir() / f"demo.db{suffix}").unlink(missing_ok=True)

    import qasync

    from ui.qt import QApplication
    from ui.qt_log import install_qt_log_handler

    install_qt_log_handler()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    from commandcenter.secrets import split_password
    from ui.crash import install_excepthook

    def passwords(s: Settings) -> list[str]:
        return [pw for url in (s.db_url, s.broker_url) if (pw := split_password(url)[1])]

    crash = install_excepthook(app, secrets=passwords(settings))
    if not demo and not screenshot and not config_file().exists():
        from ui.settings_dialog import first_run

        if first_run(app, settings) is None:
            log.info("first start: the settings dialog was cancelled")
            return 0
        settings = load_settings(flags)  # the saved file, under env and flags as always
        crash.secrets = tuple(passwords(settings))
    from commandcenter.resources import resource_path
    from ui.qt import QIcon

    app.setWindowIcon(QIcon(str(resource_path("icons", "commandcenter.png"))))
    console = Console(app, settings, demo=demo, seed=getattr(args, "seed", 7),
                      rate=getattr(args, "rate", 0.4))
    try:
        console.open()
    except KnownError as exc:
        log.error("cannot start: %s", exc)
        print(f"commandcenter: {exc}", file=sys.stderr)
        return 1
    console.window.show()
    app.processEvents()
    log.info("first window painted after %.0f ms (epoch %.3f)",
             (time.monotonic() - started) * 1000, time.time())

    exit_code = [0]
    if screenshot:
        console.when_ready(lambda: _take_screenshot(console, Path(screenshot), args.after,
                                                    exit_code))
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    quitting = asyncio.Event()
    app.aboutToQuit.connect(quitting.set)
    with loop:
        loop.run_until_complete(quitting.wait())
    console.shutdown()
    return exit_code[0]


def _take_screenshot(console: Console, path: Path, after: float, exit_code: list[int]) -> None:
    from ui.qt import QApplication, QTimer

    def grab() -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        if console.window.grab().save(str(path)):
            print(path)
        else:
            print(f"commandcenter: could not write {path}", file=sys.stderr)
            exit_code[0] = 1
        QApplication.quit()

    QTimer.singleShot(int(after * 1000), grab)


class Console:
    """Owns the running parts of one console session and shuts them down in order."""

    def __init__(self, app: object, settings: Settings, *, demo: bool, seed: int,
                 rate: float) -> None:
        from ui.bridge import Bridge
        from ui.style import apply_style

        apply_style(app)  # type: ignore[arg-type]
        from ui.i18n import install_translators

        self.translators = install_translators(app, settings.language)  # type: ignore[arg-type]
        self.settings = settings
        self.demo = demo
        self.seed = seed
        self.rate = rate
        self.bridge = Bridge()
        self.hall: Hall | None = None
        self.feed: LiveFeed | None = None
        # With a broker, ingest runs in a process of its own (see ingest/process.py): the
        # console's broker link is that process, which it supervises.
        self.link: IngestProcess | None = None
        self.sim_link: MqttLink | None = None  # demo over a broker: the simulator's link
        self.open311: Open311Poller | None = None  # a report platform, when configured
        self.follower: OthersFollower | None = None  # no ingest process, shared database
        self._ready = False
        self._on_ready: list[Callable[[], None]] = []
        self.actor = Actor(f"user:{settings.operator}", settings.operator,
                           frozenset({DISPATCHER, SUPERVISOR}))

    def open(self) -> None:
        from ui.main_window import MainWindow
        from ui.qt import QCoreApplication

        self.hall = open_hall(self.settings, demo=self.demo, on_changes=self.bridge.post_changes)
        self.assignees = load_assignees()
        if self.settings.broker_url:
            self.link = IngestProcess(
                for_child(self.settings, demo=self.demo),
                f"cc-console-{self.settings.workstation}", self.bridge.post_changes,
                verbose=log.isEnabledFor(logging.DEBUG))
            self.hall.outbox.set_publisher(self.link.publish)
        self.window = MainWindow(self.hall, self.actor, self.bridge, demo=self.demo,
                                 on_close=self.shutdown, link=self.link,
                                 default_notes=self.assignees.notes)
        self.window.status.set_database(self.hall.ctx.db.display_url().rsplit("/", 1)[-1])
        if self.demo:
            if self.link is None:
                self.window.status.set_link(
                    QCoreApplication.translate("Console", "演示模式：内置模拟器"), ok=True)
            self.window.statusBar().showMessage(
                QCoreApplication.translate("Console", "正在准备演示数据…"))
            self.bridge.run(self._prepare_demo, lambda _: self._start())
        else:
            if self.link is None:
                self.window.status.set_link(
                    QCoreApplication.translate("Console", "未配置消息服务器"), ok=False)
            self._start()

    def _prepare_demo(self) -> None:
        """Off the GUI thread: on an empty demo database, play the last 40 minutes of a shift."""
        from commandcenter.sim.autodispatch import AutoDispatcher
        from commandcenter.sim.scenario import Scenario
        from commandcenter.sim.warmup import warm_up

        hall = self.hall
        assert hall is not None
        now = utc_now()
        fresh = not hall.cases.snapshot().cases
        sites = SiteService(hall.ctx)
        places = load_places()
        sites.register(demo_sites(places, self.seed))
        if fresh:
            for cleaning in demo_cleanings(places, now.astimezone(hall.ctx.tz).date(),
                                           self.seed):
                sites.record_cleaning(cleaning)
        scenario = Scenario(self.seed, self.rate, start=now - WARM_UP if fresh else now,
                            prefix=self.settings.topic_prefix)
        if fresh:
            warm_up(hall, scenario, AutoDispatcher(hall, self.seed), now)
        else:
            hall.cases.register_units(scenario.roster())
        if self.link is None:  # in process: straight into the ingest inbox
            def emit(topic: str, payload: bytes) -> None:
                hall.ingest.put(InboundMessage(topic, payload, hall.ctx.clock()))

            feed = LiveFeed(scenario, emit, hall.ctx.clock)
            hall.outbox.set_publisher(feed.publish)
        else:  # over the broker: the simulator is just another client of it
            def on_dispatch(msg: InboundMessage) -> None:
                feed.publish(msg.topic, msg.payload)
                assert self.sim_link is not None
                self.sim_link.ack([msg])

            self.sim_link = MqttLink(self.link.url, f"cc-demo-sim-{self.settings.workstation}",
                                     on_dispatch, prefix=self.settings.topic_prefix,
                                     topics=("dispatch/+",))
            feed = LiveFeed(scenario, self.sim_link.publish, hall.ctx.clock)
            hall.outbox.set_publisher(self.link.publish)
        # Officers who held a case when the console last closed carry on with it.
        for unit in hall.cases.snapshot().units:
            if unit.case_id is not None and scenario.handles(unit.id):
                detail = hall.cases.detail(unit.case_id)
                order = dispatch_order(detail.case, hall.ctx, self.actor, None)
                feed.publish(f"{hall.ctx.topic_prefix}/dispatch/{unit.id}",
                             json.dumps(order).encode())
        self.feed = feed

    def _start(self) -> None:
        assert self.hall is not None
        hall = self.hall
        self.bridge.run(lambda: hall.cases.register_units(self.assignees.units))
        if self.link is not None:  # the ingest process takes the broker and Open311
            self.link.start()
        else:  # in process: the demo feed, Open311
            self.hall.ingest.start()
            self.open311 = start_open311(self.hall, self.settings)
            if not hall.ctx.db.is_sqlite:  # and the other workstations, itself
                from ui.follow_others import OthersFollower

                self.follower = OthersFollower(hall, self.bridge, self.window)
                self.follower.start()
        if self.sim_link is not None:
            self.sim_link.start()
        if self.feed is not None:
            self.feed.start()
        self.window.statusBar().clearMessage()
        self.window.load()
        self.bridge.run(lambda: None, lambda _: self._mark_ready())

    def _mark_ready(self) -> None:
        self._ready = True
        settle_memory("console")
        for callback in self._on_ready:
            callback()
        self._on_ready.clear()

    def when_ready(self, callback: Callable[[], None]) -> None:
        if self._ready:
            callback()
        else:
            self._on_ready.append(callback)

    def shutdown(self) -> None:
        """Stop the feed, commit what ingest holds, close the database; safe to call twice."""
        if self.feed is not None:
            self.feed.stop()
            self.feed = None
        if self.sim_link is not None:
            self.sim_link.stop()
            self.sim_link = None
        if self.open311 is not None:
            self.open311.stop()
            self.open311 = None
        if self.follower is not None:
            self.follower.stop()
            self.follower = None
        if self.link is not None:
            self.link.stop()  # the ingest process commits and acks what it holds, then exits
            self.link = None
        if self.hall is not None:
            self.hall.ingest.stop()
            self.hall.close()
            self.hall = None
        self.bridge.shutdown()
