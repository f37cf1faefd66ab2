"""Repositories against a real database: what goes in comes back, numbers, dedup, versions."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from commandcenter.domain.case import Case, CaseState, Deadline
from commandcenter.domain.errors import StaleCase
from commandcenter.domain.event import Event, EventKind, Location, Severity
from commandcenter.domain.unit import Unit, UnitStatus
from commandcenter.store.database import Database, open_database
from commandcenter.store.repositories import (
    CaseRepo,
    EventRepo,
    NotFound,
    QuarantineRepo,
    UnitRepo,
)

SH = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest) -> Iterator[Database]:
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")
    database = open_database(url)
    yield database
    database.dispose()


def full_case(number: str = "CC-20261128-0001") -> Case:
    """Every field set, times in local (+08:00) and UTC, microseconds included."""
    local = datetime(2026, 11, 28, 16, 58, 12, 345678, tzinfo=SH)
    return Case(
        id=None, number=number, category="0501", priority=2,
        title="民安花苑北门有流动摊贩占道经营", description="三轮车摊贩堵住北门\n第二行",
        state=CaseState.SUSPENDED, reported_at=local,
        location=Location(32.030512345678, 120.870298765432, "民安花苑北门"),
        street="城东街道", assignee="u-1", assignee_name="张伟",
        registered_at=local + timedelta(minutes=1), dispatched_at=T0 + timedelta(minutes=2),
        accepted_at=T0 + timedelta(minutes=3), arrived_at=T0 + timedelta(minutes=9),
        handled_at=None, closed_at=None, suspended_at=T0 + timedelta(minutes=20),
        resumes_to=CaseState.IN_PROGRESS, cancel_reason=None,
        deadlines={
            "register": Deadline("register", local + timedelta(minutes=10), 600.0,
                                 met_at=local + timedelta(minutes=1)),
            "arrive": Deadline("arrive", local + timedelta(minutes=16), 900.0,
                               met_at=T0 + timedelta(minutes=9)),
            "resolve": Deadline("resolve", local + timedelta(hours=1, minutes=1), 3600.0),
            "accept": Deadline("accept", T0 + timedelta(minutes=7), 300.5),
        },
        event_count=3, version=1, updated_at=T0 + timedelta(minutes=20),
    )


def test_case_round_trip(db: Database) -> None:
    case = full_case()
    with db.write() as s:
        added = CaseRepo(s).add(case)
    assert added.id is not None and added.version == 1
    with db.read() as s:
        loaded = CaseRepo(s).get(added.id)
        by_number = CaseRepo(s).get_by_number(case.number)
    assert loaded == added
    assert by_number == added
    # Times come back as aware UTC instants, equal to what went in.
    assert loaded.reported_at.tzinfo is UTC
    assert loaded.reported_at == case.reported_at
    assert loaded.reported_at.microsecond == 345678
    for kind, d in loaded.deadlines.items():
        assert d.due.tzinfo is UTC and d.due == case.deadlines[kind].due
    assert loaded.location == case.location
    assert loaded.resumes_to is CaseState.IN_PROGRESS


def test_case_without_optional_fields(db: Database) -> None:
    bare = Case(id=None, number="CC-20261128-0002", category="0000", priority=3, title="",
                state=CaseState.REPORTED, reported_at=T0)
    with db.write() as s:
        added = CaseRepo(s).add(bare)
    with db.read() as s:
        loaded = CaseRepo(s).get(added.id or 0)
    assert loaded.location is None and loaded.deadlines == {} and loaded.resumes_to is None
    assert loaded.updated_at == T0  # a case is "updated" when it was reported
    assert replace(loaded, updated_at=None) == added


def test_missing_case_is_not_found(db: Database) -> None:
    with db.read() as s:
        with pytest.raises(NotFound, match="不存在"):
            CaseRepo(s).get(999)
        assert CaseRepo(s).get_by_number("CC-20990101-0001") is None
        assert CaseRepo(s).by_ids([]) == []


def test_update_bumps_the_version_and_replaces_deadlines(db: Database) -> None:
    with db.write() as s:
        case = CaseRepo(s).add(full_case())
    changed = replace(case, state=CaseState.IN_PROGRESS, suspended_at=None, resumes_to=None,
                      deadlines={"resolve": case.deadlines["resolve"]})
    with db.write() as s:
        saved = CaseRepo(s).update(changed, expected_version=1)
    assert saved.version == 2
    with db.read() as s:
        loaded = CaseRepo(s).get(case.id or 0)
    assert loaded == saved
    assert list(loaded.deadlines) == ["resolve"]


def test_update_with_a_stale_version_is_refused(db: Database) -> None:
    """Two dispatchers on one case: the second one's click must not overwrite the first's."""
    with db.write() as s:
        case = CaseRepo(s).add(full_case())
    with db.write() as s:
        first = CaseRepo(s).update(replace(case, assignee_name="李四"), expected_version=1)
    with pytest.raises(StaleCase, match=case.number), db.write() as s:
        CaseRepo(s).update(replace(case, assignee_name="王五", deadlines={}),
                           expected_version=1)
    with db.read() as s:
        loaded = CaseRepo(s).get(case.id or 0)
    assert loaded == first and loaded.assignee_name == "李四"
    assert loaded.deadlines == case.deadlines


def test_list_open_and_count_by_state(db: Database) -> None:
    with db.write() as s:
        repo = CaseRepo(s)
        open_case = repo.add(full_case("CC-20261128-0001"))
        closed = repo.add(replace(full_case("CC-20261128-0002"), state=CaseState.CLOSED,
                                  closed_at=T0, updated_at=T0 + timedelta(hours=1)))
        repo.add(replace(full_case("CC-20261128-0003"), state=CaseState.CANCELLED,
                         updated_at=T0 - timedelta(days=2)))
    with db.read() as s:
        repo = CaseRepo(s)
        assert [c.number for c in repo.list_open()] == [open_case.number]
        recent = repo.list_recent_closed(T0)
        assert [c.number for c in recent] == [closed.number]
        assert repo.count_by_state() == {"suspended": 1, "closed": 1, "cancelled": 1}
        assert {c.number for c in repo.by_ids([open_case.id or 0, closed.id or 0])} == {
            open_case.number, closed.number}


def _number(db: Database, now: datetime) -> str:
    with db.write() as s:
        return CaseRepo(s).next_number(now, SH)


def test_case_numbers_count_per_local_day(db: Database) -> None:
    # 16:30 UTC on the 28th is already 00:30 on the 29th in 南通.
    evening = datetime(2026, 11, 28, 16, 30, tzinfo=UTC)
    assert _number(db, evening) == "CC-20261129-0001"
    assert _number(db, evening + timedelta(minutes=1)) == "CC-20261129-0002"
    assert _number(db, evening + timedelta(hours=23, minutes=29)) == "CC-20261129-0003"
    # The next local day starts again at 0001…
    assert _number(db, evening + timedelta(days=1)) == "CC-20261130-0001"
    # …and a late arrival for the previous day continues that day's count.
    assert _number(db, evening + timedelta(hours=2)) == "CC-20261129-0004"
    assert _number(db, datetime(2026, 11, 28, 15, 59, tzinfo=UTC)) == "CC-20261128-0001"


def test_case_numbers_in_one_transaction_are_distinct(db: Database) -> None:
    with db.write() as s:
        numbers = [CaseRepo(s).next_number(T0, SH) for _ in range(12)]
    assert numbers == [f"CC-20261128-{n:04d}" for n in range(1, 13)]


def test_a_rolled_back_number_is_not_used_up(db: Database) -> None:
    with pytest.raises(RuntimeError), db.write() as s:
        CaseRepo(s).next_number(T0, SH)
        raise RuntimeError("the case could not be stored")
    assert _number(db, T0) == "CC-20261128-0001"


def event(source: str = "suishoupai", source_id: str = "r-1", **over: object) -> Event:
    base = Event(
        source=source, source_id=source_id, kind=EventKind.REPORT,
        occurred_at=datetime(2026, 11, 28, 16, 58, tzinfo=SH), category="0501",
        severity=Severity.MINOR, location=Location(32.0305, 120.8702, "民安花苑北门"),
        title="流动摊贩", description="三轮车", media=("https://example.org/a.jpg",),
        device="cam-7", measurements={"a34041": {"value": 2.6, "unit": "mg/m3", "flag": "N"}},
        reporter="138****0000", raw={"original": [1, 2, 3]},
    )
    return replace(base, **over)  # type: ignore[arg-type]


def insert_new(repo: EventRepo, event: Event, received_at: datetime) -> int | None:
    """One event through the writer's set insert: its id, or None for a duplicate."""
    return repo.insert_new_many([(event, received_at)]).get((event.source, event.source_id))


