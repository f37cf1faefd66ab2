"""CaseWatch on a real database shared by two workstations: what one commits, the other's
watch reports (new cases as new), nothing twice, nothing of its own, and every entry of a
flood across bounded polls."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from commandcenter.config import Settings
from commandcenter.domain.case import Action
from commandcenter.domain.unit import Unit
from commandcenter.hall import Hall, open_hall
from commandcenter.ingest.message import InboundMessage
from commandcenter.services import case_watch
from commandcenter.services.actor import DISPATCHER, Actor
from commandcenter.services.case_watch import CaseWatch
from tests.conftest import FakeClock, event_payload

DISPATCH = Actor("user:li", "李调度", frozenset({DISPATCHER}))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    return str(request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url"))


@pytest.fixture
def halls(db_url: str, clock: FakeClock) -> Iterator[tuple[Hall, Hall]]:
    """Two workstations on one database."""
    here, there = open_hall(Settings(db_url=db_url)), open_hall(Settings(db_url=db_url))
    for hall in (here, there):
        hall.ctx.clock = clock
    there.cases.register_units([Unit("u-1", "张伟", lat=32.03, lon=120.87,
                                     position_at=clock.now)])
    yield here, there
    here.close()
    there.close()


def reports(clock: FakeClock, *ids: str) -> list[InboundMessage]:
    return [InboundMessage("cc/v1/event/suishoupai", event_payload(source_id=i), clock.now)
            for i in ids]


def test_what_another_workstation_commits_is_reported_once(halls: tuple[Hall, Hall],
                                                           clock: FakeClock) -> None:
    here, there = halls
    watch = CaseWatch(here.ctx.db)
    assert watch.poll(clock.now) is None, "nothing committed yet"
    (opened,) = there.ingest.writer.process(reports(clock, "r-1")).new_case_ids
    seen = watch.poll(clock.now)
    assert seen is not None and list(seen.cases) == [opened]
    assert seen.new_case_ids == [opened], "a report opened there is new here"
    assert seen.cases[opened].version == 1
    assert watch.poll(clock.now) is None, "reported once"

    assert seen.units == {}, "a new report holds no officer"

    registered = there.cases.act(opened, Action.REGISTER, DISPATCH, expected_version=1)
    seen = watch.poll(clock.now)
    assert seen is not None and seen.cases[opened].version == 2
    assert seen.cases[opened] == registered.cases[opened]
    assert seen.new_case_ids == [], "an action on a known case is no new case"

    there.cases.act(opened, Action.DISPATCH, DISPATCH, expected_version=2, assignee="u-1")
    seen = watch.poll(clock.now)
    assert seen is not None and seen.cases[opened].assignee == "u-1"
    assert seen.units["u-1"].case_id == opened, "the officer is busy on this screen too"


def test_what_this_side_committed_is_not_reported_back(halls: tuple[Hall, Hall],
                                                       clock: FakeClock) -> None:
    here, there = halls
    watch = CaseWatch(here.ctx.db)
    watch.poll(clock.now)
    own = here.ingest.writer.process(reports(clock, "mine"))
    watch.note(own)
    (theirs,) = there.ingest.writer.process(reports(clock, "theirs")).new_case_ids
    seen = watch.poll(clock.now)
    assert seen is not None and list(seen.cases) == [theirs]


def test_a_flood_is_caught_up_in_bounded_polls(halls: tuple[Hall, Hall], clock: FakeClock,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    here, there = halls
    monkeypatch.setattr(case_watch, "BATCH", 7)
    watch = CaseWatch(here.ctx.db)
    watch.poll(clock.now)
    opened = there.ingest.writer.process(
        reports(clock, *(f"flood-{i}" for i in range(30)))).new_case_ids
    assert len(opened) == 30
    seen: list[int] = []
    for _ in range(10):
        changes = watch.poll(clock.now)
        if changes is None:
            break
        assert len(changes.cases) <= 7
        seen += changes.new_case_ids
    assert sorted(seen) == sorted(opened)


def test_a_restarted_watch_looks_back(halls: tuple[Hall, Hall], clock: FakeClock) -> None:
    """A console's ingest process that was down for a moment still hands over what came
    meanwhile; what is older than the look-back was in the console's start-up picture."""
    here, there = halls
    (old,) = there.ingest.writer.process(reports(clock, "old")).new_case_ids
    clock.advance(seconds=int((case_watch.LOOKBACK + timedelta(seconds=30)).total_seconds()))
    (recent,) = there.ingest.writer.process(reports(clock, "recent")).new_case_ids
    seen = CaseWatch(here.ctx.db).poll(clock.now)
    assert seen is not None and list(seen.cases) == [recent]
    assert old not in seen.cases
