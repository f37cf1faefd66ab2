"""The queue model and proxy: Qt's model tester, batching, and a clock that never reshuffles."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from commandcenter.domain.case import Case, CaseState, Deadline
from commandcenter.domain.catalog import default_catalog
from commandcenter.domain.event import Location
from tests.conftest import FakeClock
from ui.qt import Qt, QTableView
from ui.queue.model import CASE_ID_ROLE, CaseQueueModel, Column
from ui.queue.proxy import CaseQueueProxy

TZ = ZoneInfo("Asia/Shanghai")


def make_case(i: int, now: datetime, *, state: CaseState = CaseState.REGISTERED,
              due_in_min: float = 10.0) -> Case:
    due = now + timedelta(minutes=due_in_min)
    return Case(id=i, number=f"CC-20261128-{i:04d}", category="0501", priority=2,
                title=f"摊贩 {i}", state=state, reported_at=now,
                location=Location(32.03, 120.87, "民安花苑"), street="城东街道",
                deadlines={"arrive": Deadline("arrive", due, 900.0)})


@pytest.fixture
def model(qtbot: object, clock: FakeClock) -> CaseQueueModel:
    return CaseQueueModel(default_catalog(), TZ, clock)


def test_model_passes_qt_model_tester(qtmodeltester: object, model: CaseQueueModel,
                                      clock: FakeClock) -> None:
    model.upsert([make_case(i, clock.now, due_in_min=i) for i in range(1, 30)])
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    proxy = CaseQueueProxy()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)  # type: ignore[attr-defined]


def test_batch_arrives_in_one_insert(qtbot: object, model: CaseQueueModel,
                                     clock: FakeClock) -> None:
    inserts: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _p, first, last: inserts.append((first, last)))
    model.upsert([make_case(i, clock.now) for i in range(1, 501)])
    assert inserts == [(0, 499)]


def test_older_snapshot_never_overwrites_newer(model: CaseQueueModel, clock: FakeClock) -> None:
    newer = replace(make_case(1, clock.now), version=3, state=CaseState.DISPATCHED)
    model.upsert([newer])
    model.upsert([replace(newer, version=2, state=CaseState.REGISTERED)])
    assert model.case(1).state is CaseState.DISPATCHED


def test_most_urgent_first_and_tick_does_not_reorder(qtbot: object, model: CaseQueueModel,
                                                     clock: FakeClock) -> None:
    proxy = CaseQueueProxy()
    proxy.setSourceModel(model)
    model.upsert([make_case(1, clock.now, due_in_min=30), make_case(2, clock.now, due_in_min=5),
                  make_case(3, clock.now, due_in_min=-2)])
    order = [proxy.index(r, 0).data(CASE_ID_ROLE) for r in range(3)]
    assert order == [3, 2, 1]
    moved: list[int] = []
    proxy.layoutChanged.connect(lambda *a: moved.append(1))
    for _ in range(5):
        clock.advance(seconds=1)
        model.tick()
    assert moved == []
    assert "超" in proxy.index(0, Column.TIMER).data()


def test_closed_cases_hidden_unless_asked(qtbot: object, model: CaseQueueModel,
                                          clock: FakeClock) -> None:
    proxy = CaseQueueProxy()
    proxy.setSourceModel(model)
    model.upsert([make_case(1, clock.now), make_case(2, clock.now, state=CaseState.CLOSED)])
    assert proxy.rowCount() == 1
    proxy.set_open_only(False)
    assert proxy.rowCount() == 2
    proxy.setFilterFixedString("0002")
    assert proxy.rowCount() == 1


def test_countdown_text_and_overdue(model: CaseQueueModel, clock: FakeClock) -> None:
    model.upsert([make_case(1, clock.now, due_in_min=12.5)])
    assert model.index(0, Column.TIMER).data() == "到场 剩 12:30"
    clock.advance(minutes=15)
    model.tick()
    assert model.index(0, Column.TIMER).data() == "到场 超 02:30"


def test_reported_time_is_local(model: CaseQueueModel) -> None:
    at = datetime(2026, 11, 28, 16, 5, 0, tzinfo=UTC)
    model.upsert([make_case(1, at)])
    assert model.index(0, Column.REPORTED).data() == "00:05:00"


def shown_ids(proxy: CaseQueueProxy) -> list[int]:
    return [proxy.index(r, 0).data(CASE_ID_ROLE) for r in range(proxy.rowCount())]


def test_large_scattered_batches_end_sorted_with_every_case(
        qtmodeltester: object, qtbot: object, model: CaseQueueModel, clock: FakeClock) -> None:
    """Batches of 500 whose deadlines fall all over a long queue (one layout change each) and
    small ones (one insertion per run) both leave every case shown, most urgent first, and a
    view's row count in step."""
    proxy = CaseQueueProxy()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)  # type: ignore[attr-defined]  # keeps checking every change
    view = QTableView()
    qtbot.addWidget(view)  # type: ignore[attr-defined]
    view.setModel(proxy)
    rng = random.Random(5)
    next_id = 1
    for size in (500, 3, 500, 1, 500, 20):
        model.upsert([make_case(i, clock.now, due_in_min=rng.uniform(-60, 600))
                      for i in range(next_id, next_id + size)])
        next_id += size
    ids = shown_ids(proxy)
    assert sorted(ids) == list(range(1, next_id))
    dues = [model.case(i).next_deadline().due for i in ids]  # type: ignore[union-attr]
    assert dues == sorted(dues)
    assert view.verticalHeader().count() == proxy.rowCount()
    proxy.sort(Column.TIMER, Qt.SortOrder.DescendingOrder)
    model.upsert([make_case(i, clock.now, due_in_min=rng.uniform(-60, 600))
                  for i in range(next_id, next_id + 500)])
    dues = [model.case(i).next_deadline().due for i in shown_ids(proxy)]  # type: ignore[union-attr]
    assert dues == sorted(dues, reverse=True) and len(dues) == next_id + 499


