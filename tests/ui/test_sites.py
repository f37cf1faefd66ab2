"""The 油烟监测站点 dialog over a real SQLite hall: one site exceeding, one offline, one normal
with an overdue cleaning, all fed through the real ingest writer."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from commandcenter.config import Settings
from commandcenter.domain.site import Cleaning, Site
from commandcenter.hall import Hall, open_hall
from commandcenter.ingest.message import InboundMessage
from commandcenter.services.sites import SiteOverview, SiteService
from tests.conftest import FakeClock
from ui.qt import QDate, QDialogButtonBox, Qt
from ui.sites import Column, SitesDialog, ZonedTimeAxis
from ui.sites.model import AMBER, GREEN, GREY, MN_ROLE, RED, WHITE, SiteListModel

EXCEEDING = Site("32061300000000000000A001", "老街饭店", lat=32.03, lon=120.87,
                 address="南大街 18 号", street="和平桥街道", contact="刘经理",
                 phone="0513-8500 0000", limit=2.0)
OFFLINE = Site("32061300000000000000A002", "江边小炒", address="濠河路 6 号", street="文峰街道",
               contact="周老板", limit=2.0)
NORMAL = Site("32061300000000000000A003", "南大街面馆", address="南大街 40 号",
              street="和平桥街道", contact="陈老板", phone="0513-8511 1111", limit=2.0)
A_VALUES = [1.2, 2.6, 2.8, 3.1, 3.4, 3.0, 2.9]  # above 2.0 for six minutes: raised at 3.4
TODAY = date(2026, 11, 28)  # the FakeClock's day in 南通


def run_now(job: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[BaseException], None] | None = None) -> None:
    """The threading seam made synchronous: the job still runs for real, on this thread."""
    result = job()
    if on_done is not None:
        on_done(result)


def reading(mn: str, at: datetime, fume: float, *, particulates: float | None = None,
            nmhc: float | None = None) -> InboundMessage:
    measurements = {"a34041": {"value": fume, "unit": "mg/m3", "flag": "N"}}
    if particulates is not None:
        measurements["a34000"] = {"value": particulates, "unit": "mg/m3", "flag": "N"}
    if nmhc is not None:
        measurements["a24088"] = {"value": nmhc, "unit": "mg/m3", "flag": "N"}
    body = {"source": "hj212", "source_id": f"{mn}-2011-{at.isoformat()}", "kind": "reading",
            "occurred_at": at.isoformat(), "device": mn, "measurements": measurements}
    return InboundMessage("cc/v1/event/hj212", json.dumps(body).encode(), at)


def feed(hall: Hall, messages: list[InboundMessage]) -> None:
    hall.ingest.process_now(messages)


@pytest.fixture
def hall(sqlite_url: str, clock: FakeClock) -> Iterator[Hall]:
    h = open_hall(Settings(db_url=sqlite_url))
    h.ctx.clock = clock
    service = SiteService(h.ctx)
    service.register([EXCEEDING, OFFLINE, NORMAL])
    for value in (0.8, 0.9):  # 09:00, 09:01 UTC, then silence
        feed(h, [reading(OFFLINE.mn, clock.now, value)])
        clock.advance(minutes=1)
    clock.advance(minutes=20)
    h.ingest.writer.housekeeping()  # 江边小炒 has been silent 21 minutes: offline
    for i, value in enumerate(A_VALUES):  # 09:22 … 09:28 UTC
        feed(h, [reading(EXCEEDING.mn, clock.now, value, particulates=0.4 + i / 10, nmhc=3.0),
                 reading(NORMAL.mn, clock.now, 0.6)])
        clock.advance(minutes=1)
    service.record_cleaning(Cleaning(OFFLINE.mn, TODAY - timedelta(days=5), "绿源清洗公司",
                                     TODAY + timedelta(days=25)))
    service.record_cleaning(Cleaning(NORMAL.mn, TODAY - timedelta(days=70), "店方自行清洗",
                                     TODAY - timedelta(days=40)))
    service.record_cleaning(Cleaning(NORMAL.mn, TODAY - timedelta(days=40), "店方自行清洗",
                                     TODAY - timedelta(days=10), note="滤网未换"))
    yield h
    h.close()


@pytest.fixture
def dialog(qtbot: Any, hall: Hall) -> SitesDialog:
    dlg = SitesDialog(SiteService(hall.ctx), run_now, tz=hall.ctx.tz)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.activateWindow()
    qtbot.waitActive(dlg)  # F5 is a window shortcut: it needs the active window
    return dlg


def source_row(dlg: SitesDialog, site: Site) -> int:
    row = dlg.model.row_of(site.mn)
    assert row is not None
    return row


def cell(dlg: SitesDialog, site: Site, column: Column, role: int = Qt.ItemDataRole.DisplayRole
         ) -> Any:
    return dlg.model.index(source_row(dlg, site), column).data(role)


def colour(dlg: SitesDialog, site: Site, column: Column, role: int) -> str | None:
    brush = cell(dlg, site, column, role)
    return brush.color().name() if brush is not None else None


def points(curve: Any) -> int:
    """How many points a PlotDataItem shows (pyqtgraph says None for none)."""
    x, _ = curve.getData()
    return 0 if x is None else len(x)


def select(dlg: SitesDialog, site: Site) -> None:
    proxy_index = dlg.proxy.mapFromSource(dlg.model.index(source_row(dlg, site), 0))
    dlg.table.selectRow(proxy_index.row())
    assert dlg.selected_mn() == site.mn


def test_statuses_read_at_a_glance(dialog: SitesDialog) -> None:
    assert dialog.windowTitle() == "油烟监测站点" and not dialog.isModal()
    headers = [dialog.model.headerData(c, Qt.Orientation.Horizontal) for c in Column]
    assert headers == ["站点", "街道", "油烟", "限值", "状态", "超标次数", "峰值", "最后数据",
                       "清洗", "联系人"]
    assert dialog.model.rowCount() == 3
    bg, fg = Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole

    assert cell(dialog, EXCEEDING, Column.STATUS) == "超标报警"
    assert colour(dialog, EXCEEDING, Column.STATUS, bg) == RED.name()
    assert colour(dialog, EXCEEDING, Column.STATUS, fg) == WHITE.name()
    assert cell(dialog, EXCEEDING, Column.FUME) == "2.90"
    assert colour(dialog, EXCEEDING, Column.FUME, fg) == RED.name()  # above its limit
    assert cell(dialog, EXCEEDING, Column.LIMIT) == "2.0"
    assert cell(dialog, EXCEEDING, Column.COUNT) == "3"  # 3.4 raised it, then 3.0 and 2.9
    assert cell(dialog, EXCEEDING, Column.PEAK) == "3.40"
    assert cell(dialog, EXCEEDING, Column.LAST_SEEN) == "11-28 17:28:00"  # 09:28 UTC in 南通
    assert cell(dialog, EXCEEDING, Column.CLEANING) == "无记录"
    assert colour(dialog, EXCEEDING, Column.CLEANING, bg) == RED.name()
    assert cell(dialog, EXCEEDING, Column.CONTACT) == "刘经理"
    assert cell(dialog, EXCEEDING, Column.CONTACT, Qt.ItemDataRole.ToolTipRole) \
        == "0513-8500 0000"

    assert cell(dialog, OFFLINE, Column.STATUS) == "离线"
    assert colour(dialog, OFFLINE, Column.STATUS, bg) == GREY.name()
    assert colour(dialog, OFFLINE, Column.FUME, fg) == GREY.name()  # stale numbers look stale
    assert cell(dialog, OFFLINE, Column.LAST_SEEN) == "11-28 17:01:00"
    assert cell(dialog, OFFLINE, Column.CLEANING) == "已清洗 11-23"
    assert colour(dialog, OFFLINE, Column.CLEANING, fg) == GREEN.name()

    assert cell(dialog, NORMAL, Column.STATUS) == "正常"
    assert colour(dialog, NORMAL, Column.STATUS, bg) is None
    assert colour(dialog, NORMAL, Column.STATUS, fg) == GREEN.name()
    assert cell(dialog, NORMAL, Column.FUME) == "0.60"
    assert cell(dialog, NORMAL, Column.COUNT) == "" and cell(dialog, NORMAL, Column.PEAK) == ""
    assert cell(dialog, NORMAL, Column.CLEANING) == "已逾期"
    assert colour(dialog, NORMAL, Column.CLEANING, bg) == RED.name()

    # Worst first: the alarm on top, then offline, then the quiet one.
    order = [dialog.proxy.index(r, 0).data(MN_ROLE) for r in range(3)]
    assert order == [EXCEEDING.mn, OFFLINE.mn, NORMAL.mn]
    assert dialog.selected_mn() == EXCEEDING.mn  # the most urgent site is shown at once
    summary = dialog.summary.text()
    assert "共 3 个站点" in summary and "超标报警 <b" in summary and "清洗逾期/无记录" in summary


def test_every_status_has_its_words_and_colour(qtbot: Any, hall: Hall) -> None:
    rows = SiteService(hall.ctx).overview()
    base = next(r for r in rows if r.site.mn == EXCEEDING.mn)
    model = SiteListModel(hall.ctx.tz)
    variants = {phase: _with_phase(base, phase) for phase in ("pending", "clearing")}
    model.set_sites([variants["pending"]])
    index = model.index(0, Column.STATUS)
    assert index.data() == "超标待确认"
    assert index.data(Qt.ItemDataRole.BackgroundRole).color() == AMBER
    model.set_sites([variants["clearing"]])
    assert index.data() == "恢复中"
    assert index.data(Qt.ItemDataRole.ForegroundRole).color() == RED


def _with_phase(row: SiteOverview, phase: str) -> SiteOverview:
    from dataclasses import replace

    from commandcenter.domain.alarm import AlarmPhase

    return replace(row, exceed=replace(row.exceed, phase=AlarmPhase(phase)))


def test_models_pass_the_qt_model_tester(qtmodeltester: Any, dialog: SitesDialog,
                                         hall: Hall, clock: FakeClock) -> None:
    qtmodeltester.check(dialog.model)
    qtmodeltester.check(dialog.proxy)
    feed(hall, [reading(NORMAL.mn, clock.now, 2.5)])
    dialog.refresh()
    dialog.filter.setText("和平桥")
    qtmodeltester.check(dialog.proxy)


def test_the_selected_site_shows_its_readings_and_limit(dialog: SitesDialog) -> None:
    select(dialog, EXCEEDING)
    chart = dialog.chart
    x, y = chart.fume_curve.getData()
    assert len(x) == len(A_VALUES) and list(y) == A_VALUES
    assert points(chart.particulates_curve) == len(A_VALUES)
    assert list(chart.nmhc_curve.getData()[1]) == [3.0] * len(A_VALUES)
    assert chart.limit_line.isVisible() and chart.limit_line.value() == 2.0
    assert chart.limit_line.label.toPlainText() == "限值 2.0 mg/m³"
    _, fill_y = chart.exceed_fill.getData()
    assert fill_y.max() == 3.4 and fill_y.min() == 2.0  # the time above the limit is shaded
    (x0, x1), (y0, y1) = chart.getPlotItem().getViewBox().viewRange()
    assert y0 == 0.0 and y1 >= 3.4
    assert x0 <= x[0] and x[-1] <= x1 and x1 - x0 >= 6 * 3600
    assert "老街饭店" in dialog.details.text() and "0513-8500 0000" in dialog.details.text()

    select(dialog, OFFLINE)  # two readings, half an hour ago
    assert points(dialog.chart.fume_curve) == 2
    assert points(dialog.chart.particulates_curve) == 0  # it never measured them
    assert "11-23 绿源清洗公司（下次 12-23）" in dialog.details.text()


def test_time_axis_speaks_the_halls_time_zone(qapp: Any, hall: Hall) -> None:
    axis = ZonedTimeAxis(hall.ctx.tz)
    at = datetime(2026, 11, 28, 9, 30, tzinfo=UTC).timestamp()
    assert axis.tickStrings([at], 1.0, 1800) == ["17:30"]
    midnight = datetime(2026, 11, 28, 16, 0, tzinfo=UTC).timestamp()  # 00:00 in 南通
    assert axis.tickStrings([midnight], 1.0, 3600) == ["11-29"]
    (spacing, ticks), *_ = axis.tickValues(at - 6 * 3600, at, 1000)
    assert spacing == 1800  # whole half hours over six hours on 1000 px
    assert all(datetime.fromtimestamp(t, hall.ctx.tz).minute in (0, 30) for t in ticks)


def test_registering_a_cleaning_updates_the_list(qtbot: Any, dialog: SitesDialog) -> None:
    select(dialog, NORMAL)
    assert "店方自行清洗（下次 11-18），滤网未换" in dialog.details.text()
    resets: list[int] = []
    dialog.model.modelAboutToBeReset.connect(lambda: resets.append(1))

    qtbot.mouseClick(dialog.register_button, Qt.MouseButton.LeftButton)
    form = dialog.cleaning_form
    assert form is not None and form.isVisible()
    assert form.windowTitle() == "登记清洗 — 南大街面馆"
    assert form.cleaned_on.date() == QDate(2026, 11, 28)  # today in 南通
    assert form.next_due.date() == QDate(2026, 12, 28)  # a month on
    assert form.by.text() == "店方自行清洗"  # who cleaned last time
    form.cleaned_on.setDate(QDate(2026, 11, 27))
    assert form.next_due.date() == QDate(2026, 12, 27)  # follows the date until edited
    form.by.clear()
    assert not form.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    qtbot.keyClick(form.by, Qt.Key.Key_Return)
    assert form.isVisible(), "Enter without a name must not register"
    form.by.insert("绿源清洗公司")  # QTest cannot type CJK
    form.note.insert("更换滤网")
    qtbot.keyClick(form.note, Qt.Key.Key_Return)  # Enter registers
    assert not form.isVisible()

    assert cell(dialog, NORMAL, Column.CLEANING) == "已清洗 11-27"
    assert colour(dialog, NORMAL, Column.CLEANING, Qt.ItemDataRole.BackgroundRole) is None
    assert "11-27 绿源清洗公司（下次 12-27），更换滤网" in dialog.details.text()
    assert dialog.details.text().count("（下次") == 3  # the last three records
    assert dialog.selected_mn() == NORMAL.mn
    dialog.attention.setChecked(True)  # alarm and offline; 南大街面馆 is in order now
    assert {dialog.proxy.index(r, 0).data(MN_ROLE) for r in range(dialog.proxy.rowCount())} \
        == {EXCEEDING.mn, OFFLINE.mn}
    assert "已登记 南大街面馆 11-27 的清洗记录" in dialog.status.text()
    assert not resets


def test_refreshes_update_in_place(qtbot: Any, dialog: SitesDialog, hall: Hall,
                                   clock: FakeClock) -> None:
    select(dialog, EXCEEDING)
    chart = dialog.chart
    items = list(chart.getPlotItem().items)
    scene_items = len(chart.scene().items())
    curve = chart.fume_curve
    events: list[str] = []
    model = dialog.model
    model.modelAboutToBeReset.connect(lambda: events.append("reset"))
    model.rowsInserted.connect(lambda *_: events.append("insert"))
    model.rowsRemoved.connect(lambda *_: events.append("remove"))
    changed: list[int] = []
    model.dataChanged.connect(lambda first, last, *_: changed.extend(
        range(first.row(), last.row() + 1)))

    for n in range(3):
        feed(hall, [reading(EXCEEDING.mn, clock.now, 3.5 + n)])
        clock.advance(minutes=1)
        qtbot.keyClick(dialog.table, Qt.Key.Key_F5)  # the button's shortcut: an animated click
        qtbot.waitUntil(lambda n=n: points(chart.fume_curve) == len(A_VALUES) + n + 1)
    assert not events, "a refresh of the same sites changes rows in place"
    assert set(changed) == {source_row(dialog, EXCEEDING)}, "only the changed row repaints"
    assert chart.getPlotItem().items == items and chart.fume_curve is curve
    assert len(chart.scene().items()) == scene_items
    assert cell(dialog, EXCEEDING, Column.PEAK) == "5.50"
    assert dialog.selected_mn() == EXCEEDING.mn


def test_filter_narrows_and_enter_goes_to_the_table(qtbot: Any, dialog: SitesDialog) -> None:
    qtbot.keyClick(dialog.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert dialog.filter.hasFocus()
    dialog.filter.insert("文峰")  # the street of 江边小炒
    assert dialog.proxy.rowCount() == 1 and dialog.selected_mn() == OFFLINE.mn
    qtbot.keyClick(dialog.filter, Qt.Key.Key_Return)
    assert dialog.table.hasFocus() and dialog.isVisible()
    dialog.filter.setText("没有这个站点")
    assert dialog.proxy.rowCount() == 0 and not dialog.register_button.isEnabled()
    assert points(dialog.chart.fume_curve) == 0


def test_closing_drops_a_half_filled_form(qtbot: Any, dialog: SitesDialog) -> None:
    dialog.register_cleaning()
    form = dialog.cleaning_form
    assert form is not None and form.isVisible()
    dialog.close()  # the window's ×
    assert not form.isVisible() and not dialog.isVisible()


def test_auto_refresh_runs_only_while_visible(qtbot: Any, dialog: SitesDialog) -> None:
    assert dialog.timer.isActive() and dialog.timer.interval() == 30_000
    dialog.table.setFocus()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Escape)  # Esc closes
    assert not dialog.isVisible() and not dialog.timer.isActive()
    dialog.show()
    assert dialog.timer.isActive()


def test_a_failed_load_is_shown(qtbot: Any, hall: Hall) -> None:
    class Broken(SiteService):
        def overview(self, today: date | None = None) -> list[SiteOverview]:
            raise ConnectionError("database unreachable")

    dlg = SitesDialog(Broken(hall.ctx), run_now, tz=hall.ctx.tz)
    qtbot.addWidget(dlg)
    dlg.show()
    assert "刷新失败" in dlg.status.text() and "database unreachable" in dlg.status.text()
    assert dlg.refresh_button.isEnabled() and dlg.model.rowCount() == 0


def test_loads_off_the_gui_thread_through_the_console_bridge(qtbot: Any, hall: Hall) -> None:
    from ui.bridge import Bridge

    threads: set[str] = set()

    class Watched(SiteService):
        def overview(self, today: date | None = None) -> list[SiteOverview]:
            threads.add(threading.current_thread().name)
            return super().overview(today)

        def readings(self, mn: str, hours: float = 6.0) -> list[tuple[datetime,
                                                                    dict[str, float]]]:
            threads.add(threading.current_thread().name)
            return super().readings(mn, hours)

    bridge = Bridge()
    dlg = SitesDialog(Watched(hall.ctx), bridge.run, tz=hall.ctx.tz)
    qtbot.addWidget(dlg)
    try:
        dlg.show()
        assert dlg.loading and not dlg.refresh_button.isEnabled()
        qtbot.waitUntil(lambda: dlg.model.rowCount() == 3)
        qtbot.waitUntil(lambda: points(dlg.chart.fume_curve) == len(A_VALUES))
        assert dlg.selected_mn() == EXCEEDING.mn
        assert threads and threading.current_thread().name not in threads
    finally:
        dlg.close()
        bridge.shutdown()


def test_fan_running_with_the_purifier_off_is_called_out(dialog: SitesDialog) -> None:
    """The monitor's last equipment states (HJ 212 SB1 fan, SB2 purifier) are in the details;
    a fan running while the purifier is off is the bypass an inspector looks for."""
    from ui.sites.loading import SiteDetail

    now = datetime.now(UTC)
    normal = SiteDetail("MN", [(now, {"a34041": 1.0, "fan": 1.0, "purifier": 1.0})], [], now)
    assert "风机 运行" in dialog._equipment_text(normal)
    assert "净化器 运行" in dialog._equipment_text(normal)
    assert "净化器停止" not in dialog._equipment_text(normal)
    bypass = SiteDetail("MN", [(now, {"a34041": 3.0, "fan": 1.0, "purifier": 0.0})], [], now)
    assert "风机运行但净化器停止" in dialog._equipment_text(bypass)
    silent = SiteDetail("MN", [(now, {"a34041": 1.0})], [], now)
    assert dialog._equipment_text(silent) == ""
