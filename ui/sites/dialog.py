"""油烟监测站点: the supervisor's list of monitored restaurants, one site's curve, its cleanings.

Non-modal, refreshed every 30 s while visible. The dialog never touches the database on the GUI
thread: every load and the cleaning registration run through `run(job, on_done)` (the console's
`Bridge.run`), and a failure comes back as a message instead of an exception.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import UTC, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from commandcenter.domain.site import Cleaning, CleaningStatus
from commandcenter.services.sites import SiteOverview, SiteService
from ui.format import local_time
from ui.qt import (
    QT_TRANSLATE_NOOP,
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QHideEvent,
    QKeySequence,
    QLabel,
    QLineEdit,
    QMessageBox,
    QModelIndex,
    QPushButton,
    QShortcut,
    QShowEvent,
    QSplitter,
    Qt,
    QTableView,
    QTimer,
    QVBoxLayout,
    QWidget,
)
from ui.sites.badge import BadgeDelegate
from ui.sites.chart import ReadingsChart
from ui.sites.cleaning_form import CleaningForm
from ui.sites.loading import Failed, SiteDetail, SitesSnapshot, load_detail, load_snapshot, safely
from ui.sites.model import MN_ROLE, Column, SiteFilterProxy, SiteListModel, SiteStatus, site_status

Run = Callable[[Callable[[], Any], Callable[[Any], None]], object]

REFRESH_MS = 30_000
MIN_WIDTHS = {Column.NAME: 150, Column.STREET: 90, Column.FUME: 60, Column.LIMIT: 52,
              Column.STATUS: 120, Column.COUNT: 70, Column.PEAK: 60, Column.LAST_SEEN: 120,
              Column.CLEANING: 108}

# HJ 212 equipment run states (RS), as the site list names them.
_EQUIPMENT_STATES = {
    0: QT_TRANSLATE_NOOP("SitesDialog", "停止"), 1: QT_TRANSLATE_NOOP("SitesDialog", "运行"),
    2: QT_TRANSLATE_NOOP("SitesDialog", "校准"), 3: QT_TRANSLATE_NOOP("SitesDialog", "维护"),
    4: QT_TRANSLATE_NOOP("SitesDialog", "报警"), 5: QT_TRANSLATE_NOOP("SitesDialog", "反吹"),
}


class SitesDialog(QDialog):
    def __init__(self, service: SiteService, run: Run, *, tz: tzinfo | None = None,
                 hours: float = 6.0, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service, self._run = service, run
        self._tz = tz or ZoneInfo("Asia/Shanghai")
        self.hours = hours
        self.loading = False
        self._again = False  # a refresh was asked for while one was running
        self._now: datetime | None = None
        self._detail: SiteDetail | None = None
        self._detail_seq = 0
        self._note = ""  # what the last action did, kept in the status line over one refresh
        self._wanted: str | None = None  # a site to show once the list has loaded
        self.cleaning_form: CleaningForm | None = None
        self.setWindowTitle(self.tr("油烟监测站点"))
        self.setModal(False)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)

        self.model = SiteListModel(self._tz, self)
        self.proxy = SiteFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        # --- top: filter, summary, actions
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(self.tr("站点、街道、地址、联系人…"))
        self.filter.setClearButtonEnabled(True)
        self.filter.setMinimumWidth(220)
        self.filter.textChanged.connect(self._on_filter)
        self.filter.returnPressed.connect(self._focus_table)
        filter_label = QLabel(self.tr("筛选(&F)："))
        filter_label.setBuddy(self.filter)
        self.attention = QCheckBox(self.tr("只看异常(&A)"))
        self.attention.setToolTip(self.tr("只显示超标、离线或清洗逾期/无记录的站点"))
        self.attention.toggled.connect(self._on_attention)
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.register_button = QPushButton(self.tr("登记清洗(&C)…"))
        self.register_button.setToolTip(self.tr("为选中的站点登记一次净化器清洗"))
        self.register_button.clicked.connect(self.register_cleaning)
        self.refresh_button = QPushButton(self.tr("刷新 (F5)"))
        self.refresh_button.setShortcut(QKeySequence("F5"))
        self.refresh_button.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(filter_label)
        top.addWidget(self.filter)
        top.addWidget(self.attention)
        top.addSpacing(12)
        top.addWidget(self.summary, 1)
        top.addWidget(self.register_button)
        top.addWidget(self.refresh_button)

        # --- the table
        self.table = QTableView()
        self.table.setObjectName("siteTable")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Column.STATUS, Qt.SortOrder.AscendingOrder)  # worst first
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        for column, width in MIN_WIDTHS.items():
            self.table.setColumnWidth(column, width)
        self._fitted = False  # columns fit their text once, at the first load
        header.setSectionResizeMode(Column.CONTACT, QHeaderView.ResizeMode.Stretch)
        self.badges = BadgeDelegate(self.table)
        for column in (Column.STATUS, Column.CLEANING):
            self.table.setItemDelegateForColumn(column, self.badges)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)

        # --- below: the selected site
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.chart = ReadingsChart(self._tz, hours=hours)
        self.chart.setMinimumHeight(240)
        pane = QWidget()
        pane_layout = QVBoxLayout(pane)
        pane_layout.setContentsMargins(0, 4, 0, 0)
        pane_layout.addWidget(self.details)
        pane_layout.addWidget(self.chart, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(pane)
        splitter.setChildrenCollapsible(False)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 360])

        # --- bottom: what the list is and when it was loaded; close
        self.status = QLabel()
        self.status.setStyleSheet("color: #616161;")
        self.close_button = QPushButton(self.tr("关闭"))
        self.close_button.clicked.connect(self.reject)  # as Esc does
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.close_button)
        for button in (self.register_button, self.refresh_button, self.close_button):
            button.setAutoDefault(False)  # Enter in the table or filter must not press them

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)

        QShortcut(QKeySequence.StandardKey.Find, self, activated=self._focus_filter)
        for first, second in ((self.filter, self.attention), (self.attention, self.table),
                              (self.table, self.register_button),
                              (self.register_button, self.refresh_button),
                              (self.refresh_button, self.close_button)):
            QWidget.setTabOrder(first, second)

        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.resize(1100, 700)
        self._show_site(None)
        self.table.setFocus()

    # --- showing and loading ---------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.timer.start()
        self.refresh()  # reopening shows the present, not what was there when it closed

    def hideEvent(self, event: QHideEvent) -> None:
        self.timer.stop()  # nobody is looking: no load every 30 s
        super().hideEvent(event)

    def done(self, result: int) -> None:
        """Closing (Esc, 关闭, the window's ×) also drops a half-filled cleaning form, which
        would otherwise stay on screen without its dialog."""
        if self.cleaning_form is not None and self.cleaning_form.isVisible():
            self.cleaning_form.reject()
        super().done(result)

    def selected_mn(self) -> str | None:
        index = self.table.currentIndex()
        return index.data(MN_ROLE) if index.isValid() else None

    def select_site(self, mn: str) -> None:
        """Show this site (a click on its square on the map); while loading, once loaded."""
        self._wanted = mn
        if not self.loading:
            self._select_wanted()

    def _select_wanted(self) -> bool:
        mn, self._wanted = self._wanted, None
        row = self.model.row_of(mn) if mn else None
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():  # filtered out: show the whole list rather than nothing
            self.filter.clear()
            self.attention.setChecked(False)
            index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.selectRow(index.row())
        self.table.scrollTo(index)
        return True

    def refresh(self) -> None:
        if self.loading:
            self._again = True
            return
        self.loading = True
        self.refresh_button.setEnabled(False)
        self.status.setText(self.tr("正在刷新…"))
        service, mn, hours = self._service, self.selected_mn(), self.hours
        self._run(lambda: safely(lambda: load_snapshot(service, mn, hours)), self._on_loaded)

    def _on_loaded(self, result: SitesSnapshot | Failed) -> None:
        self.loading = False
        self.refresh_button.setEnabled(True)
        if isinstance(result, Failed):
            self._set_status(self.tr("刷新失败：{error}").format(error=result.message), error=True)
        else:
            self._now = result.now
            self.model.set_sites(result.sites)
            if not self._fitted and result.sites:
                self._fit_columns()
            self._update_summary()
            loaded = self.tr("更新于 {time}，每 {n} 秒自动刷新").format(
                time=local_time(result.now, self._tz), n=REFRESH_MS // 1000)
            self._set_status(f"{self._note}　·　{loaded}" if self._note else loaded)
            self._note = ""
            mn = self.selected_mn()
            if self._wanted is not None and self._select_wanted():
                pass  # its currentRowChanged loads the site
            elif mn is None:
                self._select_first()
            elif result.detail is not None and result.detail.mn == mn:
                self._show_detail(result.detail)
            else:
                self._show_site(mn)
        if self._again:
            self._again = False
            self.refresh()

    def _load_detail(self, mn: str) -> None:
        self._detail_seq += 1
        seq, service, hours = self._detail_seq, self._service, self.hours

        def done(result: SiteDetail | Failed) -> None:
            if seq != self._detail_seq or mn != self.selected_mn():
                return  # the supervisor has moved on
            if isinstance(result, Failed):
                self._set_status(self.tr("加载站点数据失败：{error}").format(
                    error=result.message), error=True)
                return
            self._show_detail(result)

        self._run(lambda: safely(lambda: load_detail(service, mn, hours)), done)

    # --- selection and the detail pane -----------------------------------------------------
    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        mn = current.data(MN_ROLE) if current.isValid() else None
        if mn == (self._detail.mn if self._detail else None):
            return  # the same site moved in the sort: nothing to reload
        self._detail = None
        self._show_site(mn)
        if mn is not None:
            self._load_detail(mn)

    def _show_detail(self, detail: SiteDetail) -> None:
        self._detail = detail
        self._show_site(detail.mn)

    def _show_site(self, mn: str | None) -> None:
        row = self.model.site(mn) if mn else None
        self.register_button.setEnabled(row is not None)
        if row is None:
            self._detail = None
            self.details.setText(self.tr("选择一个站点查看详情") if self.model.rowCount()
                                 else self.tr("没有登记的油烟监测站点"))
            self.chart.set_title("")
            self.chart.clear_readings(self.tr("选择站点查看近 {hours:g} 小时监测曲线").format(
                hours=self.hours))
            return
        detail = self._detail if self._detail and self._detail.mn == mn else None
        self.details.setText(self._details_html(row, detail))
        title = self.tr("{name} · 近 {hours:g} 小时").format(name=html.escape(row.site.name),
                                                         hours=self.hours)
        if row.offline and row.exceed.last_seen is not None:
            title += self.tr("　<span style='color:#757575'>离线：{time} 后无数据</span>").format(
                time=local_time(row.exceed.last_seen, self._tz))
        self.chart.set_title(title)
        if detail is None:
            self.chart.clear_readings(self.tr("正在加载…"))
        else:
            self.chart.set_readings(detail.readings, row.site.limit, detail.now)

    def _details_html(self, row: SiteOverview, detail: SiteDetail | None) -> str:
        site = row.site
        esc = html.escape
        place = esc(site.address or self.tr("地址未登记"))
        if site.street:
            place += self.tr("（{street}）").format(street=esc(site.street))
        contact = "　".join(esc(x) for x in (site.contact, site.phone) if x) \
            or self.tr("未登记")
        first = self.tr("<b>{name}</b>　{place}　·　联系人 {contact}　·　MN {mn}").format(
            name=esc(site.name), place=place, contact=contact, mn=esc(site.mn))
        if detail is None:
            records = "…"
        elif not detail.history:
            none = self.tr("无记录")
            records = f"<span style='color:#c62828'>{none}</span>"
        else:
            records = self.tr("；").join(self._record_text(c) for c in detail.history)
        second = self.tr("清洗记录：{records}").format(records=records)
        equipment = self._equipment_text(detail)
        return f"{first}<br>{equipment}{second}" if equipment else f"{first}<br>{second}"

    def _equipment_text(self, detail: SiteDetail | None) -> str:
        """The fan and purifier as the monitor last reported them (HJ 212 SB1/SB2 RS codes):
        a fan running with the purifier off is the bypass an inspector looks for."""
        if detail is None or not detail.readings:
            return ""
        latest = detail.readings[-1][1]
        parts = []
        for key, label in (("fan", self.tr("风机")), ("purifier", self.tr("净化器"))):
            if key in latest:
                state = _EQUIPMENT_STATES.get(int(latest[key]), self.tr("未知"))
                parts.append(f"{label} {self.tr(state)}")
        if not parts:
            return ""
        bypass = latest.get("fan") == 1 and latest.get("purifier") == 0
        text = self.tr("设备：{states}").format(states="　".join(parts))
        if bypass:
            warn = self.tr("（风机运行但净化器停止）")
            text += f" <span style='color:#c62828'><b>{warn}</b></span>"
        return text + "<br>"

    def _record_text(self, c: Cleaning) -> str:
        values = {"on": c.cleaned_on.strftime("%m-%d"), "by": html.escape(c.by),
                  "due": c.next_due.strftime("%m-%d")}
        if c.note:
            return self.tr("{on} {by}（下次 {due}），{note}").format(
                note=html.escape(c.note), **values)
        return self.tr("{on} {by}（下次 {due}）").format(**values)

    def _update_summary(self) -> None:
        rows = self.model.sites()
        statuses = [site_status(r) for r in rows]
        alarm = sum(s in (SiteStatus.ACTIVE, SiteStatus.OFFLINE_IN_ALARM, SiteStatus.CLEARING)
                    for s in statuses)
        offline = sum(r.offline for r in rows)
        pending = statuses.count(SiteStatus.PENDING)
        late = sum(r.cleaning in (CleaningStatus.OVERDUE, CleaningStatus.UNKNOWN) for r in rows)

        def count(n: int, colour: str) -> str:
            return f"<b style='color:{colour if n else '#2e7d32'}'>{n}</b>"

        self.summary.setText(self.tr(
            "共 {total} 个站点　·　超标报警 {alarm}　待确认 {pending}　离线 {offline}　·　"
            "清洗逾期/无记录 {late}").format(
                total=len(rows), alarm=count(alarm, "#c62828"),
                pending=count(pending, "#e65100"), offline=count(offline, "#757575"),
                late=count(late, "#c62828")))

    def _fit_columns(self) -> None:
        """Wide enough for the longest text (and header) in this language, never narrower than
        the layout's minimum; the contact column takes the rest."""
        self._fitted = True
        for column, width in MIN_WIDTHS.items():
            self.table.resizeColumnToContents(column)
            self.table.setColumnWidth(column, max(width, self.table.columnWidth(column) + 8))

    def _set_status(self, text: str, *, error: bool = False) -> None:
        self.status.setStyleSheet("color: #c62828; font-weight: bold;" if error
                                  else "color: #616161;")
        self.status.setText(text)

    # --- filtering and keyboard ------------------------------------------------------------
    def _on_filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        self._after_filter()

    def _on_attention(self, on: bool) -> None:
        self.proxy.set_attention_only(on)
        self._after_filter()

    def _after_filter(self) -> None:
        if not self.table.currentIndex().isValid():
            self._select_first()

    def _select_first(self) -> None:
        if self.proxy.rowCount():
            self.table.selectRow(0)  # its currentRowChanged loads the site
        else:
            self._show_site(None)

    def _focus_table(self) -> None:
        self.table.setFocus()
        if not self.table.currentIndex().isValid():
            self._select_first()

    def _focus_filter(self) -> None:
        self.filter.setFocus()
        self.filter.selectAll()

    # --- 登记清洗 ---------------------------------------------------------------------------
    def register_cleaning(self) -> None:
        mn = self.selected_mn()
        row = self.model.site(mn) if mn else None
        if row is None:
            return
        today = (self._now or datetime.now(UTC)).astimezone(self._tz).date()
        by = row.last_cleaning.by if row.last_cleaning else ""
        if self.cleaning_form is not None:
            self.cleaning_form.deleteLater()
        form = self.cleaning_form = CleaningForm(row.site, today, by=by, parent=self)
        form.accepted.connect(lambda: self._submit(form.cleaning(), row.site.name))
        form.open()  # modal to this dialog only: the main window stays usable

    def _submit(self, cleaning: Cleaning, name: str) -> None:
        self._set_status(self.tr("正在登记清洗记录…"))
        service = self._service

        def job() -> Cleaning:
            service.record_cleaning(cleaning)
            return cleaning

        def done(result: Cleaning | Failed) -> None:
            if isinstance(result, Failed):
                message = self.tr("登记失败：{error}").format(error=result.message)
                self._set_status(message, error=True)
                box = QMessageBox(QMessageBox.Icon.Warning, self.tr("登记清洗"), message,
                                  QMessageBox.StandardButton.Ok, self)
                box.open()
                return
            self._note = self.tr("已登记 {name} {on} 的清洗记录").format(
                name=name, on=result.cleaned_on.strftime("%m-%d"))
            self._set_status(self._note)
            if self._detail is not None and self._detail.mn == result.site_mn:
                self._detail = None  # the history below the table changed too
            self.refresh()

        self._run(lambda: safely(job), done)
