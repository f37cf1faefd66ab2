"""`SiteListModel`: one row per monitored restaurant, updated in place by MN on each refresh.

The list is refreshed every 30 s while the dialog is open: rows change in place (`dataChanged`
over the rows that really changed), so the supervisor's selection, sort and scroll position
survive a refresh; only a changed registry inserts or removes rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import tzinfo
from enum import IntEnum
from typing import Any

from commandcenter.domain.alarm import AlarmPhase
from commandcenter.domain.site import CleaningStatus
from commandcenter.services.sites import SiteOverview
from ui.format import local_time
from ui.qt import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QBrush,
    QColor,
    QFont,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

Index = QModelIndex | QPersistentModelIndex

MN_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
FILTER_ROLE = Qt.ItemDataRole.UserRole + 3
ATTENTION_ROLE = Qt.ItemDataRole.UserRole + 4  # needs a look: alarm, offline, cleaning late

# The console's colours (the map's timer states), so red means the same thing everywhere.
RED = QColor("#c62828")
AMBER = QColor("#f9a825")
GREEN = QColor("#2e7d32")
GREY = QColor("#9e9e9e")
INK = QColor("#212121")
WHITE = QColor("#ffffff")
PALE_RED = QColor("#ffebee")


class Column(IntEnum):
    NAME, STREET, FUME, LIMIT, STATUS, COUNT, PEAK, LAST_SEEN, CLEANING, CONTACT = range(10)


_HEADERS = {
    Column.NAME: QT_TRANSLATE_NOOP("SiteListModel", "站点"),
    Column.STREET: QT_TRANSLATE_NOOP("SiteListModel", "街道"),
    Column.FUME: QT_TRANSLATE_NOOP("SiteListModel", "油烟"),
    Column.LIMIT: QT_TRANSLATE_NOOP("SiteListModel", "限值"),
    Column.STATUS: QT_TRANSLATE_NOOP("SiteListModel", "状态"),
    Column.COUNT: QT_TRANSLATE_NOOP("SiteListModel", "超标次数"),
    Column.PEAK: QT_TRANSLATE_NOOP("SiteListModel", "峰值"),
    Column.LAST_SEEN: QT_TRANSLATE_NOOP("SiteListModel", "最后数据"),
    Column.CLEANING: QT_TRANSLATE_NOOP("SiteListModel", "清洗"),
    Column.CONTACT: QT_TRANSLATE_NOOP("SiteListModel", "联系人"),
}
_HEADER_TIPS = {
    Column.FUME: QT_TRANSLATE_NOOP("SiteListModel", "最近一次油烟浓度（mg/m³）"),
    Column.LIMIT: QT_TRANSLATE_NOOP("SiteListModel", "本站排放限值（mg/m³）"),
    Column.COUNT: QT_TRANSLATE_NOOP("SiteListModel", "本次报警期间超标读数的次数"),
    Column.PEAK: QT_TRANSLATE_NOOP("SiteListModel", "本次超标的最高浓度（mg/m³）"),
}
_NUMERIC = frozenset({Column.FUME, Column.LIMIT, Column.COUNT, Column.PEAK})


class SiteStatus(IntEnum):
    """What the status column says, in the order a supervisor should look at it (sort key)."""

    ACTIVE = 0
    OFFLINE_IN_ALARM = 1  # fell silent during an alarm: a switched-off monitor looks like this
    PENDING = 2
    CLEARING = 3
    OFFLINE = 4
    NORMAL = 5


def site_status(row: SiteOverview) -> SiteStatus:
    phase = row.exceed.phase
    if row.offline:
        return SiteStatus.OFFLINE_IN_ALARM if row.alarm_active else SiteStatus.OFFLINE
    return {AlarmPhase.ACTIVE: SiteStatus.ACTIVE, AlarmPhase.CLEARING: SiteStatus.CLEARING,
            AlarmPhase.PENDING: SiteStatus.PENDING}.get(phase, SiteStatus.NORMAL)


_CLEANING_ORDER = {CleaningStatus.OVERDUE: 0, CleaningStatus.UNKNOWN: 1,
                   CleaningStatus.DUE_SOON: 2, CleaningStatus.OK: 3}


def needs_attention(row: SiteOverview) -> bool:
    return (site_status(row) is not SiteStatus.NORMAL
            or row.cleaning in (CleaningStatus.OVERDUE, CleaningStatus.UNKNOWN))


class SiteListModel(QAbstractTableModel):
    """Thin: the rows are the service's `SiteOverview`s; all wording and colour is here."""

    def __init__(self, tz: tzinfo, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tz = tz
        self._rows: list[SiteOverview] = []
        self._row_of: dict[str, int] = {}

    # --- updates ---------------------------------------------------------------------------
    def set_sites(self, sites: Iterable[SiteOverview]) -> None:
        """Apply a fresh overview: changed rows in place, then removals, then one insert."""
        fresh = {s.site.mn: s for s in sites}
        last = len(Column) - 1
        for row, old in enumerate(self._rows):
            new = fresh.get(old.site.mn)
            if new is not None and new != old:
                self._rows[row] = new
                self.dataChanged.emit(self.index(row, 0), self.index(row, last))
        gone = [row for row, old in enumerate(self._rows) if old.site.mn not in fresh]
        for row in reversed(gone):  # few: a registry change, never a refresh
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()
        if gone:
            self._row_of = {s.site.mn: i for i, s in enumerate(self._rows)}
        new_rows = [s for mn, s in fresh.items() if mn not in self._row_of]
        if new_rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(new_rows) - 1)
            for s in new_rows:
                self._row_of[s.site.mn] = len(self._rows)
                self._rows.append(s)
            self.endInsertRows()

    def site(self, mn: str) -> SiteOverview | None:
        row = self._row_of.get(mn)
        return self._rows[row] if row is not None else None

    def sites(self) -> list[SiteOverview]:
        return list(self._rows)

    def row_of(self, mn: str) -> int | None:
        return self._row_of.get(mn)

    # --- Qt model interface ----------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        column = Column(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return self.tr(_HEADERS[column])
        if role == Qt.ItemDataRole.ToolTipRole and column in _HEADER_TIPS:
            return self.tr(_HEADER_TIPS[column])
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._background(row, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(row, column)
        if role == Qt.ItemDataRole.FontRole:
            return self._font(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column in _NUMERIC:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if column in (Column.STATUS, Column.CLEANING):
                return int(Qt.AlignmentFlag.AlignCenter)
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == MN_ROLE:
            return row.site.mn
        if role == SORT_ROLE:
            return self._sort_key(row, column)
        if role == FILTER_ROLE:
            s = row.site
            return " ".join(filter(None, (s.name, s.mn, s.street, s.address, s.contact, s.phone,
                                          self._display(row, Column.STATUS),
                                          self._display(row, Column.CLEANING))))
        if role == ATTENTION_ROLE:
            return needs_attention(row)
        return None

    # --- wording and colour ----------------------------------------------------------------
    def status_text(self, status: SiteStatus) -> str:
        return {
            SiteStatus.ACTIVE: self.tr("超标报警"),
            SiteStatus.OFFLINE_IN_ALARM: self.tr("离线·超标未恢复"),
            SiteStatus.PENDING: self.tr("超标待确认"),
            SiteStatus.CLEARING: self.tr("恢复中"),
            SiteStatus.OFFLINE: self.tr("离线"),
            SiteStatus.NORMAL: self.tr("正常"),
        }[status]

    def cleaning_text(self, row: SiteOverview) -> str:
        if row.cleaning is CleaningStatus.OK and row.last_cleaning is not None:
            return self.tr("已清洗 {date}").format(
                date=row.last_cleaning.cleaned_on.strftime("%m-%d"))
        return {CleaningStatus.DUE_SOON: self.tr("一周内到期"),
                CleaningStatus.OVERDUE: self.tr("已逾期"),
                CleaningStatus.UNKNOWN: self.tr("无记录")}.get(row.cleaning, "")

    def _display(self, row: SiteOverview, column: Column) -> str:
        site, exceed = row.site, row.exceed
        if column is Column.NAME:
            return site.name
        if column is Column.STREET:
            return site.street or ""
        if column is Column.FUME:
            return "—" if exceed.last_value is None else f"{exceed.last_value:.2f}"
        if column is Column.LIMIT:
            return f"{site.limit:.1f}"
        if column is Column.STATUS:
            return self.status_text(site_status(row))
        if column is Column.COUNT:
            return str(exceed.count) if exceed.count else ""
        if column is Column.PEAK:
            return "" if exceed.peak is None else f"{exceed.peak:.2f}"
        if column is Column.LAST_SEEN:
            return local_time(exceed.last_seen, self._tz, with_date=True) or self.tr("无数据")
        if column is Column.CLEANING:
            return self.cleaning_text(row)
        return site.contact or ""

    def _background(self, row: SiteOverview, column: Column) -> QBrush | None:
        if column is Column.STATUS:
            colour = {SiteStatus.ACTIVE: RED, SiteStatus.OFFLINE_IN_ALARM: RED,
                      SiteStatus.PENDING: AMBER, SiteStatus.CLEARING: PALE_RED,
                      SiteStatus.OFFLINE: GREY}.get(site_status(row))
            return QBrush(colour) if colour is not None else None
        if column is Column.CLEANING:
            colour = {CleaningStatus.OVERDUE: RED, CleaningStatus.UNKNOWN: RED,
                      CleaningStatus.DUE_SOON: AMBER}.get(row.cleaning)
            return QBrush(colour) if colour is not None else None
        return None

    def _foreground(self, row: SiteOverview, column: Column) -> QBrush | None:
        status = site_status(row)
        if column is Column.STATUS:
            colour = {SiteStatus.ACTIVE: WHITE, SiteStatus.OFFLINE_IN_ALARM: WHITE,
                      SiteStatus.PENDING: INK, SiteStatus.CLEARING: RED,
                      SiteStatus.OFFLINE: WHITE, SiteStatus.NORMAL: GREEN}[status]
            return QBrush(colour)
        if column is Column.CLEANING:
            colour = {CleaningStatus.OVERDUE: WHITE, CleaningStatus.UNKNOWN: WHITE,
                      CleaningStatus.DUE_SOON: INK}.get(row.cleaning, GREEN)
            return QBrush(colour)
        if row.offline:  # stale numbers read as stale
            return QBrush(GREY)
        value = row.exceed.last_value
        if column is Column.FUME and value is not None and value > row.site.limit:
            return QBrush(RED)
        return None

    def _font(self, row: SiteOverview, column: Column) -> QFont | None:
        bold = (column is Column.STATUS and site_status(row) is not SiteStatus.NORMAL) or (
            column is Column.FUME and row.exceed.last_value is not None
            and row.exceed.last_value > row.site.limit and not row.offline)
        if bold:
            font = QFont()
            font.setBold(bold)
            return font
        return None

    def _tooltip(self, row: SiteOverview, column: Column) -> str | None:
        site, exceed = row.site, row.exceed
        if column is Column.NAME:
            return self.tr("{name}\n监测点 MN {mn}\n{address}").format(
                name=site.name, mn=site.mn, address=site.address or "")
        if column is Column.STATUS and exceed.raised_at is not None:
            return self.tr("{raised} 起报警").format(
                raised=local_time(exceed.raised_at, self._tz, with_date=True))
        if column is Column.STATUS and exceed.phase is AlarmPhase.PENDING and exceed.since:
            return self.tr("{since} 起超标，未到报警所需的持续时间").format(
                since=local_time(exceed.since, self._tz, with_date=True))
        if column is Column.CLEANING:
            last = row.last_cleaning
            if last is None:
                return self.tr("没有净化器清洗记录")
            return self.tr("上次清洗 {on}（{by}），下次应于 {due} 前清洗").format(
                on=last.cleaned_on.isoformat(), by=last.by, due=last.next_due.isoformat())
        if column is Column.CONTACT and site.phone:
            return site.phone
        return None

    def _sort_key(self, row: SiteOverview, column: Column) -> Any:
        exceed = row.exceed
        if column is Column.FUME:
            return -1.0 if exceed.last_value is None else exceed.last_value
        if column is Column.LIMIT:
            return row.site.limit
        if column is Column.STATUS:
            return int(site_status(row))
        if column is Column.COUNT:
            return exceed.count
        if column is Column.PEAK:
            return -1.0 if exceed.peak is None else exceed.peak
        if column is Column.LAST_SEEN:
            return exceed.last_seen.timestamp() if exceed.last_seen else 0.0
        if column is Column.CLEANING:
            due = row.last_cleaning.next_due.toordinal() if row.last_cleaning else 0
            return _CLEANING_ORDER[row.cleaning] * 1_000_000 + due
        return self._display(row, column)


class SiteFilterProxy(QSortFilterProxyModel):
    """Sorts on `SORT_ROLE`, filters on the site's text and, optionally, on "needs a look"."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._attention_only = False
        self.setSortRole(SORT_ROLE)
        self.setFilterRole(FILTER_ROLE)
        self.setFilterKeyColumn(Column.NAME)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setDynamicSortFilter(True)

    def set_attention_only(self, on: bool) -> None:
        if on != self._attention_only:
            self.beginFilterChange()
            self._attention_only = on
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if self._attention_only:
            index = self.sourceModel().index(source_row, 0, source_parent)
            if not index.data(ATTENTION_ROLE):
                return False
        return super().filterAcceptsRow(source_row, source_parent)