def test_selection_follows_its_case_through_a_batch_and_a_new_deadline(
        qtbot: object, model: CaseQueueModel, clock: FakeClock) -> None:
    proxy = CaseQueueProxy()
    proxy.setSourceModel(model)
    view = QTableView()
    qtbot.addWidget(view)  # type: ignore[attr-defined]
    view.setModel(proxy)
    model.upsert([make_case(i, clock.now, due_in_min=10 * i) for i in range(1, 6)])
    view.selectRow(2)
    assert view.currentIndex().data(CASE_ID_ROLE) == 3
    rng = random.Random(9)
    model.upsert([make_case(i, clock.now, due_in_min=rng.uniform(-60, 600))
                  for i in range(6, 506)])  # scattered before and after it
    assert view.currentIndex().data(CASE_ID_ROLE) == 3
    assert view.selectionModel().selectedRows()[0].data(CASE_ID_ROLE) == 3
    case = model.case(3)
    assert case is not None
    model.upsert([replace(case, version=case.version + 1, deadlines={
        "arrive": Deadline("arrive", clock.now - timedelta(minutes=90), 900.0)})])
    assert proxy.index(0, 0).data(CASE_ID_ROLE) == 3  # now the most urgent: moved to the top
    assert view.currentIndex().row() == 0
    assert view.currentIndex().data(CASE_ID_ROLE) == 3
    model.upsert([replace(case, version=case.version + 2, state=CaseState.CLOSED)])
    assert 3 not in shown_ids(proxy)  # closed: hidden from the open queue
    proxy.set_open_only(False)
    assert 3 in shown_ids(proxy) and proxy.rowCount() == 505


def test_a_cells_style_follows_its_case_and_the_clock(model: CaseQueueModel,
                                                      clock: FakeClock) -> None:
    """Styles are kept per row between repaints: a new snapshot of the case replaces them,
    and the countdown is never kept."""
    case = make_case(1, clock.now, due_in_min=10)
    model.upsert([case])
    state, timer = model.style(0, Column.STATE), model.style(0, Column.TIMER)
    assert state is not None and timer is not None
    assert model.style(0, Column.STATE) is state  # kept
    model.upsert([replace(case, state=CaseState.CLOSED, version=case.version + 1)])
    closed = model.style(0, Column.STATE)
    assert closed is not None and closed[0] != state[0] and closed[2] is not None  # grey text
    clock.advance(minutes=1)
    model.tick()
    later = model.style(0, Column.TIMER)
    assert later is not None and later[0] != timer[0]
