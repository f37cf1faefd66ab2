"""The console in English and in Chinese, and the English catalogue kept complete.

Chinese is the source language; English comes from resources/i18n/commandcenter_en.qm, compiled
from commandcenter_en.ts (see resources/i18n/README.md for the update commands).
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from commandcenter.domain.case import Action, CaseState, action_name_zh, state_name_zh
from commandcenter.domain.unit import UNIT_STATUS_ZH, UnitStatus
from commandcenter.ingest.message import InboundMessage
from commandcenter.services.quarantine import REASON_ZH
from tests.conftest import FakeClock, event_payload
from tests.ui.conftest import ConsoleUnderTest
from ui import names
from ui.i18n import install_translators, ui_language
from ui.map.overlays import ApproximateCaption, MapLegend, ScaleBar
from ui.qt import (
    QAction,
    QApplication,
    QCheckBox,
    QFontMetricsF,
    QLabel,
    QLineEdit,
    QLocale,
    QMainWindow,
    QPushButton,
    Qt,
    QTabWidget,
    QToolButton,
    QTranslator,
)
from ui.queue.model import Column

ROOT = Path(__file__).resolve().parents[2]
I18N = ROOT / "resources" / "i18n"
TS = I18N / "commandcenter_en.ts"
QM = I18N / "commandcenter_en.qm"
UI_SOURCES = sorted((ROOT / "ui").rglob("*.py"))
CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u3001-\u303f]")
UPDATE = "run the commands in resources/i18n/README.md"


@pytest.fixture
def english(qapp: QApplication) -> Iterator[list[QTranslator]]:
    """The English catalogue, installed as `--language en` does; removed afterwards so the other
    tests see the Chinese source texts."""
    default_locale = QLocale()
    installed = install_translators(qapp, "en")
    yield installed
    for translator in installed:
        qapp.removeTranslator(translator)
        translator.deleteLater()
    QLocale.setDefault(default_locale)


@pytest.fixture
def english_console(english: list[QTranslator], console: ConsoleUnderTest) -> ConsoleUnderTest:
    """The main window built after the English catalogue is installed, as the program does."""
    return console


def report(console: ConsoleUnderTest, clock: FakeClock, qtbot: object) -> None:
    payload = event_payload()  # category 0501, a citizen's report of a street vendor
    console.hall.ingest.put(InboundMessage("cc/v1/event/suishoupai", payload, clock.now))
    window = console.window
    qtbot.waitUntil(lambda: window.proxy.rowCount() == 1)  # type: ignore[attr-defined]
    window.queue.selectRow(0)
    qtbot.waitUntil(lambda: window.panel.case() is not None)  # type: ignore[attr-defined]


def headers(window: object) -> list[str]:
    model = window.queue.model()  # type: ignore[attr-defined]
    return [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]


def visible_texts(window: QMainWindow) -> dict[str, str]:
    """Every piece of UI chrome a dispatcher can read, by where it is."""
    texts = {"window title": window.windowTitle()}
    for action in window.findChildren(QAction):
        for kind in ("text", "toolTip", "statusTip"):
            texts[f"action {action.text()!r} {kind}"] = getattr(action, kind)()
    for menu_action in window.menuBar().actions():
        texts[f"menu {menu_action.text()!r}"] = menu_action.text()
    for label in window.findChildren(QLabel):
        texts[f"label {label.objectName() or id(label)}"] = label.text()
    for kind in (QToolButton, QPushButton, QCheckBox):
        for button in window.findChildren(kind):
            texts[f"button {id(button)}"] = button.text()
    for edit in window.findChildren(QLineEdit):
        texts[f"placeholder {id(edit)}"] = edit.placeholderText()
    for tabs in window.findChildren(QTabWidget):
        for i in range(tabs.count()):
            texts[f"tab {i}"] = tabs.tabText(i)
    for i, header in enumerate(headers(window)):
        texts[f"header {i}"] = header
    for legend in window.findChildren(MapLegend):
        for i, (_kind, _colour, text) in enumerate(legend._entries()):
            texts[f"map legend {i}"] = text
    for chip in (*window.findChildren(ScaleBar), *window.findChildren(ApproximateCaption)):
        texts[f"map {type(chip).__name__}"] = chip.text()
    return texts


# --- the console in English ------------------------------------------------------------------
def test_english_main_window_has_no_chinese_chrome(english_console: ConsoleUnderTest) -> None:
    window = english_console.window
    assert window.windowTitle() == "Urban Management Command Center — Chongchuan District"
    assert headers(window) == ["Number", "Status", "Deadline", "Category", "Subject",
                               "Subdistrict", "Officer", "Reported"]
    assert {"&Case", "&View", "&Supervisor", "&Help"} <= {
        a.text() for a in window.menuBar().actions()}
    leftover = {where: text for where, text in visible_texts(window).items()
                if CJK.search(text.replace("\u3000", " "))}
    assert not leftover, f"Chinese left in the English UI: {leftover}"


def test_english_case_actions_states_and_status_bar(english_console: ConsoleUnderTest,
                                                    clock: FakeClock, qtbot: object) -> None:
    console, window = english_console, english_console.window
    actions = window.case_actions.actions
    assert {a: actions[a].text() for a in (Action.REGISTER, Action.DISPATCH, Action.CHECK,
                                           Action.CLOSE, Action.CANCEL, Action.SUSPEND,
                                           Action.RESUME, Action.RETURN, Action.REWORK)} == {
        Action.REGISTER: "Register", Action.DISPATCH: "Dispatch", Action.CHECK: "Verify",
        Action.CLOSE: "Close", Action.CANCEL: "Void", Action.SUSPEND: "Suspend",
        Action.RESUME: "Resume", Action.RETURN: "Recall", Action.REWORK: "Rework"}
    assert actions[Action.REGISTER].toolTip() == "Register the reported signal as a case (F2)"

    report(console, clock, qtbot)
    assert window.proxy.index(0, Column.STATE).data() == "To register"
    assert window.proxy.index(0, Column.TIMER).data().startswith("Register ")
    assert window.proxy.index(0, Column.TIMER).data().endswith(" left")
    assert window.proxy.index(0, Column.CATEGORY).data() == "Vendor on the road"  # catalog `en`
    assert window.panel._fields["state"].text() == "To register"
    assert window.panel._fields["category"].text() == "Vendor on the road (0501)"
    for column in (Column.STATE, Column.TIMER):  # the longer English is not cut off
        index = window.proxy.index(0, column)
        font = index.data(Qt.ItemDataRole.FontRole) or window.queue.font()
        text_width = QFontMetricsF(font).horizontalAdvance(index.data())
        assert text_width + 8 <= window.queue.columnWidth(column), index.data()

    window.status.set_ingest(None)
    assert window.status.rate.text() == "Ingest 0.0 msg/s"
    assert "Quarantined 0" in window.status.quarantine.text()
    assert "Database " in window.status.database.text()
    for label in (window.status.rate, window.status.quarantine, window.status.database):
        assert not CJK.search(label.text())


# --- the console in Chinese -------------------------------------------------------------------
def test_chinese_without_a_translator(console: ConsoleUnderTest, clock: FakeClock,
                                      qtbot: object) -> None:
    window = console.window
    assert ui_language() == "zh"
    assert window.windowTitle() == "街道城市管理指挥中心 — 崇川区"
    assert headers(window) == ["编号", "状态", "时限", "类别", "事项", "街道", "处置人",
                               "上报时间"]
    assert window.case_actions.actions[Action.REGISTER].text() == "立案"
    assert window.case_actions.actions[Action.RETURN].text() == "回退改派"
    report(console, clock, qtbot)
    assert window.proxy.index(0, Column.STATE).data() == "待立案"
    assert window.proxy.index(0, Column.CATEGORY).data() == "占道经营（流动摊贩）"
    assert window.panel._fields["state"].text() == "待立案"
    window.status.set_ingest(None)
    assert window.status.rate.text() == "接入 0.0 条/秒"


def test_the_catalogue_names_its_language(english: list[QTranslator]) -> None:
    assert ui_language() == "en"


# --- the names the UI repeats from the core ----------------------------------------------------
def test_ui_names_repeat_the_core_chinese_names() -> None:
    """ui/names.py marks the core's names for translation; they must not drift apart."""
    assert {s: names.STATE_NAMES[s] for s in CaseState} == {s: state_name_zh(s)
                                                            for s in CaseState}
    assert {a: names.ACTION_NAMES[a] for a in Action} == {a: action_name_zh(a) for a in Action}
    assert {s: names.UNIT_STATUS_NAMES[s] for s in UnitStatus} == dict(UNIT_STATUS_ZH)
    assert names.QUARANTINE_REASON_NAMES == REASON_ZH
    assert names.quarantine_reason_name("from_a_newer_worker") == "from_a_newer_worker"


