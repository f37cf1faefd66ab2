"""Display names of the domain's codes (case states, actions, unit statuses, priorities, quarantine
reasons) in the UI language.

The core keeps its Chinese names (`state_name_zh`, …) and never imports Qt; these tables repeat
them as Qt translation sources, so lupdate extracts them and the English catalogue translates them.
tests/ui/test_i18n.py checks that the two stay the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from commandcenter.domain.case import Action, CaseState
from commandcenter.domain.unit import UnitStatus
from commandcenter.services.quarantine import reason_name_zh
from ui.qt import QT_TRANSLATE_NOOP, QCoreApplication

CONTEXT = "Names"

STATE_NAMES = {
    CaseState.REPORTED: QT_TRANSLATE_NOOP("Names", "待立案"),
    CaseState.REGISTERED: QT_TRANSLATE_NOOP("Names", "待派遣"),
    CaseState.DISPATCHED: QT_TRANSLATE_NOOP("Names", "待接单"),
    CaseState.IN_PROGRESS: QT_TRANSLATE_NOOP("Names", "处置中"),
    CaseState.HANDLED: QT_TRANSLATE_NOOP("Names", "待核查"),
    CaseState.CHECKING: QT_TRANSLATE_NOOP("Names", "核查中"),
    CaseState.CLOSED: QT_TRANSLATE_NOOP("Names", "已结案"),
    CaseState.CANCELLED: QT_TRANSLATE_NOOP("Names", "已作废"),
    CaseState.SUSPENDED: QT_TRANSLATE_NOOP("Names", "挂账"),
}

# Keyed by the timeline's (audit log's) action strings: the domain's actions, "report" (a signal
# arrived) and the duplicate handling of services/cases.py.
ACTION_NAMES = {
    "report": QT_TRANSLATE_NOOP("Names", "上报"),
    Action.REGISTER: QT_TRANSLATE_NOOP("Names", "立案"),
    Action.DISPATCH: QT_TRANSLATE_NOOP("Names", "派遣"),
    Action.ACCEPT: QT_TRANSLATE_NOOP("Names", "接单"),
    Action.REJECT: QT_TRANSLATE_NOOP("Names", "拒单"),
    Action.ARRIVE: QT_TRANSLATE_NOOP("Names", "到场"),
    Action.HANDLE: QT_TRANSLATE_NOOP("Names", "处置完毕"),
    Action.CHECK: QT_TRANSLATE_NOOP("Names", "核查"),
    Action.CLOSE: QT_TRANSLATE_NOOP("Names", "结案"),
    Action.REWORK: QT_TRANSLATE_NOOP("Names", "返工"),
    Action.RETURN: QT_TRANSLATE_NOOP("Names", "回退"),
    Action.SUSPEND: QT_TRANSLATE_NOOP("Names", "挂账"),
    Action.RESUME: QT_TRANSLATE_NOOP("Names", "恢复"),
    Action.CANCEL: QT_TRANSLATE_NOOP("Names", "作废"),
    "merge": QT_TRANSLATE_NOOP("Names", "合并"),  # this signal went into another case
    "attach": QT_TRANSLATE_NOOP("Names", "并入信号"),  # another case's signal came in
    "split": QT_TRANSLATE_NOOP("Names", "拆分"),
    Action.EXTEND: QT_TRANSLATE_NOOP("Names", "延期"),
    "escalate": QT_TRANSLATE_NOOP("Names", "督办"),
    "refuse": QT_TRANSLATE_NOOP("Names", "驳回申请"),
    "request_extend": QT_TRANSLATE_NOOP("Names", "申请延期"),
    "request_suspend": QT_TRANSLATE_NOOP("Names", "申请挂账"),
    "request_resume": QT_TRANSLATE_NOOP("Names", "申请恢复"),
    "request_return": QT_TRANSLATE_NOOP("Names", "申请回退"),
    "request_rework": QT_TRANSLATE_NOOP("Names", "申请返工"),
    "request_cancel": QT_TRANSLATE_NOOP("Names", "申请作废"),
    "speaker_say": QT_TRANSLATE_NOOP("Names", "远程喊话"),
    "speaker_ack": QT_TRANSLATE_NOOP("Names", "喇叭确认"),
    "speaker_outcome": QT_TRANSLATE_NOOP("Names", "劝离结果"),
}

UNIT_STATUS_NAMES = {
    UnitStatus.AVAILABLE: QT_TRANSLATE_NOOP("Names", "空闲"),
    UnitStatus.DISPATCHED: QT_TRANSLATE_NOOP("Names", "已派单"),
    UnitStatus.EN_ROUTE: QT_TRANSLATE_NOOP("Names", "在途"),
    UnitStatus.ON_SCENE: QT_TRANSLATE_NOOP("Names", "在现场"),
    UnitStatus.OFF_DUTY: QT_TRANSLATE_NOOP("Names", "下班"),
}

PRIORITY_NAMES = {
    1: QT_TRANSLATE_NOOP("Names", "紧急"),
    2: QT_TRANSLATE_NOOP("Names", "较急"),
    3: QT_TRANSLATE_NOOP("Names", "一般"),
}

QUARANTINE_REASON_NAMES = {
    "too_large": QT_TRANSLATE_NOOP("Names", "超过大小限制"),
    "encoding": QT_TRANSLATE_NOOP("Names", "编码错误"),
    "not_json": QT_TRANSLATE_NOOP("Names", "非JSON格式"),
    "unknown_topic": QT_TRANSLATE_NOOP("Names", "未知主题"),
    "missing_field": QT_TRANSLATE_NOOP("Names", "缺少字段"),
    "bad_location": QT_TRANSLATE_NOOP("Names", "坐标无效"),
    "invalid_field": QT_TRANSLATE_NOOP("Names", "字段无效"),
    "unknown_unit": QT_TRANSLATE_NOOP("Names", "未登记的处置人员"),
    "unknown_case": QT_TRANSLATE_NOOP("Names", "案件不存在"),
    "not_assigned": QT_TRANSLATE_NOOP("Names", "非本人案件"),
    "refused": QT_TRANSLATE_NOOP("Names", "操作被拒绝"),
    "internal_error": QT_TRANSLATE_NOOP("Names", "内部错误"),
    "not_xml": QT_TRANSLATE_NOOP("Names", "非XML格式"),
    "unsafe_xml": QT_TRANSLATE_NOOP("Names", "不安全的XML"),
    "unknown_device": QT_TRANSLATE_NOOP("Names", "未登记的设备"),
    "unknown_request": QT_TRANSLATE_NOOP("Names", "未知的喊话请求"),
}


def _translated(table: Mapping[Any, str], key: object, fallback: str) -> str:
    text = table.get(key)
    return QCoreApplication.translate(CONTEXT, text) if text is not None else fallback


def state_name(state: CaseState) -> str:
    return _translated(STATE_NAMES, state, str(state))


def action_name(action: str) -> str:
    """An action or timeline entry; an action this build does not know is shown as its code."""
    return _translated(ACTION_NAMES, action, action)


def unit_status_name(status: UnitStatus) -> str:
    return _translated(UNIT_STATUS_NAMES, status, str(status))


def priority_name(priority: int) -> str:
    return _translated(PRIORITY_NAMES, priority, str(priority))


def quarantine_reason_name(code: str) -> str:
    """A code a newer ingest worker uses and this build does not know is shown as the core
    names it (the code itself)."""
    return _translated(QUARANTINE_REASON_NAMES, code, reason_name_zh(code))
