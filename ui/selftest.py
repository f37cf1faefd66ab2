"""`commandcenter --selftest`: prove that this installation works, offscreen, in a few seconds.

IT runs it after installing (`commandcenter-cli.exe --selftest`) and CI runs it on the frozen
bundle, because what breaks a packaged program only shows there: a module PyInstaller did not
see, a resource or migration script not shipped, a missing Qt plugin, translation or time zone.
One line per check on stdout ("ok …" or "FAIL …"); exit status 0 only when every check passed.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

WINDOW_SIZE = (1680, 960)
# Modules that must be found by walking the packages: if the walk misses them (a frozen
# bundle whose module listing is broken), "ok imports" would otherwise prove nothing.
SENTINELS = ("commandcenter.cli", "commandcenter.store.database", "ui.app", "ui.main_window")
# The platform plugin a real (not offscreen) start of the console needs.
NATIVE_PLATFORM = {"win32": "qwindows", "linux": "qxcb", "darwin": "qcocoa"}
LOAD_TIMEOUT_S = 20.0

Write = Callable[[str], None]


class CheckFailed(Exception):
    """A check found a problem; the message says what, for IT."""


def _frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


class _Selftest:
    """Runs the checks in order; later checks use what earlier ones opened (app, database)."""

    def __init__(self, workdir: Path, write: Write) -> None:
        self.workdir = workdir
        self.write = write
        self.failures: list[str] = []
        self.app: Any = None
        self.owns_app = False
        self.db_url: str | None = None

    # --- driver ------------------------------------------------------------------------
    def run(self) -> int:
        from commandcenter import __version__

        where = f"frozen bundle {getattr(sys, '_MEIPASS', '?')}" if _frozen() else sys.prefix
        self.write(f"commandcenter {__version__} selftest, Python {sys.version.split()[0]} "
                   f"on {sys.platform}, {where}")
        checks: list[tuple[str, Callable[[], str]]] = [
            ("imports", self.check_imports),
            ("resources", self.check_resources),
            ("timezone", self.check_timezone),
            ("database", self.check_database),
            ("postgresql", self.check_postgresql),
            ("tls", self.check_tls),
            ("mqtt", self.check_mqtt),
            ("ingest process", self.check_ingest_process),
            ("qt", self.check_qt),
            ("icon", self.check_icon),
            ("fonts", self.check_fonts),
            ("translations", self.check_translations),
            ("window", self.check_window),
        ]
        for name, check in checks:
            try:
                detail = check()
            except Exception as exc:  # every failure is reported, then the next check runs
                self.failures.append(name)
                self.write(f"FAIL {name}: {_describe(exc)}")
                if not isinstance(exc, CheckFailed):
                    traceback.print_exc(file=sys.stderr)
                continue
            # A check may report several lines (translations: one per language); a line that
            # starts with "skip" or "warn" is a remark, not a pass.
            for line in detail.splitlines() or [""]:
                if line.startswith(("skip ", "warn ")):
                    self.write(line)
                else:
                    self.write(f"ok {name} {line}".rstrip())
        if self.failures:
            self.write(f"selftest FAILED: {', '.join(self.failures)}")
            return 1
        self.write("selftest passed")
        return 0

    # --- checks without Qt -------------------------------------------------------------
    def check_imports(self) -> str:
        """Import every module of both packages: catches what PyInstaller's analysis missed."""
        import commandcenter
        import ui

        names: list[str] = []
        problems: dict[str, str] = {}  # module -> why (a package fails once, not per walk)
        for package in (commandcenter, ui):
            def on_error(name: str) -> None:
                problems.setdefault(name, _describe(sys.exc_info()[1]))

            for info in pkgutil.walk_packages(package.__path__, package.__name__ + ".",
                                              onerror=on_error):
                # __main__ runs the CLI when imported; migrations are loaded by Alembic from
                # their files (checked by "database"), not imported as modules.
                if info.name.endswith(".__main__") or ".migrations" in info.name:
                    continue
                names.append(info.name)
        missing = [name for name in SENTINELS if name not in names]
        if missing:
            raise CheckFailed(f"walking the packages did not find {', '.join(missing)} "
                              f"(found {len(names)} modules)")
        for name in names:
            try:
                importlib.import_module(name)
            except Exception as exc:
                problems.setdefault(name, _describe(exc))
        if problems:
            raise CheckFailed("; ".join(f"{name}: {why}" for name, why in problems.items()))
        return f"{len(names)} modules"

    def check_resources(self) -> str:
        from commandcenter.domain.catalog import Catalog
        from commandcenter.domain.district import load_district
        from commandcenter.domain.sla import SlaPolicy
        from commandcenter.resources import resource_path, resources_dir
        from commandcenter.sim.places import load_places

        folder = resources_dir()
        meipass = getattr(sys, "_MEIPASS", None)
        if meipass and not folder.resolve().is_relative_to(Path(meipass).resolve()):
            raise CheckFailed(f"the bundle uses resources outside itself: {folder}")
        catalog = Catalog.load()
        SlaPolicy.load()
        district = load_district()
        places = load_places()
        conf = resource_path("mosquitto.conf").read_text(encoding="utf-8")
        if "max_queued_messages" not in conf:
            raise CheckFailed("mosquitto.conf does not set max_queued_messages")
        # Files read only when needed (the chime on the first alarm, the installer's notice).
        for parts in (("NOTICE.md",), ("sounds", "alert.wav")):
            if not resource_path(*parts).is_file():
                raise CheckFailed(f"{resource_path(*parts)} is missing")
        return (f"{folder}: catalog {len(catalog.categories)} categories, sla, "
                f"map {len(district.streets)} streets, {len(places.places)} places, "
                f"mosquitto.conf")

    def check_timezone(self) -> str:
        # Windows has no system zone database: zoneinfo needs the tzdata package's files.
        from datetime import datetime
        from zoneinfo import ZoneInfo

        from commandcenter.config import Settings

        name = Settings().timezone
        offset = datetime(2026, 1, 1, tzinfo=ZoneInfo(name)).utcoffset()
        return f"{name} (UTC{_hours(offset.total_seconds() if offset else 0.0)})"

    def check_database(self) -> str:
        from commandcenter.store.database import SCHEMA_HEAD, open_database, sqlite_url

        url = sqlite_url(self.workdir / "selftest.db")
        db = open_database(url)  # a fresh file: every migration script runs
        try:
            revision = db.current_revision()
        finally:
            db.dispose()
        if revision != SCHEMA_HEAD:
            raise CheckFailed(f"schema at {revision}, expected {SCHEMA_HEAD}")
        self.db_url = url
        return str(revision)

    def check_postgresql(self) -> str:
        """Load the PostgreSQL dialect and driver (no server needed: nothing connects)."""
        from sqlalchemy import create_engine

        try:
            import psycopg
        except ImportError:
            if _frozen():
                raise CheckFailed("psycopg is not in the bundle") from None
            return "skip postgresql: psycopg not installed (pip install commandcenter[postgres])"
        engine = create_engine("postgresql+psycopg://selftest@127.0.0.1:1/selftest")
        try:
            driver = engine.dialect.driver
        finally:
            engine.dispose()
        return f"driver {driver} {psycopg.__version__}, libpq {psycopg.pq.__impl__}"

    def check_tls(self) -> str:
        """mqtts:// brokers and the Open311 poller need ssl and a CA bundle."""
        import ssl

        import certifi

        bundle = Path(certifi.where())
        if not bundle.is_file():
            raise CheckFailed(f"CA bundle {bundle} is missing")
        ssl.create_default_context(cafile=str(bundle))
        return ssl.OPENSSL_VERSION

    def check_mqtt(self) -> str:
        import paho.mqtt
        from paho.mqtt.client import CallbackAPIVersion, Client

        Client(CallbackAPIVersion.VERSION2, client_id="cc-selftest")  # no connection
        return f"paho {paho.mqtt.__version__}"

    def check_ingest_process(self) -> str:
        """With a broker the console ingests in a child process (in a bundle: this executable
        again, through multiprocessing): start one and hear from it. Nothing listens on the
        broker port, so the child reports that it cannot connect; that is the answer wanted."""
        from commandcenter.config import Settings
        from commandcenter.ingest.process import STARTING, IngestProcess

        if self.db_url is None:
            raise CheckFailed("needs the database check")
        process = IngestProcess(Settings(db_url=self.db_url, broker_url="mqtt://127.0.0.1:1"),
                                "cc-selftest", lambda _changes: None)
        started = time.monotonic()
        process.start()
        try:
            while process.state().error == STARTING:
                if time.monotonic() - started > LOAD_TIMEOUT_S:
                    raise CheckFailed(f"no word from the ingest process in {LOAD_TIMEOUT_S:g} s")
                time.sleep(0.05)
            answer = process.state().error
        finally:
            process.stop(10)
        return f"child answered in {time.monotonic() - started:.1f} s ({answer})"

    # --- Qt ----------------------------------------------------------------------------
    def check_qt(self) -> str:
        import pyqtgraph
        import qasync  # noqa: F401  (the console's event loop; imports its binding by name)

        from ui.qt import QApplication, QCoreApplication, QtCore

        app = QApplication.instance()
        if app is None:
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
            from ui.qt_log import install_qt_log_handler

            install_qt_log_handler()  # Qt's notices go to logging, as in the console
            app = QApplication([sys.argv[0] if sys.argv else "commandcenter"])
            self.owns_app = True
        self.app = app
        platform = QApplication.platformName()
        plugins = _plugin_files("platforms")
        native = NATIVE_PLATFORM.get(sys.platform)
        if native and not any(name.startswith((native, "lib" + native)) for name in plugins):
            raise CheckFailed(f"the {native} platform plugin is missing from "
                              f"{', '.join(QCoreApplication.libraryPaths())}: only "
                              f"{', '.join(sorted(plugins)) or 'none'}")
        binding = pyqtgraph.Qt.QT_LIB
        if binding != "PySide6":
            raise CheckFailed(f"pyqtgraph uses {binding}, not PySide6")
        return f"Qt {QtCore.qVersion()}, platform {platform}, pyqtgraph on {binding}"

    def check_icon(self) -> str:
        from commandcenter.resources import resource_path
        from ui.qt import QtGui

        self._need_app()
        found = []
        for name in ("commandcenter.png", "commandcenter.ico"):
            path = resource_path("icons", name)
            if not path.is_file():
                raise CheckFailed(f"{path} is missing")
            found.append(name)
        if QtGui.QPixmap(str(resource_path("icons", "commandcenter.png"))).isNull():
            raise CheckFailed("commandcenter.png does not load")
        return ", ".join(found)

    def check_fonts(self) -> str:
        """A warning only: offscreen on Windows may not list the system's fonts."""
        from ui.qt import QFontDatabase
        from ui.style import FONT_FAMILIES

        self._need_app()
        families = set(QFontDatabase.families())
        cjk = [f for f in FONT_FAMILIES if f != "sans-serif" and f in families]
        if not cjk:
            return "warn fonts: none of " + ", ".join(FONT_FAMILIES[:-1]) + \
                   " is installed; Chinese text will not render"
        return cjk[0]

    def check_translations(self) -> str:
        from commandcenter.resources import resource_path
        from ui.i18n import install_translators
        from ui.qt import QLocale

        app = self._need_app()
        lines = []
        with _restored_locale(QLocale):
            with _installed(app, install_translators, "zh_CN") as installed:
                if not installed:  # Qt's own catalogue: standard buttons and dialogs
                    raise CheckFailed("Qt's qtbase_zh_CN.qm was not found")
                lines.append("zh_CN")
            ours = resource_path("i18n", "commandcenter_en.qm")
            if ours.is_file():
                with _installed(app, install_translators, "en") as installed:
                    if not any(t.filePath().endswith("commandcenter_en.qm") for t in installed):
                        raise CheckFailed(f"{ours} exists but does not load")
                lines.append("en")
            else:
                lines.append("skip translations en: no commandcenter_en.qm shipped")
        return "\n".join(lines)

    def check_window(self) -> str:
        from commandcenter.config import Settings
        from commandcenter.hall import open_hall
        from commandcenter.services.actor import DISPATCHER, SUPERVISOR, Actor
        from ui.bridge import Bridge
        from ui.main_window import MainWindow
        from ui.qt import QCoreApplication, QEvent
        from ui.style import apply_style

        app = self._need_app()
        if self.db_url is None:
            raise CheckFailed("needs the database check")
        if self.owns_app:
            apply_style(app)  # as the console does; a caller's own app keeps its style
        bridge = Bridge()
        errors: list[str] = []
        bridge.failed.connect(errors.append)
        hall = open_hall(Settings(db_url=self.db_url), on_changes=bridge.post_changes)
        window = None
        try:
            with _dialogs_closed(app) as dialogs:
                actor = Actor("user:selftest", "selftest", frozenset({DISPATCHER, SUPERVISOR}))
                window = MainWindow(hall, actor, bridge, demo=False)
                window.resize(*WINDOW_SIZE)
                window.show()
                window.load()
                deadline = time.monotonic() + LOAD_TIMEOUT_S
                while not window.loaded and not errors and not dialogs:
                    if time.monotonic() > deadline:
                        raise CheckFailed(f"the queue did not load in {LOAD_TIMEOUT_S:.0f} s")
                    app.processEvents()
                    time.sleep(0.01)
                app.processEvents()
                if errors or dialogs:
                    raise CheckFailed("; ".join(errors + dialogs))
                image = window.grab().toImage()
            if image.isNull():
                raise CheckFailed("the window rendered nothing")
            colours = {image.pixel(x, y) for x in range(0, image.width(), 37)
                       for y in range(0, image.height(), 41)}
            if len(colours) < 3:
                raise CheckFailed("the rendered window is blank")
            return f"{image.width()}x{image.height()}"
        finally:
            if window is not None:
                window.close()
                window.deleteLater()
            hall.close()
            bridge.shutdown()
            bridge.deleteLater()
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    def _need_app(self) -> Any:
        if self.app is None:
            raise CheckFailed("needs the qt check")
        return self.app


