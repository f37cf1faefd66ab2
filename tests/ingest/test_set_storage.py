"""Signals and position fixes stored as a set end exactly as if stored one by one (the careful
path), on SQLite and PostgreSQL: same case numbers, same duplicate proposals (also between
signals of one batch), same deadlines, event links and audit chain; same unit positions."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from commandcenter.config import Settings
from commandcenter.domain.unit import Unit
from commandcenter.hall import Hall, open_hall
from commandcenter.ingest.message import InboundMessage
from commandcenter.services import audit
from commandcenter.services.changes import Changes
from commandcenter.store.schema import (
    AuditRow,
    CaseRow,
    DeadlineRow,
    EventRow,
    QuarantineRow,
    UnitRow,
)
from tests.conftest import FakeClock, event_payload

TOPIC = "cc/v1/event/suishoupai"
SPOTS = [(32.0305, 120.8702), (32.0105, 120.8602), (32.0405, 120.8902), (31.9905, 120.9002)]
CATEGORIES = ["0501", "0502", "0503", "0401", "0101"]


def _hall(url: str, clock: FakeClock) -> Hall:
    h = open_hall(Settings(db_url=url))
    h.ctx.clock = clock
    h.cases.register_units([Unit(f"u-{i}", f"队员{i}", squad="城东中队", lat=32.03, lon=120.87,
                                 position_at=clock.now - timedelta(minutes=5))
                            for i in range(1, 4)])
    return h


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def two_halls(request: pytest.FixtureRequest, clock: FakeClock,
              tmp_path: Any) -> Iterator[tuple[Hall, Hall]]:
    """Two empty halls on the same kind of database: one stores as a set, one carefully."""
    if request.param == "sqlite":
        urls = [f"sqlite+pysqlite:///{tmp_path}/{name}.db" for name in ("set", "careful")]
    else:
        urls = [request.getfixturevalue("pg_url"), request.getfixturevalue("other_pg_url")]
    halls = [_hall(url, clock) for url in urls]
    yield halls[0], halls[1]
    for h in halls:
        h.close()


def reports(rng: random.Random, n: int, prefix: str) -> list[tuple[str, bytes]]:
    """Reports around a few spots (many within reach of each other), some without a place,
    some sent twice."""
    out: list[tuple[str, bytes]] = []
    for i in range(n):
        lat, lon = rng.choice(SPOTS)
        over: dict[str, object] = {"category": rng.choice(CATEGORIES),
                                   "title": f"{prefix} 第{i}条"}
        if rng.random() < 0.1:
            over["location"] = None
        else:
            over["location"] = {"lat": lat + rng.uniform(-0.0015, 0.0015),
                                "lon": lon + rng.uniform(-0.0015, 0.0015), "crs": "wgs84",
                                "address": f"地点{SPOTS.index((lat, lon))}"}
        payload = event_payload(source_id=f"{prefix}-{i}", **over)
        out.append((TOPIC, payload))
        if rng.random() < 0.08:
            out.append((TOPIC, payload))  # the same message again
    return out


def careful(hall: Hall, messages: list[InboundMessage]) -> Changes:
    """The writer's message-by-message path (each in a SAVEPOINT), as the reference."""
    writer = hall.ingest.writer
    routed = [writer._route(m) for m in messages]
    return writer._store(routed, hall.ctx.clock(), savepoints=True)


