"""The console's main window: queue (left), map (centre), case panel (right), status bar."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import timedelta

from commandcenter.config import load_settings
from commandcenter.domain.case import (
    NEEDS_REASON,
    OPEN_STATES,
    SUPERVISED,
    Action,
    Case,
    CaseState,
)
from commandcenter.domain.dispatch import recommend
from commandcenter.domain.errors import KnownError
from commandcenter.domain.unit import Unit
from commandcenter.hall import Hall
from commandcenter.ingest.process import IngestProcess
from commandcenter.services.actor import SUPERVISOR, Actor
from commandcenter.services.cases import CaseDetail, Snapshot
from commandcenter.services.changes import Changes
from commandcenter.services.quarantine import list_quarantine
from commandcenter.services.sites import SiteService
from commandcenter.services.speakers import PersuasionCounts, SpeakerService
from ui.about_dialog import about_action
from ui.alerts import Alert, AlertBanner, Chime
from ui.bridge import Bridge
from ui.case_actions import SPECS, CaseActionSet
from ui.case_panel import CasePanel
from ui.close_guard import may_close
from ui.crash import open_log_folder_action
from ui.dialogs.dispatch import DispatchDialog
from ui.dialogs.extend import ExtendDialog
from ui.dialogs.reason import PRESETS, ReasonDialog
from ui.format import deadline_name, source_name
from ui.i18n import ui_language
from ui.map import MapView
from ui.map_sync import MapSync
from ui.names import action_name
from ui.qt import (
    QT_TRANSLATE_NOOP,
    QAction,
    QCloseEvent,
    QDialog,
    QKeySequence,
    QMainWindow,
    QMessageBox,
    QModelIndex,
    QSplitter,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
)
from ui.quarantine_dialog import QuarantineDialog
from ui.queue.model import CASE_ID_ROLE
from ui.queue.view import CaseQueueView
from ui.requests_dialog import RequestsDialog
from ui.settings_dialog import SettingsDialog, file_menu_title, restart_notice, settings_action
from ui.site_feed import SiteFeed
from ui.sites import SitesDialog
from ui.speaker_dialog import SpeakerDialog
from ui.status_bar import ConsoleStatusBar

log = logging.getLogger(__name__)

UNITS_REDRAW_MS = 500  # see MainWindow.__init__


class MainWindow(QMainWindow):
    def __init__(self, hall: Hall, actor: Actor, bridge: Bridge, *, demo: bool,
                 on_close: Callable[[], None] | None = None,
                 link: IngestProcess | None = None,
                 default_notes: dict[str, str] | None = None) -> None:
        super().__init__()
        self.link = link  # the broker ingest, when there is a broker: its state and figures
        self.default_notes = default_notes or {}
        self.hall, self.actor, self.bridge = hall, actor, bridge
        ctx = hall.ctx
        self._on_close = on_close
        self._units: dict[str, Unit] = {}
        self._busy = False
        self.loaded = False
        title = self.tr("街道城市管理指挥中心 — 崇川区")
        self.setWindowTitle(title + (self.tr("（演示）") if demo else ""))

        self.case_actions = CaseActionSet(self)
        self.case_actions.triggered.connect(self._on_case_action)

        # Queue
        self.queue_view = CaseQueueView(ctx.catalog, ctx.tz, ctx.clock, self)
        self.model, self.proxy = self.queue_view.model, self.queue_view.proxy
        self.queue = self.queue_view.table
        self.search, self.show_closed = self.queue_view.search, self.queue_view.show_closed
        self.queue.selectionModel().currentRowChanged.connect(self._on_queue_current)

        # Map
        self.map = MapView()
        self.map.set_outline(ctx.district.outline)
        self.map.set_areas([(s.name, s.polygons, s.centre) for s in ctx.district.streets])
        self.map.caseClicked.connect(self.select_case)
        self.map.siteClicked.connect(self.show_site)
        self.map_sync = MapSync(self.map, self.model.case, ctx.clock)

        # Case panel
        self.panel = CasePanel(ctx.catalog, ctx.tz, ctx.clock, self.case_actions,
                               self.actor_name)
        self.panel.splitRequested.connect(self._split_signal)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.queue_view)
        splitter.addWidget(self.map)
        splitter.addWidget(self.panel)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setStretchFactor(2, 0)
        splitter.setSizes([780, 520, 380])
        self.banner = AlertBanner(Chime())
        self.banner.showCase.connect(self.select_case)
        central = QWidget()
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.setSpacing(0)
        central_layout.addWidget(self.banner)
        central_layout.addWidget(splitter, 1)
        self.setCentralWidget(central)
        self._requests_dialog: RequestsDialog | None = None
        self._ticks = 0
        self._pending_requests = 0

        self.status = ConsoleStatusBar(ctx.tz, ctx.clock, self)
        self.setStatusBar(self.status)
        self.status.set_database(hall.ctx.db.display_url().rsplit("/", 1)[-1])

        self._quarantine_dialog: QuarantineDialog | None = None
        self._sites_dialog: SitesDialog | None = None
        self._speaker_dialog: SpeakerDialog | None = None
        self.speakers = SpeakerService(ctx, hall.outbox)
        self._build_menus()
        self.bridge.changed.connect(self.apply_changes)
        self.bridge.failed.connect(self._show_error)

        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._on_tick)
        self._tick.start()
        # Officers' markers move at most twice a second: two hundred officers sending fixes
        # would otherwise redraw them, and their decluttered names, on every batch.
        self._units_redraw = QTimer(self)
        self._units_redraw.setSingleShot(True)
        self._units_redraw.setInterval(UNITS_REDRAW_MS)
        self._units_redraw.timeout.connect(self._refresh_units)

        # Oil-fume sites on the map: loaded with the snapshot, every 30 s, and soon after
        # readings arrive; always off the GUI thread, one load at a time.
        self.site_feed = SiteFeed(SiteService(ctx), bridge.run, self.map, self)
        self.site_feed.failed.connect(lambda error: self.statusBar().showMessage(
            self.tr("油烟站点刷新失败：{error}").format(error=error), 10000))
        self.resize(1680, 960)
        self.queue.setFocus()

    # --- menus and shortcuts -------------------------------------------------------------
    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(file_menu_title())
        file_menu.addAction(settings_action(self, self.show_settings))
        case_menu = self.menuBar().addMenu(self.tr("案件(&C)"))
        toolbar = self.addToolBar(self.tr("案件操作"))
        toolbar.setObjectName("caseToolbar")
        toolbar.setMovable(False)
        for spec in SPECS:
            qaction = self.case_actions.actions[spec.action]
            case_menu.addAction(qaction)
            if spec.action in (Action.REGISTER, Action.DISPATCH, Action.CHECK, Action.CLOSE,
                               Action.CANCEL):
                toolbar.addAction(qaction)
        self.merge_action = self._add_action(
            case_menu, QT_TRANSLATE_NOOP("MainWindow", "合并到疑似重复案件"), "F7",
            self._merge_current)
        self.merge_action.setEnabled(False)
        toolbar.addAction(self.merge_action)
        self.speaker_action = self._add_action(
            case_menu, QT_TRANSLATE_NOOP("MainWindow", "远程喊话…"), "F10",
            self.show_speaker_dialog)
        toolbar.addAction(self.speaker_action)
        alerts_menu = self.menuBar().addMenu(self.tr("警报(&A)"))
        self._add_action(alerts_menu, QT_TRANSLATE_NOOP("MainWindow", "查看最新警报"), "Ctrl+G",
                         self.banner.show_newest)
        self._add_action(alerts_menu, QT_TRANSLATE_NOOP("MainWindow", "确认全部警报"),
                         "Ctrl+Return", self.banner.acknowledge)
        self._add_action(alerts_menu, QT_TRANSLATE_NOOP("MainWindow", "静音/取消静音"), "Ctrl+M",
                         self.banner.toggle_mute)
        view_menu = self.menuBar().addMenu(self.tr("视图(&V)"))
        self._add_action(view_menu, QT_TRANSLATE_NOOP("MainWindow", "搜索"), "Ctrl+F",
                         lambda: self.search.setFocus())
        self._add_action(view_menu, QT_TRANSLATE_NOOP("MainWindow", "转到队列"), "Ctrl+1",
                         lambda: self.queue.setFocus())
        self._add_action(view_menu, QT_TRANSLATE_NOOP("MainWindow", "地图显示全部案件"), "Ctrl+0",
                         self.fit_map_to_work)
        self._add_action(view_menu, QT_TRANSLATE_NOOP("MainWindow", "地图显示全区"), "Ctrl+9",
                         self.map.fit_to_district)
        self._add_action(view_menu, QT_TRANSLATE_NOOP("MainWindow", "显示/隐藏已结案"), "Ctrl+H",
                         self.show_closed.toggle)
        supervisor_menu = self.menuBar().addMenu(self.tr("值班长(&S)"))
        self.requests_action = self._add_action(
            supervisor_menu, QT_TRANSLATE_NOOP("MainWindow", "待审批申请…"), "Ctrl+Shift+A",
            self.show_requests)
        self._add_action(supervisor_menu, QT_TRANSLATE_NOOP("MainWindow", "油烟监测站点…"),
                         "Ctrl+Shift+Y", self.show_sites)
        self._add_action(supervisor_menu, QT_TRANSLATE_NOOP("MainWindow", "隔离消息…"),
                         "Ctrl+Shift+Q", self.show_quarantine)
        help_menu = self.menuBar().addMenu(self.tr("帮助(&H)"))
        self._add_action(help_menu, QT_TRANSLATE_NOOP("MainWindow", "快捷键"), "F1",
                         self.show_shortcuts)
        help_menu.addAction(open_log_folder_action(self))
        help_menu.addSeparator()
        help_menu.addAction(about_action(self))

    def _add_action(self, menu: object, text: str, shortcut: str,
                    slot: Callable[[], object]) -> QAction:
        qaction = QAction(self.tr(text), self)
        qaction.setShortcut(QKeySequence(shortcut))
        qaction.triggered.connect(lambda _=False: slot())
        menu.addAction(qaction)  # type: ignore[attr-defined]
        return qaction

    def show_shortcuts(self) -> None:
        """F1: every key the menus define (read from them, so the sheet never goes stale)."""
        rows = []
        for menu_action in self.menuBar().actions():
            menu = menu_action.menu()
            if menu is None:
                continue
            title = menu_action.text().replace("&", "")
            rows.append(f"<tr><td colspan='3'><br><b>{title}</b></td></tr>")
            for action in menu.actions():
                key = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
                if not key:
                    continue
                tip = action.statusTip() or ""
                rows.append(f"<tr><td><b>{key}</b></td><td>{action.text().replace('&', '')}"
                            f"</td><td>{tip}</td></tr>")
        more = (("↑ ↓", QT_TRANSLATE_NOOP("MainWindow", "在队列中移动")),
                ("Enter", QT_TRANSLATE_NOOP("MainWindow", "在对话框中确认")))
        rows += [f"<tr><td><b>{k}</b></td><td>{self.tr(v)}</td><td></td></tr>" for k, v in more]
        box = QMessageBox(self)
        box.setWindowTitle(self.tr("快捷键"))
        box.setText(f"<table cellspacing='4'>{''.join(rows)}</table>")
        box.exec()

    def actor_name(self, actor_id: str) -> str:
        """Who did it, as the dispatcher knows them: a unit's name, a source's name, a user."""
        kind, _, ident = actor_id.partition(":")
        if kind == "unit":
            unit = self._units.get(ident)
            return unit.name if unit else ident
        if kind == "speaker":
            speaker = self.speakers.registry().get(ident)
            return speaker.name if speaker else ident
        if kind == "system":
            return source_name(ident)
        return ident or actor_id

    def show_site(self, mn: str) -> None:
        """A click on a site's square: the site list, with that site selected."""
        self.show_sites()
        if self._sites_dialog is not None:
            self._sites_dialog.select_site(mn)

    def show_sites(self) -> None:
        """One dialog, reused: a load finishing after a close must still find it alive."""
        dialog = self._sites_dialog
        if dialog is None:
            dialog = self._sites_dialog = SitesDialog(
                SiteService(self.hall.ctx), self.bridge.run, tz=self.hall.ctx.tz, parent=self)
        elif dialog.isVisible():
            dialog.refresh()
        dialog.show()  # not modal; showing refreshes and starts the 30 s auto-refresh
        dialog.raise_()
        dialog.activateWindow()

    def show_speaker_dialog(self) -> None:
        """远程喊话 for the selected case: nearest speaker first, the category's phrase."""
        case = self.panel.case()
        if case is None or case.location is None:
            self.statusBar().showMessage(self.tr("请先选择有位置的案件"), 5000)
            return
        if self._speaker_dialog is not None:
            self._speaker_dialog.close()
        # Kept as an attribute: background jobs call back into it after it is shown.
        self._speaker_dialog = SpeakerDialog(
            case, self.speakers.nearest(case, 5), self.speakers.phrases_for(case.category),
            self.bridge.run, lambda _a: self._reload_current(), service=self.speakers,
            actor=self.actor, tz=self.hall.ctx.tz, parent=self)
        self._speaker_dialog.show()

    def show_settings(self) -> None:
        """文件 → 设置…: saved to the config file; the console applies it at the next start."""
        try:
            settings = load_settings()
        except KnownError as exc:
            self._show_error(str(exc))
            return
        dialog = SettingsDialog(settings, run=self.bridge.run, parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.statusBar().showMessage(restart_notice(), 10_000)

    def show_quarantine(self) -> None:
        """One dialog, reused: a load finishing after a close must still find it alive."""
        dialog = self._quarantine_dialog
        if dialog is None:
            db = self.hall.ctx.db
            dialog = self._quarantine_dialog = QuarantineDialog(
                lambda: list_quarantine(db, limit=500), self.bridge.run,
                tz=self.hall.ctx.tz, parent=self)
        elif dialog.isVisible():
            dialog.refresh()
        dialog.show()  # not modal: the supervisor keeps working
        dialog.raise_()
        dialog.activateWindow()

    # --- data flow -------------------------------------------------------------------------
    def load(self) -> None:
        """Fetch the starting picture off the GUI thread."""
        self.bridge.run(self.hall.cases.snapshot, self._on_snapshot)

    def _on_snapshot(self, snapshot: Snapshot) -> None:
        self.status.set_quarantine_base(snapshot.quarantine_count)
        self.apply_changes(Changes(cases={c.id or 0: c for c in snapshot.cases},
                                   units={u.id: u for u in snapshot.units}))
        self.loaded = True
        self.refresh_requests()
        self.refresh_persuasions()
        self.fit_map_to_work()
        self.site_feed.start()
        if self.proxy.rowCount() and self.selected_case_id() is None:
            self.queue.selectRow(0)

    def fit_map_to_work(self) -> None:
        """Frame the open cases and the officers: that is where the dispatcher looks."""
        now = self.hall.ctx.clock()
        points = [(c.location.lat, c.location.lon) for c in self.model.cases()
                  if c.location and c.state in OPEN_STATES]
        points += [pos for u in self._units.values() if (pos := u.position(now))]
        self.map.fit_to_points(points)

    def apply_changes(self, changes: Changes) -> None:
        # Versions this console already shows come back from the other workstations' watch
        # (commandcenter/services/case_watch.py) after its own actions: nothing to redo.
        fresh = {case_id: case for case_id, case in changes.cases.items()
                 if (shown := self.model.case(case_id)) is None or shown.version < case.version}
        if changes.cases:
            self.model.upsert(changes.cases.values())
            self._raise_alerts(changes, fresh)
        if changes.requests_changed:
            self.refresh_requests()
        if changes.announcements and self._speaker_dialog is not None:
            for announcement in changes.announcements.values():
                if announcement.acked_at is not None and announcement.ack_status is not None:
                    self._speaker_dialog.acknowledged(announcement.request_id,
                                                      announcement.acked_at,
                                                      announcement.ack_status)
        if changes.events_stored and self.loaded:
            self.site_feed.readings_arrived()
        if changes.units:
            self._units.update(changes.units)  # recommendations use them at once
            if not self._units_redraw.isActive():
                self._units_redraw.start()
        if fresh:
            self._refresh_markers(fresh.keys())
            current = self.panel.case()
            if current is not None and current.id in fresh:
                self._show(fresh[current.id or 0], reload=True)

    def _raise_alerts(self, changes: Changes, fresh: dict[int, Case]) -> None:
        """New critical signals and 督办 escalations are heard, not just seen: once each,
        however many sources (this console's ingest, another workstation's) report them."""
        now = self.hall.ctx.clock().astimezone(self.hall.ctx.tz)
        for case_id in dict.fromkeys(changes.new_case_ids):
            case = fresh.get(case_id)
            if case is not None and case.priority == 1:
                self.banner.raise_alert(Alert(case_id, self.tr("紧急：{title}（{street}）").format(
                    title=case.title, street=case.street or ""), now, True))
        for case_id in dict.fromkeys(changes.escalated_ids):
            case = fresh.get(case_id)
            nd = case.next_deadline() if case else None
            if case is not None:
                text = self.tr("督办：{number} {step}超时 — {title}").format(
                    number=case.number, step=deadline_name(nd.kind) if nd else "",
                    title=case.title)
                self.banner.raise_alert(Alert(case_id, text, now, False))

    def refresh_persuasions(self) -> None:
        """The year's persuasion count in the status bar (off the GUI thread)."""
        self.bridge.run(self.speakers.persuasion_counts, self._on_persuasions)

    def _on_persuasions(self, counts: PersuasionCounts) -> None:
        catalog = self.hall.ctx.catalog
        by_category = {catalog.name(code, ui_language()): str(n)
                       for code, n in counts["by_category"].items()}
        self.status.set_persuasions(counts["total"], by_category)

    def refresh_requests(self) -> None:
        """How many requests wait for the 值班长: shown in the menu and the status bar."""
        if not self.actor.has(SUPERVISOR):
            return
        self.bridge.run(self.hall.requests.pending, self._on_pending_requests)

    def _on_pending_requests(self, pending: list[object]) -> None:
        self._pending_requests = len(pending)
        self.requests_action.setText(self.tr("待审批申请 ({n})…").format(n=len(pending)))
        if self._requests_dialog is not None and self._requests_dialog.isVisible():
            self._requests_dialog.refresh()

    def show_requests(self) -> None:
        dialog = self._requests_dialog
        if dialog is None:
            hall = self.hall
            dialog = self._requests_dialog = RequestsDialog(
                hall.requests.pending,
                lambda rid, ok, note: hall.requests.decide(rid, ok, self.actor, note),
                self.bridge.run, self.model.case, self.actor_name, hall.ctx.tz, self)
        else:
            dialog.refresh()
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    def _refresh_markers(self, changed: Iterable[int] | None = None) -> None:
        """Redraw the case markers of `changed` cases (all when None)."""
        if changed is None:
            changed = [c.id or 0 for c in self.model.cases()] + self.map_sync.drawn_case_ids()
        self.map_sync.cases(changed)

    def _refresh_units(self) -> None:
        self.map_sync.units(self._units.values())

    def _recommend(self, case: Case | None) -> None:
        if case is not None:
            self.panel.set_recommendations(
                recommend(case, list(self._units.values()), self.hall.ctx.clock()))

    def _on_tick(self) -> None:
        self.model.tick(self.queue_view.visible_source_rows())
        self.panel.tick()
        self._recommend(self.panel.case())
        self.status.tick()
        ingest = self.link if self.link is not None else self.hall.ingest
        self.status.set_ingest(ingest.stats())
        self._ticks += 1
        if self._ticks % 60 == 0:
            self.refresh_persuasions()
        self.map_sync.due_colour_changes()
        if self.link is not None:
            self.status.set_link_state(self.link.state(), self.link.url.display,
                                       self.link.unconfirmed())

    # --- selection -------------------------------------------------------------------------
    def selected_case_id(self) -> int | None:
        return self.queue_view.selected_case_id()

    def select_case(self, case_id: int) -> None:
        """Select `case_id` in the queue (showing closed cases if that is where it is)."""
        self.queue_view.select_case(case_id)

    def _on_queue_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        case_id = current.data(CASE_ID_ROLE) if current.isValid() else None
        case = self.model.case(case_id) if case_id is not None else None
        self.map.select_case(case_id)
        self._show(case, reload=True)

    def _show(self, case: Case | None, *, reload: bool) -> None:
        self.panel.show_case(case)
        self._recommend(case)
        self.case_actions.update_for(case, self.actor, self._busy)
        self.merge_action.setEnabled(self._merge_target(case) is not None and not self._busy)
        if case is not None and reload:
            self.bridge.run(lambda cid=case.id: self.hall.cases.detail(cid),
                            self.panel.show_detail)

    # --- duplicates --------------------------------------------------------------------------
    def _merge_target(self, case: Case | None) -> Case | None:
        if case is None or case.state is not CaseState.REPORTED or not case.duplicate_of:
            return None
        target = self.model.case(case.duplicate_of)
        return target if target is not None and target.state in OPEN_STATES else None

    def _merge_current(self) -> None:
        case = self.panel.case()
        target = self._merge_target(case)
        if case is None or target is None or self._busy:
            return
        self._set_busy(True)
        signal_id, version, into = case.id or 0, case.version, target.id or 0
        self.bridge.run(
            lambda: self.hall.cases.merge(signal_id, into, self.actor, expected_version=version),
            lambda _changes: (self._set_busy(False), self.select_case(into)),
            self._on_action_failed)

    def _split_signal(self, event_id: int) -> None:
        if self._busy:
            return
        self._set_busy(True)
        self.bridge.run(lambda: self.hall.cases.split(event_id, self.actor),
                        lambda _changes: self._set_busy(False), self._on_action_failed)

    # --- actions ---------------------------------------------------------------------------
    def _on_case_action(self, action: Action) -> None:
        case = self.panel.case()
        if case is None or self._busy:
            return
        assignee = note = None
        minutes: int | None = None
        name = action_name(action)
        title = self.tr("{action} {number}").format(action=name, number=case.number)
        if action is Action.DISPATCH:
            dialog = DispatchDialog(case, list(self._units.values()), self.hall.ctx.clock(), self,
                                    default_notes=self.default_notes)
            if not dialog.exec() or dialog.unit_id() is None:
                return
            assignee, note = dialog.unit_id(), dialog.note()
        elif action is Action.EXTEND:
            extend = ExtendDialog(title, self.tr("延长该案件所有未完成步骤的时限："), self)
            if not extend.exec():
                return
            minutes, note = extend.minutes(), extend.reason()
        elif action in NEEDS_REASON:
            dialog = ReasonDialog(title, self.tr("请填写“{action}”的原因：").format(action=name),
                                  PRESETS.get(action.value, []), self)
            if not dialog.exec():
                return
            note = dialog.reason()
        self._set_busy(True)
        case_id, version = case.id or 0, case.version
        if (case.state, action) in SUPERVISED and not self.actor.has(SUPERVISOR):
            # A dispatcher asks; the 值班长 decides (值班长 → 待审批申请).
            self.bridge.run(
                lambda: self.hall.requests.request(case_id, action, self.actor, note or "",
                                                   minutes=minutes),
                lambda _changes: (self._set_busy(False), self.statusBar().showMessage(
                    self.tr("已提交值班长审批：{action} {number}").format(
                        action=name, number=case.number), 10000)),
                self._on_action_failed)
            return
        extend_by = timedelta(minutes=minutes) if minutes else None
        self.bridge.run(
            lambda: self.hall.cases.act(case_id, action, self.actor, expected_version=version,
                                        note=note, assignee=assignee, extend_by=extend_by),
            lambda _changes: self._set_busy(False),
            self._on_action_failed,
        )

    def _on_action_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, KnownError):
            self._show_error(str(exc))
            self._reload_current()  # e.g. a stale version: show what the case is now
        else:
            log.error("action failed", exc_info=exc)
            error = f"{type(exc).__name__}: {exc}"
            self._show_error(self.tr("内部错误：{error}").format(error=error))

    def _reload_current(self) -> None:
        case = self.panel.case()
        if case is not None and case.id is not None:
            self.bridge.run(lambda cid=case.id: self.hall.cases.detail(cid), self._on_reloaded)

    def _on_reloaded(self, detail: CaseDetail) -> None:
        """Show what was just read, even at a version the queue has (a loudspeaker request
        adds to the case's record without changing the case), without reading it again."""
        case = detail.case
        self.model.upsert([case])
        self._refresh_markers([case.id or 0])
        current = self.panel.case()
        if current is not None and current.id == case.id:
            self._show(case, reload=False)
            self.panel.show_detail(detail)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.case_actions.update_for(self.panel.case(), self.actor, busy)
        self.merge_action.setEnabled(not busy and self._merge_target(self.panel.case()) is not None)

    def _show_error(self, message: str) -> None:
        self.statusBar().showMessage(message, 10000)
        QMessageBox.warning(self, self.tr("无法执行"), message)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not may_close(self, self.link):
            event.ignore()
            return
        self._tick.stop()
        self.site_feed.close()
        if self._on_close is not None:
            self._on_close()
        event.accept()