# --- the catalogue is complete ------------------------------------------------------------------
def _messages(ts: Path) -> dict[tuple[str, str, str], ET.Element]:
    messages = {}
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            key = (name, message.findtext("source") or "", message.findtext("comment") or "")
            messages[key] = message
    return messages


def _placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"\{[^{}]*\}|%n|%\d", text))


def test_every_message_has_a_finished_translation() -> None:
    problems = []
    for (context, source, _comment), message in _messages(TS).items():
        translation = message.find("translation")
        assert translation is not None
        forms = [f.text or "" for f in translation.iter("numerusform")] or [
            translation.text or ""]
        if translation.get("type") is not None or not all(f.strip() for f in forms):
            problems.append(f"{context}: {source!r} is not translated")
            continue
        for form in forms:
            if _placeholders(form) != _placeholders(source):
                problems.append(f"{context}: {source!r} → {form!r} changes the placeholders")
    assert not problems, "\n".join(problems)


def _tool(name: str) -> str:
    tool = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if tool is None:
        pytest.fail(f"{name} not found next to {sys.executable} (it comes with PySide6)")
    return tool


def test_the_catalogue_holds_every_string_in_ui(tmp_path: Path) -> None:
    """A string added to ui/ without a translation fails here, not in front of a dispatcher."""
    fresh = tmp_path / "fresh.ts"
    subprocess.run([_tool("pyside6-lupdate"), *map(str, UI_SOURCES), "-silent", "-ts",
                    str(fresh)], check=True, capture_output=True)
    missing = sorted(set(_messages(fresh)) - set(_messages(TS)))
    assert not missing, f"not in {TS.name} ({UPDATE}): {missing}"


