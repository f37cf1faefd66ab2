"""The queue's delegate paints every cell exactly as the standard delegate would."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from commandcenter.domain.case import CaseState
from commandcenter.domain.catalog import default_catalog
from tests.conftest import FakeClock
from tests.ui.test_queue_model import TZ, make_case
from ui.qt import QStyledItemDelegate, QTableView
from ui.queue.delegate import QueueCellDelegate
from ui.queue.model import CaseQueueModel, Column
from ui.queue.proxy import CaseQueueProxy


def _grab(view: QTableView) -> object:
    view.viewport().repaint()
    return view.viewport().grab().toImage()


def test_cells_look_the_same_as_with_the_standard_delegate(
        qtbot: object, clock: FakeClock) -> None:
    now = clock.now
    model = CaseQueueModel(default_catalog(), TZ, clock)
    cases = [make_case(1, now, due_in_min=-3),  # overdue: red timer, white bold text
             make_case(2, now, due_in_min=1),  # nearly due: amber
             replace(make_case(3, now, state=CaseState.REPORTED, due_in_min=20),
                     duplicate_of=1),  # bold number, "疑似重复" state
             replace(make_case(4, now, due_in_min=8), escalated_at=now - timedelta(minutes=1)),
             replace(make_case(5, now, state=CaseState.CLOSED), deadlines={})]
    model.upsert(cases)
    proxy = CaseQueueProxy()
    proxy.setSourceModel(model)
    proxy.set_open_only(False)
    view = QTableView()
    qtbot.addWidget(view)  # type: ignore[attr-defined]
    view.setModel(proxy)
    view.setAlternatingRowColors(True)
    view.setColumnWidth(Column.TITLE, 60)  # long enough texts are elided the same way
    view.resize(900, 260)
    view.show()
    view.selectRow(1)

    standard = _grab(view)
    view.setItemDelegate(QueueCellDelegate(proxy, view))
    ours = _grab(view)
    view.setItemDelegate(QStyledItemDelegate(view))
    assert _grab(view) == standard  # the comparison itself is stable

    assert proxy.rowCount() == 5
    assert ours == standard


def test_unchanged_cells_are_not_drawn_again(qtbot: object, clock: FakeClock,
                                             monkeypatch: object) -> None:
    """A repaint blits the pictures it has; the countdowns, new every second, are drawn
    without being kept; what is shown is still what the standard delegate shows."""
    model = CaseQueueModel(default_catalog(), TZ, clock)
    model.upsert([make_case(i, clock.now, due_in_min=i) for i in range(1, 6)])
    proxy = CaseQueueProxy()
    proxy.setSourceModel(model)
    view = QTableView()
    qtbot.addWidget(view)  # type: ignore[attr-defined]
    view.setModel(proxy)
    view.setAlternatingRowColors(True)
    view.resize(900, 260)
    view.show()
    delegate = QueueCellDelegate(proxy, view)
    view.setItemDelegate(delegate)
    drawn: list[str] = []
    draw = delegate._draw
    monkeypatch.setattr(delegate, "_draw",  # type: ignore[attr-defined]
                        lambda opt, *rest: drawn.append(opt.text) or draw(opt, *rest))

    _grab(view)
    assert "CC-20261128-0005" in drawn  # cells that look alike (same street…) are drawn once
    assert len(set(drawn)) <= len(drawn) <= 5 * (len(Column) - 1)
    countdowns = {model.style(row, Column.TIMER)[0] for row in range(5)}  # type: ignore[index]
    assert len(countdowns) == 5 and not countdowns & set(drawn), "countdowns are never kept"
    kept = len(delegate._cells)
    drawn.clear()
    _grab(view)
    assert drawn == [], "nothing changed: every cell is a picture already"

    clock.advance(seconds=30)
    model.tick()
    ours = _grab(view)
    assert drawn == [] and len(delegate._cells) == kept  # countdowns drawn, not kept
    view.setItemDelegate(QStyledItemDelegate(view))
    assert ours == _grab(view)