def outcome(hall: Hall) -> dict[str, Any]:
    """Everything stored, in terms that do not depend on row ids."""
    with hall.ctx.db.read() as s:
        cases = {r.id: r for r in s.scalars(select(CaseRow))}
        number = {i: r.number for i, r in cases.items()}
        deadlines: dict[str, list[tuple[str, Any]]] = {}
        for d in s.scalars(select(DeadlineRow)):
            deadlines.setdefault(number[d.case_id], []).append((d.kind, d.due))
        result = {
            "cases": sorted((r.number, r.category, r.title, r.state, r.priority, r.street,
                             number.get(r.duplicate_of or 0), r.duplicate_note, r.event_count,
                             r.next_due, r.lat, r.lon)
                            for r in cases.values()),
            "deadlines": {k: sorted(v) for k, v in deadlines.items()},
            "events": sorted((r.source, r.source_id, number.get(r.case_id or 0))
                             for r in s.scalars(select(EventRow))),
            "audit": [(r.action, number.get(r.case_id or 0), r.note,
                       json.dumps(r.after, sort_keys=True).replace(str(r.case_id), "#"))
                      for r in s.scalars(select(AuditRow).order_by(AuditRow.id))],
            "verified": audit.verify(s).ok,
            "units": sorted((r.id, r.status, r.lat, r.lon, r.position_at, r.case_id)
                            for r in s.scalars(select(UnitRow))),
            "quarantine": sorted((r.source, r.reason_code, bytes(r.payload))
                                 for r in s.scalars(select(QuarantineRow))),
        }
    return result


def test_a_batch_of_reports_ends_as_one_by_one(two_halls: tuple[Hall, Hall],
                                               clock: FakeClock) -> None:
    fast, slow = two_halls
    rng = random.Random(20261128)
    earlier = [InboundMessage(t, p, clock.now) for t, p in reports(rng, 12, "early")]
    for hall in (fast, slow):  # the same open cases in both before the batch under test
        hall.ingest.writer.process(earlier)
    clock.advance(minutes=4)
    batch = [InboundMessage(t, p, clock.now) for t, p in reports(rng, 120, "batch")]

    got = fast.ingest.writer.process(batch)
    want = careful(slow, batch)

    assert (got.events_stored, got.duplicates, len(got.new_case_ids)) == (
        want.events_stored, want.duplicates, len(want.new_case_ids))
    assert got.duplicates > 0
    ours, reference = outcome(fast), outcome(slow)
    assert ours == reference
    assert reference["verified"]
    proposed = [c for c in reference["cases"] if c[6] is not None]
    within_batch = [c for c in proposed if c[6] > "CC-20261128-0012"]
    assert proposed and within_batch  # the batch exercised both kinds of proposal


def test_other_messages_keep_their_place_in_the_batch(two_halls: tuple[Hall, Hall],
                                                      clock: FakeClock) -> None:
    """A reading and device alarms between reports go one by one, after the reports gathered
    before them: numbers, proposals and the audit chain stay in message order."""
    fast, slow = two_halls
    rng = random.Random(7)
    alarm = event_payload(source="hj212", source_id="alarm-1", kind="alarm", device="MN-1",
                          category="0601", severity="major", title="油烟浓度超标")
    reading = event_payload(source="hj212", source_id="reading-1", kind="reading",
                            device="MN-1", category=None,
                            measurements={"a34041": {"value": 1.1, "unit": "mg/m3"}})
    device = "cc/v1/event/hj212"
    messages = [*reports(rng, 6, "a"), (device, alarm), *reports(rng, 5, "b"),
                (device, reading), (device, alarm.replace(b"alarm-1", b"alarm-2")),
                *reports(rng, 6, "c")]
    batch = [InboundMessage(t, p, clock.now) for t, p in messages]

    got = fast.ingest.writer.process(batch)
    want = careful(slow, batch)

    assert (got.events_stored, got.duplicates, got.quarantined) == (
        want.events_stored, want.duplicates, want.quarantined)
    assert got.quarantined == 0
    assert outcome(fast) == outcome(slow)


def fix(unit: str, clock: FakeClock, seconds: float, lat: float = 32.02) -> tuple[str, bytes]:
    at = clock.now + timedelta(seconds=seconds)
    body = {"lat": lat + seconds / 1e4, "lon": 120.88, "crs": "wgs84", "ts": at.isoformat()}
    return f"cc/v1/unit/{unit}/location", json.dumps(body).encode()