def test_duplicate_event_is_not_stored_twice(db: Database) -> None:
    with db.write() as s:
        repo = EventRepo(s)
        first = insert_new(repo, event(), T0)
        again = insert_new(repo, event(title="重发的同一条"), T0 + timedelta(seconds=5))
        other_source = insert_new(repo, event(source="12345"), T0)
    assert first is not None
    assert again is None
    assert other_source is not None and other_source != first
    with db.write() as s:  # a redelivery in a later transaction
        assert insert_new(EventRepo(s), event(), T0 + timedelta(minutes=1)) is None
    with db.read() as s:
        assert EventRepo(s).count() == 2


def test_event_round_trip_through_its_case(db: Database) -> None:
    with db.write() as s:
        case = CaseRepo(s).add(full_case())
        events = EventRepo(s)
        later = insert_new(events, event(source_id="r-2", occurred_at=T0 + timedelta(hours=1)),
                           T0)
        earlier = insert_new(events, event(), T0 + timedelta(seconds=3))
        for event_id in (later, earlier):
            events.link(event_id or 0, case.id or 0)
    with db.read() as s:
        stored = EventRepo(s).for_case(case.id or 0)
    assert [e.source_id for _, e in stored] == ["r-1", "r-2"]  # in order of occurrence
    received, first = stored[0]
    assert received == T0 + timedelta(seconds=3)
    assert first == event()


def test_units_are_upserted(db: Database) -> None:
    unit = Unit("u-1", "张伟", squad="城东中队", lat=32.03, lon=120.87, position_at=T0)
    with db.write() as s:
        UnitRepo(s).save(unit)
        UnitRepo(s).save(replace(unit, status=UnitStatus.EN_ROUTE, lat=32.04))
        UnitRepo(s).save(Unit("u-0", "李强"))
    with db.read() as s:
        assert UnitRepo(s).get("u-1") == replace(unit, status=UnitStatus.EN_ROUTE, lat=32.04)
        assert [u.id for u in UnitRepo(s).all()] == ["u-0", "u-1"]
        assert UnitRepo(s).get("nobody") is None


def test_quarantine_keeps_the_raw_bytes(db: Database) -> None:
    with db.write() as s:
        QuarantineRepo(s).add(T0, "cc/v1/event/x" * 30, "encoding", "not UTF-8", b"\xff\xfe\x00")
    with db.read() as s:
        assert QuarantineRepo(s).count() == 1