def test_the_qm_is_compiled_from_the_ts(tmp_path: Path) -> None:
    compiled = tmp_path / "commandcenter_en.qm"
    subprocess.run([_tool("pyside6-lrelease"), str(TS), "-qm", str(compiled)], check=True,
                   capture_output=True)
    assert compiled.read_bytes() == QM.read_bytes(), f"{QM.name} is stale: {UPDATE}"


def _string_literals_outside_translation(tree: ast.AST) -> Iterator[tuple[int, str]]:
    translated: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (isinstance(body, list) and body and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)):
            translated.add(id(body[0].value))  # a docstring
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in ("tr", "translate", "QT_TRANSLATE_NOOP", "QT_TR_NOOP"):
                translated.update(id(arg) for arg in node.args)
    for node in ast.walk(tree):
        if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                and id(node) not in translated
                and CJK.search(node.value.replace("\u3000", ""))):  # U+3000 is only a space
            yield node.lineno, node.value


def _translation_in_fstring(tree: ast.AST) -> Iterator[int]:
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            for inner in ast.walk(node):
                if (isinstance(inner, ast.Call)
                        and getattr(inner.func, "attr", "") in ("tr", "translate")
                        and any(isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                                and CJK.search(arg.value) for arg in inner.args)):
                    yield inner.lineno


@pytest.mark.parametrize("path", UI_SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_chinese_in_ui_goes_through_translation(path: Path) -> None:
    """lupdate sees only literal arguments of tr/translate/QT_TRANSLATE_NOOP, and none inside
    an f-string: any other Chinese literal would stay Chinese in the English console."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    untranslated = list(_string_literals_outside_translation(tree))
    assert not untranslated, f"Chinese outside tr()/translate()/QT_TRANSLATE_NOOP: {untranslated}"
    hidden = list(_translation_in_fstring(tree))
    assert not hidden, f"tr() inside an f-string, invisible to lupdate, on lines {hidden}"
