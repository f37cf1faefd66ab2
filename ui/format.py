"""Display formatting shared by the queue, the case panel and the status bar."""

from __future__ import annotations

from datetime import datetime, tzinfo

from commandcenter.domain.case import Deadline
from commandcenter.domain.sla import TimerLevel
from ui.map.markers import TimerState
from ui.qt import QT_TRANSLATE_NOOP, QColor, QCoreApplication


def _tr(text: str) -> str:
    return QCoreApplication.translate("format", text)


DEADLINE_NAMES = {
    "register": QT_TRANSLATE_NOOP("format", "立案"), "accept": QT_TRANSLATE_NOOP("format", "接单"),
    "arrive": QT_TRANSLATE_NOOP("format", "到场"), "resolve": QT_TRANSLATE_NOOP("format", "处置"),
    "check": QT_TRANSLATE_NOOP("format", "核查"),
}

# The map's timer colours, so a case reads the same in the queue, the panel and on the map.
LEVEL_COLOURS = {level: QColor(TimerState(level.value).colour) for level in TimerLevel}


SOURCE_NAMES = {
    "suishoupai": QT_TRANSLATE_NOOP("format", "随手拍"),
    "qrcode": QT_TRANSLATE_NOOP("format", "扫码反馈"),
    "oilfume": QT_TRANSLATE_NOOP("format", "油烟监测"),
    "camera": QT_TRANSLATE_NOOP("format", "视频监控"),
    "unit": QT_TRANSLATE_NOOP("format", "处置人员"),
    "load": QT_TRANSLATE_NOOP("format", "压力测试"),
}


def source_name(source: str) -> str:
    return _tr(SOURCE_NAMES[source]) if source in SOURCE_NAMES else source


def deadline_name(kind: str) -> str:
    return _tr(DEADLINE_NAMES[kind]) if kind in DEADLINE_NAMES else kind


def clock_text(seconds: float) -> str:
    seconds = int(abs(seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


def countdown_text(deadline: Deadline, now: datetime) -> str:
    """'到场 剩 12:34' before the deadline, '到场 超 03:10' after it."""
    remaining = (deadline.due - now).total_seconds()
    if remaining >= 0:
        text = QCoreApplication.translate("format", "{name} 剩 {time}")
    else:
        text = QCoreApplication.translate("format", "{name} 超 {time}")
    return text.format(name=deadline_name(deadline.kind), time=clock_text(remaining))


def local_time(at: datetime | None, tz: tzinfo, *, with_date: bool = False) -> str:
    if at is None:
        return ""
    local = at.astimezone(tz)
    return local.strftime("%m-%d %H:%M:%S" if with_date else "%H:%M:%S")