@contextmanager
def _installed(app: Any, install: Callable[[Any, str], list[Any]],
               language: str) -> Iterator[list[Any]]:
    """Install a language's catalogues and take them out again: the check leaves no trace."""
    translators = install(app, language)
    try:
        yield translators
    finally:
        for translator in translators:
            app.removeTranslator(translator)
            translator.deleteLater()


@contextmanager
def _dialogs_closed(app: Any) -> Iterator[list[str]]:
    """Close any modal dialog the window opens (an error box would wait forever offscreen)
    and hand back what it said."""
    from ui.qt import QMessageBox, QTimer

    said: list[str] = []

    def close_modal() -> None:
        dialog = app.activeModalWidget()
        if dialog is None:
            return
        text = dialog.text() if isinstance(dialog, QMessageBox) else dialog.windowTitle()
        said.append(f"dialog: {text}")
        dialog.reject()

    timer = QTimer()
    timer.setInterval(50)
    timer.timeout.connect(close_modal)
    timer.start()
    try:
        yield said
    finally:
        timer.stop()
        timer.deleteLater()


@contextmanager
def _restored_locale(qlocale: Any) -> Iterator[None]:
    before = qlocale()
    try:
        yield
    finally:
        qlocale.setDefault(before)


def _plugin_files(kind: str) -> set[str]:
    from ui.qt import QCoreApplication

    names: set[str] = set()
    for folder in QCoreApplication.libraryPaths():
        path = Path(folder) / kind
        if path.is_dir():
            names.update(p.name for p in path.iterdir())
    return names


def _hours(seconds: float) -> str:
    hours = seconds / 3600
    return f"{hours:+.0f}" if hours == int(hours) else f"{hours:+.1f}"


def _describe(exc: BaseException | None) -> str:
    if exc is None:
        return "unknown error"
    if isinstance(exc, CheckFailed):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def _print(line: str) -> None:
    print(line, flush=True)


def run_selftest(write: Write | None = None) -> int:
    """Run every check; 0 when all passed, 1 otherwise. `write` receives each output line."""
    # ignore_cleanup_errors: on Windows a virus scanner may still hold the database file.
    with tempfile.TemporaryDirectory(prefix="cc-selftest-", ignore_cleanup_errors=True) as tmp:
        return _Selftest(Path(tmp), write or _print).run()
