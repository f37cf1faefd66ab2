"""The dispatch list: nearest available officers first, then departments and night duty, whose
standard wording is prefilled."""

from __future__ import annotations

from datetime import timedelta

from commandcenter.domain.assignees import load_assignees
from commandcenter.domain.case import Case, CaseState
from commandcenter.domain.dispatch import recommend
from commandcenter.domain.event import Location
from commandcenter.domain.unit import Unit, UnitStatus
from tests.conftest import FakeClock
from ui.dialogs.dispatch import DispatchDialog
from ui.qt import Qt


def case(clock: FakeClock) -> Case:
    return Case(id=1, number="CC-20261128-0001", category="0501", priority=2, title="摊贩",
                state=CaseState.REGISTERED, reported_at=clock.now,
                location=Location(32.0300, 120.8700, "民安花苑北门"))


def officers(clock: FakeClock) -> list[Unit]:
    old = clock.now - timedelta(minutes=45)
    return [
        Unit("far", "王芳", lat=32.0600, lon=120.9000, position_at=clock.now),
        Unit("near", "张伟", lat=32.0310, lon=120.8705, position_at=clock.now),
        Unit("busy", "李强", lat=32.0301, lon=120.8701, position_at=clock.now,
             status=UnitStatus.ON_SCENE),
        Unit("stale", "赵敏", lat=32.0300, lon=120.8700, position_at=old),
        Unit("home", "周涛", status=UnitStatus.OFF_DUTY),
    ]


def test_recommendations_skip_stale_positions_and_off_duty(clock: FakeClock) -> None:
    recs = recommend(case(clock), officers(clock) + load_assignees().units, clock.now)
    assert [r.unit.id for r in recs] == ["near", "far", "stale", "busy"]
    assert recs[2].distance_m is None, "a 45-minute-old position is not trusted"


def test_dialog_lists_departments_after_officers_and_prefills_night_duty(
        qtbot: object, clock: FakeClock) -> None:
    assignees = load_assignees()
    dialog = DispatchDialog(case(clock), officers(clock) + assignees.units, clock.now,
                            default_notes=assignees.notes)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    ids = [dialog._list.item(i).data(Qt.ItemDataRole.UserRole)
           for i in range(dialog._list.count())]
    assert ids[0] == "near" and "home" not in ids
    assert ids.index("dept-police") > ids.index("busy")
    assert dialog.unit_id() == "near" and dialog.note() is None
    dialog._list.setCurrentRow(ids.index("duty-night"))
    assert dialog.note() == "系统接报，请街道城管夜间值班人员立即到位进行处置"
    dialog._list.setCurrentRow(ids.index("dept-grid"))
    assert dialog.note() is None, "the automatic text goes when another unit is chosen"
    dialog._note.setText("请网格员协助劝离")
    dialog._list.setCurrentRow(ids.index("duty-night"))
    assert dialog.note() == "请网格员协助劝离", "typed text is never overwritten"
