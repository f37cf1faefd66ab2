"""The dispatcher's case actions as `QAction`s: one definition serves the menu, the toolbar, the
case panel's buttons and the keyboard, and is enabled from the domain's transition table."""

from __future__ import annotations

from dataclasses import dataclass

from commandcenter.domain.case import UNIT_ACTIONS, Action, Case, allowed_actions
from commandcenter.services.actor import DISPATCHER, SUPERVISOR, Actor
from ui.qt import QT_TRANSLATE_NOOP, QAction, QCoreApplication, QKeySequence, QObject, Signal


@dataclass(frozen=True, slots=True)
class ActionSpec:
    action: Action
    text: str
    shortcut: str
    tip: str

    def label(self) -> str:
        """`text` in the UI language (also for the main window's list of shortcuts)."""
        return QCoreApplication.translate("CaseActionSet", self.text)

    def tooltip(self) -> str:
        return QCoreApplication.translate("CaseActionSet", self.tip)


# Function keys: they work wherever the focus is, and never collide with typing in a field.
SPECS = (
    ActionSpec(Action.REGISTER, QT_TRANSLATE_NOOP("CaseActionSet", "立案"), "F2",
               QT_TRANSLATE_NOOP("CaseActionSet", "将上报信号登记为案件")),
    ActionSpec(Action.DISPATCH, QT_TRANSLATE_NOOP("CaseActionSet", "派遣"), "F3",
               QT_TRANSLATE_NOOP("CaseActionSet", "选择处置人员并下发任务")),
    ActionSpec(Action.ARRIVE, QT_TRANSLATE_NOOP("CaseActionSet", "登记到场"), "Ctrl+F3",
               QT_TRANSLATE_NOOP("CaseActionSet", "代处置人员登记已到场（电话报告时）")),
    ActionSpec(Action.HANDLE, QT_TRANSLATE_NOOP("CaseActionSet", "登记处置完毕"), "Shift+F3",
               QT_TRANSLATE_NOOP("CaseActionSet", "代处置人员登记处置完毕")),
    ActionSpec(Action.CHECK, QT_TRANSLATE_NOOP("CaseActionSet", "核查"), "F4",
               QT_TRANSLATE_NOOP("CaseActionSet", "开始核查处置结果")),
    ActionSpec(Action.CLOSE, QT_TRANSLATE_NOOP("CaseActionSet", "结案"), "F6",
               QT_TRANSLATE_NOOP("CaseActionSet", "核查通过，结案")),
    ActionSpec(Action.REWORK, QT_TRANSLATE_NOOP("CaseActionSet", "返工"), "Shift+F6",
               QT_TRANSLATE_NOOP("CaseActionSet", "核查不通过，退回重新处置（值班长）")),
    ActionSpec(Action.RETURN, QT_TRANSLATE_NOOP("CaseActionSet", "回退改派"), "Ctrl+F6",
               QT_TRANSLATE_NOOP("CaseActionSet", "收回任务，重新派遣（值班长）")),
    ActionSpec(Action.SUSPEND, QT_TRANSLATE_NOOP("CaseActionSet", "挂账"), "F9",
               QT_TRANSLATE_NOOP("CaseActionSet", "暂停计时（值班长）")),
    ActionSpec(Action.RESUME, QT_TRANSLATE_NOOP("CaseActionSet", "恢复"), "Shift+F9",
               QT_TRANSLATE_NOOP("CaseActionSet", "恢复计时（值班长）")),
    ActionSpec(Action.EXTEND, QT_TRANSLATE_NOOP("CaseActionSet", "延期"), "Ctrl+F9",
               QT_TRANSLATE_NOOP("CaseActionSet", "延长剩余时限（值班长批准）")),
    ActionSpec(Action.CANCEL, QT_TRANSLATE_NOOP("CaseActionSet", "作废"), "F8",
               QT_TRANSLATE_NOOP("CaseActionSet", "作废/注销，须填写原因")),
)


class CaseActionSet(QObject):
    """Holds one QAction per case action; `triggered(Action)` says which one fired."""

    triggered = Signal(object)

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.actions: dict[Action, QAction] = {}
        for spec in SPECS:
            qaction = QAction(spec.label(), parent)
            qaction.setShortcut(QKeySequence(spec.shortcut))
            qaction.setToolTip(f"{spec.tooltip()} ({spec.shortcut})")
            qaction.setStatusTip(spec.tooltip())
            qaction.setEnabled(False)
            qaction.triggered.connect(lambda _=False, a=spec.action: self.triggered.emit(a))
            self.actions[spec.action] = qaction

    def update_for(self, case: Case | None, actor: Actor, busy: bool = False) -> None:
        """Enable exactly what the transition table and the actor's role allow."""
        legal = set(allowed_actions(case.state)) if case is not None and not busy else set()
        for action, qaction in self.actions.items():
            # Supervised actions stay enabled for a dispatcher: they become a request that the
            # 值班长 approves (the console shows "已提交审批").
            enabled = action in legal and (actor.has(SUPERVISOR) or actor.has(DISPATCHER))
            if enabled and action in UNIT_ACTIONS and action is not Action.ARRIVE:
                enabled = action is Action.HANDLE and case is not None \
                    and case.arrived_at is not None
            if action is Action.ARRIVE and case is not None:
                enabled = enabled and case.arrived_at is None
            qaction.setEnabled(enabled)
