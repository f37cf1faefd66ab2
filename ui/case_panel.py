"""The right-hand panel: the selected case, its timers, its signals and its history."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import datetime, tzinfo

from commandcenter.domain.case import Action, Case, CaseState
from commandcenter.domain.catalog import Catalog
from commandcenter.domain.dispatch import Recommendation
from commandcenter.domain.sla import TimerLevel, timer_level
from commandcenter.services.cases import CaseDetail
from ui.case_actions import CaseActionSet
from ui.format import LEVEL_COLOURS, countdown_text, deadline_name, local_time, source_name
from ui.i18n import ui_language
from ui.names import action_name, priority_name, state_name, unit_status_name
from ui.qt import (
    QT_TRANSLATE_NOOP,
    QDesktopServices,
    QFormLayout,
    QFrame,
    QGridLayout,
    QLabel,
    Qt,
    QTabWidget,
    QTextBrowser,
    QToolButton,
    QUrl,
    QVBoxLayout,
    QWidget,
    Signal,
)

_FIELDS = (
    ("state", QT_TRANSLATE_NOOP("CasePanel", "状态：")),
    ("category", QT_TRANSLATE_NOOP("CasePanel", "类别：")),
    ("priority", QT_TRANSLATE_NOOP("CasePanel", "优先级：")),
    ("address", QT_TRANSLATE_NOOP("CasePanel", "地址：")),
    ("street", QT_TRANSLATE_NOOP("CasePanel", "街道：")),
    ("assignee", QT_TRANSLATE_NOOP("CasePanel", "处置人：")),
    ("reported", QT_TRANSLATE_NOOP("CasePanel", "上报时间：")),
    ("deadlines", QT_TRANSLATE_NOOP("CasePanel", "时限：")),
)


class CasePanel(QWidget):
    splitRequested = Signal(int)  # an event id: make this signal a case of its own again

    def __init__(self, catalog: Catalog, tz: tzinfo, clock: Callable[[], datetime],
                 actions: CaseActionSet, actor_name: Callable[[str], str] = lambda a: a,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._catalog, self._tz, self._clock = catalog, tz, clock
        self._actor_name = actor_name
        self._case: Case | None = None
        self.setMinimumWidth(340)

        self._title = QLabel(self.tr("未选择案件"))
        self._title.setObjectName("caseTitle")
        self._title.setWordWrap(True)
        self._subtitle = QLabel(self.tr("在左侧队列或地图上选择一个案件"))
        self._subtitle.setObjectName("caseSubtitle")
        self._subtitle.setWordWrap(True)
        self._timer = QLabel()
        self._timer.setObjectName("caseTimer")
        self._timer.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._timer.setMinimumHeight(40)
        self._duplicate = QLabel()
        self._duplicate.setObjectName("caseDuplicate")
        self._duplicate.setWordWrap(True)
        self._duplicate.setStyleSheet("background:#fff3cd; color:#5d4200; border:1px solid "
                                      "#f9a825; border-radius:4px; padding:4px;")
        self._duplicate.hide()
        self._recommend = QLabel()
        self._recommend.setObjectName("caseRecommend")
        self._recommend.setWordWrap(True)
        self._recommend.setTextFormat(Qt.TextFormat.RichText)
        self._recommend.hide()

        fields = QFormLayout()
        fields.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self._fields: dict[str, QLabel] = {}
        for key, label in _FIELDS:
            value = QLabel()
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self._fields[key] = value
            fields.addRow(self.tr(label), value)

        buttons = QGridLayout()
        buttons.setSpacing(4)
        order = [Action.REGISTER, Action.DISPATCH, Action.CHECK, Action.CLOSE, Action.ARRIVE,
                 Action.HANDLE, Action.CANCEL, Action.SUSPEND, Action.RESUME, Action.RETURN,
                 Action.REWORK]
        for i, action in enumerate(order):
            button = QToolButton()
            button.setDefaultAction(actions.actions[action])
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setSizePolicy(button.sizePolicy().horizontalPolicy().Expanding,
                                 button.sizePolicy().verticalPolicy())
            buttons.addWidget(button, i // 4, i % 4)

        self._signals = QTextBrowser()
        self._signals.setOpenLinks(False)  # split links are ours; photos open outside
        self._signals.anchorClicked.connect(self._on_signal_link)
        self._history = QTextBrowser()
        tabs = QTabWidget()
        tabs.addTab(self._signals, self.tr("信号"))
        tabs.addTab(self._history, self.tr("处理记录"))
        self._tabs = tabs

        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        layout = QVBoxLayout(self)
        layout.addWidget(self._title)
        layout.addWidget(self._subtitle)
        layout.addWidget(self._timer)
        layout.addWidget(self._duplicate)
        layout.addLayout(fields)
        layout.addLayout(buttons)
        layout.addWidget(self._recommend)
        layout.addWidget(line)
        layout.addWidget(tabs, 1)
        self.show_case(None)

    def case(self) -> Case | None:
        return self._case

    def set_recommendations(self, recommendations: list[Recommendation]) -> None:
        """The nearest available officers for a case waiting to be dispatched."""
        case = self._case
        if case is None or case.state not in (CaseState.REPORTED, CaseState.REGISTERED) \
                or not recommendations:
            self._recommend.hide()
            return
        rows = []
        for i, rec in enumerate(recommendations, 1):
            where = (self.tr("{km:.1f} 公里").format(km=rec.distance_m / 1000)
                     if rec.distance_m is not None else self.tr("位置未知"))
            colour = "#2e7d32" if rec.available else "#9e9e9e"
            rows.append(f"{i}. <span style='color:{colour}'>●</span> "
                        f"{html.escape(rec.unit.name)}　{html.escape(rec.unit.squad or '')}　"
                        f"{unit_status_name(rec.unit.status)}　{where}")
        heading = self.tr("推荐处置人员（F3 派遣）")
        self._recommend.setText(f"<b>{heading}</b><br>" + "<br>".join(rows))
        self._recommend.show()

    def _on_signal_link(self, url: QUrl) -> None:
        if url.scheme() == "split":
            self.splitRequested.emit(int(url.path() or url.host() or 0))
        else:
            QDesktopServices.openUrl(url)

    def _show_duplicate(self, case: Case) -> None:
        if case.state is CaseState.REPORTED and case.duplicate_of and case.duplicate_note:
            self._duplicate.setText(self.tr("⚠ {note}。按 F7 合并到该案件。")
                                    .format(note=html.escape(case.duplicate_note)))
            self._duplicate.show()
        elif case.merged_into and case.cancel_reason:
            self._duplicate.setText(self.tr("已{reason}").format(
                reason=html.escape(case.cancel_reason)))
            self._duplicate.show()
        else:
            self._duplicate.hide()

    def show_case(self, case: Case | None) -> None:
        """Show the snapshot at once; details (signals, history) follow via `show_detail`."""
        changed_case = (case is None or self._case is None or case.id != self._case.id)
        self._case = case
        if case is None:
            self._title.setText(self.tr("未选择案件"))
            self._subtitle.setText(self.tr("在左侧队列或地图上选择一个案件"))
            for value in self._fields.values():
                value.clear()
            self._signals.clear()
            self._history.clear()
            self._timer.hide()
            self._duplicate.hide()
            return
        self._show_duplicate(case)
        self._title.setText(f"{case.number}　{html.escape(case.title)}")
        category = self._catalog.name(case.category, ui_language())
        self._subtitle.setText(category)
        f = self._fields
        f["state"].setText(state_name(case.state))
        f["category"].setText(self.tr("{name}（{code}）").format(name=category,
                                                                code=case.category))
        f["priority"].setText(priority_name(case.priority))
        f["address"].setText(case.location.address or "" if case.location else "")
        f["street"].setText(case.street or self.tr("辖区外"))
        f["assignee"].setText(case.assignee_name or self.tr("未派遣"))
        f["reported"].setText(local_time(case.reported_at, self._tz, with_date=True))
        if changed_case:
            self._signals.setHtml(self.tr("<i>加载中…</i>"))
            self._history.clear()
        self.tick()

    def show_detail(self, detail: CaseDetail) -> None:
        if self._case is None or detail.case.id != self._case.id:
            return  # the dispatcher has moved on
        self._signals.setHtml(self._signals_html(detail))
        self._history.setHtml(self._history_html(detail))

    def tick(self) -> None:
        case = self._case
        if case is None:
            return
        now = self._clock()
        nd = case.next_deadline()
        if nd is None:
            self._timer.hide()
        else:
            level = timer_level(case, now)
            colour = LEVEL_COLOURS[level]
            fg = "#212121" if level is TimerLevel.WARN else "#ffffff"
            self._timer.setStyleSheet(
                f"background:{colour.name()}; color:{fg}; border-radius:4px;"
                "font-size:20px; font-weight:bold; padding:4px;")
            self._timer.setText(countdown_text(nd, now))
            self._timer.show()
        lines = []
        for d in sorted(case.deadlines.values(), key=lambda d: d.due):
            name = deadline_name(d.kind)
            if d.met_at is not None:
                line = self.tr("✓ {name} {time}（超时）") if d.met_at > d.due \
                    else self.tr("✓ {name} {time}")
                lines.append(line.format(name=name, time=local_time(d.met_at, self._tz)))
            else:
                lines.append(self.tr("• {name} 限 {time}").format(
                    name=name, time=local_time(d.due, self._tz)))
        self._fields["deadlines"].setText("\n".join(lines))

    def _signals_html(self, detail: CaseDetail) -> str:
        parts = []
        for record in detail.events:
            event = record.event
            source = source_name(event.source)
            photo = self.tr("图片{n}")
            media = " ".join(f'<a href="{html.escape(u)}">{photo.format(n=i + 1)}</a>'
                             for i, u in enumerate(event.media))
            split_text = self.tr("拆分为新案件")
            split = (f'　<a href="split:{record.id}">{split_text}</a>'
                     if len(detail.events) > 1 else "")
            reporter = "　" + self.tr("上报人：{name}").format(name=html.escape(event.reporter)) \
                if event.reporter else ""
            parts.append(
                f"<p><b>{html.escape(source)}</b>　{local_time(event.occurred_at, self._tz)}"
                f"{reporter}<br>{html.escape(event.title)}"
                f"<br><span style='color:#555'>{html.escape(event.description)}</span>"
                f"{'<br>' + media if media else ''}{split}</p>")
        return "".join(parts) or self.tr("<i>无信号</i>")

    def _history_html(self, detail: CaseDetail) -> str:
        rows = []
        for entry in detail.timeline:
            who = self._actor_name(entry.actor)
            what = action_name(entry.action)
            by = html.escape(who)
            if entry.note:
                by = self.tr("{who}：{note}").format(who=by, note=html.escape(entry.note))
            rows.append(f"<tr><td>{local_time(entry.at, self._tz)}</td><td><b>{what}</b></td>"
                        f"<td>{by}</td></tr>")
        return f"<table cellspacing='4'>{''.join(rows)}</table>"