def test_position_fixes_end_as_one_by_one(two_halls: tuple[Hall, Hall],
                                          clock: FakeClock) -> None:
    """Fixes from several officers, out of order, repeated, from an unregistered unit, with a
    status reply and reports between them."""
    fast, slow = two_halls
    status = json.dumps({"status": "off_duty", "ts": clock.now.isoformat()}).encode()
    messages = [
        fix("u-1", clock, 10), fix("u-2", clock, 5), fix("u-1", clock, 30),
        fix("u-1", clock, 20),  # late: older than the fix before it, must not move u-1 back
        fix("u-2", clock, 5),  # the same fix again
        fix("u-9", clock, 7),  # nobody registered u-9
        *reports(random.Random(5), 5, "r"),
        ("cc/v1/unit/u-3/status", status), fix("u-3", clock, 40),
        fix("u-2", clock, -600),  # older than the position registered with the unit
        fix("u-1", clock, 50), *reports(random.Random(6), 4, "s"),
    ]
    batch = [InboundMessage(t, p, clock.now) for t, p in messages]

    got = fast.ingest.writer.process(batch)
    want = careful(slow, batch)

    assert (got.events_stored, got.duplicates, got.quarantined) == (
        want.events_stored, want.duplicates, want.quarantined) == (17, 1, 1)
    assert {u: (c.lat, c.position_at, c.status) for u, c in got.units.items()} == {
        u: (c.lat, c.position_at, c.status) for u, c in want.units.items()}
    stored = outcome(fast)
    assert stored == outcome(slow)
    positions = {u[0]: u[4] for u in stored["units"]}
    assert positions["u-1"] == clock.now + timedelta(seconds=50)
    assert positions["u-2"] == clock.now + timedelta(seconds=5)
    assert [q[1] for q in stored["quarantine"]] == ["unknown_unit"]


def test_monitor_readings_end_as_one_by_one(two_halls: tuple[Hall, Hall],
                                            clock: FakeClock) -> None:
    """Alarm states are stepped in memory through a batch's readings: each reading must see
    the state the one before it left, a raise must open its case in message order (between
    the reports around it), a silent monitor's offline alarm must clear."""
    from commandcenter.store.site_repo import AlarmRepo

    def reading(device: str, n: int, value: float) -> tuple[str, bytes]:
        payload = event_payload(
            source="hj212", source_id=f"{device}/{n}", kind="reading", device=device,
            category=None, occurred_at=(clock.now + timedelta(minutes=n)).isoformat(),
            measurements={"a34041": {"value": value, "unit": "mg/m3"}})
        return "cc/v1/event/hj212", payload

    fast, slow = two_halls
    for hall in (fast, slow):  # MN2 fell silent earlier: its offline alarm is active
        with hall.ctx.db.write() as s:
            from commandcenter.domain.alarm import AlarmPhase, AlarmState

            AlarmRepo(s).save(AlarmState("MN2", "offline", AlarmPhase.ACTIVE,
                                         since=clock.now, raised_at=clock.now, count=1))
    values = [1.0, 2.6, 2.9, 3.4, 3.1, 2.8, 1.2, 1.0, 1.1, 1.0, 1.0, 1.0, 1.0, 2.5, 2.7]
    messages = [reading("MN1", n, v) for n, v in enumerate(values)]
    messages[5:5] = reports(random.Random(9), 3, "before")
    messages += [reading("MN2", 1, 0.4), reading("MN1", 3, 3.4),  # MN1/3 again: a duplicate
                 *reports(random.Random(10), 2, "after")]
    batch = [InboundMessage(t, p, clock.now) for t, p in messages]

    got = fast.ingest.writer.process(batch)
    want = careful(slow, batch)

    def alarms(hall: Hall) -> list[object]:
        with hall.ctx.db.read() as s:
            return sorted(AlarmRepo(s).all(), key=lambda a: (a.device, a.alarm_type))

    assert (got.events_stored, got.duplicates) == (want.events_stored, want.duplicates)
    assert got.duplicates >= 1  # MN1/3 sent twice
    assert alarms(fast) == alarms(slow)
    stored = outcome(fast)
    assert stored == outcome(slow)
    assert any(c[1] == "0601" for c in stored["cases"])  # MN1 did raise
    offline = [a for a in alarms(fast) if a.device == "MN2"]  # type: ignore[attr-defined]
    assert [a.phase.value for a in offline] == ["normal", "normal"]  # type: ignore[attr-defined]
