"""The demo scenario: what it sends must be what real devices and the officer app send."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime, timedelta, timezone
from itertools import pairwise
from typing import Any

import pytest

from commandcenter.domain.event import CASE_KINDS, Event, EventKind, parse_instant
from commandcenter.domain.geo import haversine_m
from commandcenter.domain.unit import UnitStatus
from commandcenter.sim import InvalidDispatch, Scenario
from commandcenter.sim.places import Place, in_district

CST = timezone(timedelta(hours=8))
START = datetime(2026, 11, 28, 8, 0, tzinfo=CST)
UNIT_REPLIES = {"accepted", "rejected", "en_route", "on_scene", "handled", "available",
                "off_duty"}

Message = tuple[str, bytes]


def minutes(n: float) -> datetime:
    return START + timedelta(minutes=n)


def run(seed: int = 1, rate: float = 1.0, until: float = 30.0, step_s: int | None = None,
        **kw: Any) -> list[Message]:
    scenario = Scenario(seed, rate, start=START, **kw)
    if step_s is None:
        return scenario.advance(minutes(until))
    out: list[Message] = []
    now = START
    while now < minutes(until):
        now = min(now + timedelta(seconds=step_s), minutes(until))
        out += scenario.advance(now)
    return out


def events(messages: list[Message]) -> list[Event]:
    return [Event.from_json(json.loads(p)) for t, p in messages if "/event/" in t]


def signals(messages: list[Message]) -> list[Event]:
    return [e for e in events(messages) if e.kind in CASE_KINDS]


def stamp_of(topic: str, payload: bytes) -> datetime:
    data = json.loads(payload)
    return parse_instant(data["occurred_at"] if "/event/" in topic else data["ts"], "ts")


def dispatch(case_id: str, place: Place, category: str = "0501") -> bytes:
    return json.dumps({
        "case_id": case_id, "title": f"{place.name}占道经营", "category": category,
        "location": {"lat": place.lat, "lon": place.lon, "crs": "wgs84"},
        "deadlines": {"arrive": minutes(30).isoformat()}, "note": "请尽快处置", "by": "dispatcher1",
    }, ensure_ascii=False).encode()


def unit_messages(messages: list[Message], unit: str) -> list[tuple[str, dict[str, Any]]]:
    prefix = f"cc/v1/unit/{unit}/"
    return [(t.removeprefix(prefix), json.loads(p)) for t, p in messages if t.startswith(prefix)]


def statuses(messages: list[Message], unit: str) -> list[dict[str, Any]]:
    return [d for kind, d in unit_messages(messages, unit) if kind == "status"]


# -- determinism ---------------------------------------------------------------------------------


def test_same_seed_gives_the_same_messages_however_time_is_sliced() -> None:
    whole = run(seed=7)
    assert whole == run(seed=7)
    assert whole == run(seed=7, step_s=7)  # a demo ticking every few seconds sees the same


def test_different_seeds_give_different_messages() -> None:
    assert run(seed=1) != run(seed=2)


def test_dispatches_replay_identically() -> None:
    def once() -> list[Message]:
        scenario = Scenario(5, start=START)
        out = scenario.advance(minutes(2))
        place = scenario.places.find("民安花苑")
        assert place is not None
        scenario.on_dispatch("u-cd-02", dispatch("CC-20261128-0007", place), minutes(2))
        return out + scenario.advance(minutes(40))

    assert once() == once()


# -- wire shape ----------------------------------------------------------------------------------


def test_every_message_is_valid_on_the_wire_and_inside_the_district() -> None:
    messages = run(seed=3, rate=3.0, until=60)
    assert messages
    for topic, payload in messages:
        data = json.loads(payload.decode("utf-8"))
        parts = topic.split("/")
        assert parts[:2] == ["cc", "v1"]
        if parts[2] == "event":
            event = Event.from_json(data)
            assert event.source == parts[3]
            assert event.location is not None and event.location.address
            assert in_district(event.location.lat, event.location.lon), event
            assert event.occurred_at.utcoffset() == timedelta(hours=8)
            for url in event.media:
                assert url.startswith("https://demo.invalid/")
        else:
            assert parts[2] == "unit" and parts[4] in ("status", "location")
            assert parse_instant(data["ts"], "ts").utcoffset() is not None
            if parts[4] == "status":
                assert data["status"] in UNIT_REPLIES
            else:
                assert data["crs"] == "wgs84"
                assert in_district(data["lat"], data["lon"]), data
                assert data["speed"] >= 0


def test_messages_carry_their_due_time_in_order() -> None:
    scenario = Scenario(2, 2.0, start=START)
    previous, seen = START, START
    for step in range(1, 13):
        now = minutes(5 * step)
        for topic, payload in scenario.advance(now):
            at = stamp_of(topic, payload)
            assert previous < at <= now  # due in this slice, stamped with its own time
            assert at >= seen  # time order
            seen = at
        previous = now


def test_going_back_in_time_returns_nothing() -> None:
    scenario = Scenario(1, start=START)
    assert scenario.advance(minutes(10))
    assert scenario.advance(minutes(5)) == []


def test_source_ids_are_unique_within_a_source() -> None:
    keys = [e.key for e in events(run(seed=4, rate=10.0, until=60))]
    assert len(keys) == len(set(keys))


def test_topic_prefix_is_configurable() -> None:
    messages = run(seed=1, until=5, prefix="hall/cc")
    assert messages
    assert all(t.startswith("hall/cc/event/") or t.startswith("hall/cc/unit/")
               for t, _ in messages)


# -- rate ----------------------------------------------------------------------------------------


def test_rate_scales_the_case_worthy_signals() -> None:
    seeds = range(1, 5)
    slow = sum(len(signals(run(seed=s, rate=1.0, until=30))) for s in seeds)
    fast = sum(len(signals(run(seed=s, rate=10.0, until=30))) for s in seeds)
    # About 1.5 signals a minute at rate 1: 4 runs × 30 min ≈ 180.
    assert 120 <= slow <= 240
    assert 7.5 <= fast / slow <= 12.5


def test_rate_zero_keeps_telemetry_but_sends_no_signals() -> None:
    messages = run(seed=1, rate=0.0, until=30)
    assert signals(messages) == []
    assert any(e.kind is EventKind.READING for e in events(messages))
    assert any(t.endswith("/location") for t, _ in messages)


def test_negative_rate_and_naive_start_are_refused() -> None:
    with pytest.raises(ValueError):
        Scenario(1, -1.0, start=START)
    with pytest.raises(ValueError):
        Scenario(1, start=datetime(2026, 11, 28, 8, 0))


# -- signals -------------------------------------------------------------------------------------


def test_signals_come_from_every_source() -> None:
    found = {(e.source, e.kind) for e in signals(run(seed=1, rate=5.0, until=120))}
    assert {("suishoupai", EventKind.REPORT), ("qrcode", EventKind.REPORT),
            ("camera", EventKind.CAMERA), ("oilfume", EventKind.ALARM)} <= found


def test_suishoupai_is_gcj02_on_the_wire_and_the_place_in_wgs84_after_decoding() -> None:
    scenario = Scenario(6, 3.0, start=START)
    messages = scenario.advance(minutes(90))
    originals: set[tuple[str, str]] = set()
    checked = 0
    for topic, payload in messages:
        if not topic.endswith("/event/suishoupai"):
            continue
        data = json.loads(payload)
        assert data["location"]["crs"] == "gcj02"
        assert data["reporter"][3:7] == "****" and len(data["reporter"]) == 11
        assert len(data["media"]) == 1
        event = Event.from_json(data)
        assert event.location is not None and event.location.address
        place = scenario.places.find(event.location.address)
        assert place is not None
        # The datum shift near 南通 is hundreds of metres: the payload is really GCJ-02 ...
        raw = haversine_m(data["location"]["lat"], data["location"]["lon"], place.lat, place.lon)
        assert raw > 100
        # ... and decoding puts it back on the place (a re-sent duplicate lands a bit off).
        error = haversine_m(event.location.lat, event.location.lon, place.lat, place.lon)
        words = (event.title, event.description)
        if words in originals:
            assert error < 50
        else:
            assert error < 1.0
            checked += 1
        originals.add(words)
    assert checked >= 20


def test_citizens_sometimes_resend_a_recent_report() -> None:
    reports = [e for e in events(run(seed=2, rate=5.0, until=120)) if e.source == "suishoupai"]
    first: dict[tuple[str, str], Event] = {}
    resent = 0
    for e in reports:
        words = (e.title, e.description)
        if words in first:
            original = first[words]
            assert e.source_id != original.source_id
            if e.reporter == original.reporter and e.occurred_at - original.occurred_at <= \
                    timedelta(minutes=30):
                assert e.location is not None and original.location is not None
                resent += 1
        else:
            first[words] = e
    assert resent >= 3


def test_crowd_gathering_is_critical_and_at_wanda() -> None:
    crowd = [e for e in signals(run(seed=1, rate=20.0, until=120)) if e.category == "0401"]
    assert crowd
    for e in crowd:
        assert e.kind is EventKind.CAMERA and e.severity.value == "critical"
        assert e.location is not None and "万达" in (e.location.address or "")
        assert e.media and e.device


# -- oil fume ------------------------------------------------------------------------------------


def test_an_exceedance_episode_raises_exactly_one_alarm() -> None:
    fume = [e for e in events(run(seed=1, rate=1.0, until=240)) if e.source == "oilfume"]
    by_device: dict[str, list[Event]] = defaultdict(list)
    for e in fume:
        assert e.device is not None and len(e.device) == 24
        by_device[e.device].append(e)
    episodes = 0
    for device, items in by_device.items():
        readings = [e for e in items if e.kind is EventKind.READING]
        alarms = [e for e in items if e.kind is EventKind.ALARM]
        assert all(abs((b.occurred_at - a.occurred_at).total_seconds() - 60) < 1
                   for a, b in pairwise(readings))
        runs: list[list[Event]] = []
        for r in readings:
            value = r.measurements["a34041"]["value"]
            assert 0.3 <= value <= 1.5 or 2.2 <= value <= 4.5
            if value > 2.0:
                if runs and runs[-1][-1].occurred_at == r.occurred_at - timedelta(minutes=1):
                    runs[-1].append(r)
                else:
                    runs.append([r])
        for alarm in alarms:
            assert alarm.category == "0601" and alarm.severity.value == "major"
            assert "mg/m³" in alarm.title and set(alarm.measurements) >= {"a34041", "a34000",
                                                                          "a24088"}
        for episode in runs:
            inside = [a for a in alarms
                      if episode[0].occurred_at <= a.occurred_at <= episode[-1].occurred_at]
            held = episode[-1].occurred_at - episode[0].occurred_at
            if held >= timedelta(minutes=3):
                assert len(inside) == 1, (device, episode[0].occurred_at)
                assert inside[0].occurred_at - episode[0].occurred_at >= timedelta(minutes=3)
                episodes += 1
            else:  # cut off by the end of the run
                assert inside == []
        assert len(alarms) == sum(
            1 for ep in runs if ep[-1].occurred_at - ep[0].occurred_at >= timedelta(minutes=3)
        )
    assert episodes >= 2


# -- officers ------------------------------------------------------------------------------------


def test_roster_is_the_squads_officers_available_at_their_base() -> None:
    scenario = Scenario(1, start=START)
    roster = scenario.roster()
    assert len(roster) == 12
    bases = {s.name: s.base for s in scenario.places.squads}
    assert set(bases) == {"城东中队", "和平桥中队", "文峰中队"}
    for unit in roster:
        assert unit.id.startswith("u-") and unit.name and unit.kind == "officer"
        assert unit.status is UnitStatus.AVAILABLE
        assert unit.squad in bases
        base = bases[unit.squad]
        assert (unit.lat, unit.lon) == (base.lat, base.lon)
        assert unit.position(START) == (base.lat, base.lon)


def test_idle_officers_patrol_near_their_base_every_half_minute() -> None:
    scenario = Scenario(1, start=START)
    messages = scenario.advance(minutes(30))
    base = scenario.places.squads[0].base
    fixes = [d for kind, d in unit_messages(messages, "u-cd-01") if kind == "location"]
    assert 50 <= len(fixes) <= 70
    assert all(haversine_m(d["lat"], d["lon"], base.lat, base.lon) < 700 for d in fixes)
    assert len({(d["lat"], d["lon"]) for d in fixes}) > 10  # actually moving


def test_a_dispatch_runs_the_whole_cycle_in_order() -> None:
    scenario = Scenario(3, start=START)
    scenario.advance(minutes(1))
    place = scenario.places.find("南通万达广场")
    assert place is not None
    case_id = "CC-20261128-0001"
    scenario.on_dispatch("u-hp-01", dispatch(case_id, place), minutes(1))
    messages = scenario.advance(minutes(60))
    mine = unit_messages(messages, "u-hp-01")
    replies = [d for kind, d in mine if kind == "status"]
    assert [d["status"] for d in replies] == ["accepted", "en_route", "on_scene", "handled",
                                              "available"]
    assert all(d["case_id"] == case_id for d in replies[:4])
    times = [parse_instant(d["ts"], "ts") for d in replies]
    assert times == sorted(times) and len(set(times)) == len(times)
    assert timedelta(seconds=15) <= times[0] - minutes(1) <= timedelta(seconds=90)
    assert timedelta(minutes=2) <= times[3] - times[2] <= timedelta(minutes=6)
    handled = replies[3]
    assert handled["note"] and handled["media"][0].startswith("https://demo.invalid/")

    # Riding: a fix every 10 s, getting closer at e-bike speed, arriving within 30 m.
    en_route_at, on_scene_at = times[1], times[2]
    ride = [d for kind, d in mine
            if kind == "location" and en_route_at < parse_instant(d["ts"], "ts") <= on_scene_at]
    assert len(ride) >= 5
    gaps = {(parse_instant(b["ts"], "ts") - parse_instant(a["ts"], "ts")).total_seconds()
            for a, b in pairwise(ride)}
    assert gaps == {10.0}
    distances = [haversine_m(d["lat"], d["lon"], place.lat, place.lon) for d in ride]
    assert distances == sorted(distances, reverse=True)
    assert distances[-1] <= 30
    assert all(12 / 3.6 - 0.1 <= d["speed"] <= 20 / 3.6 + 0.1 for d in ride[:-1])
    speed = (distances[0] - distances[-2]) / (10 * (len(ride) - 2))
    assert 12 / 3.6 * 0.9 <= speed <= 20 / 3.6 * 1.1

    # Timestamps overall never go backwards for this officer.
    stamps = [parse_instant(d["ts"], "ts") for _, d in mine]
    assert stamps == sorted(stamps)


def test_a_busy_officer_accepts_and_goes_after_the_current_case() -> None:
    scenario = Scenario(3, start=START)
    scenario.advance(minutes(1))
    wanda, market = scenario.places.find("南通万达广场"), scenario.places.find("怡园北村农贸市场")
    assert wanda is not None and market is not None
    scenario.on_dispatch("u-hp-01", dispatch("CC-20261128-0001", wanda), minutes(1))
    messages = scenario.advance(minutes(5))
    scenario.on_dispatch("u-hp-01", dispatch("CC-20261128-0002", market, "0502"), minutes(5))
    replies = statuses(messages + scenario.advance(minutes(90)), "u-hp-01")
    sequence = [(d["status"], d.get("case_id")) for d in replies]
    assert sequence == [
        ("accepted", "CC-20261128-0001"), ("en_route", "CC-20261128-0001"),
        ("accepted", "CC-20261128-0002"), ("on_scene", "CC-20261128-0001"),
        ("handled", "CC-20261128-0001"), ("en_route", "CC-20261128-0002"),
        ("on_scene", "CC-20261128-0002"), ("handled", "CC-20261128-0002"), ("available", None),
    ]
    assert replies[2]["note"]  # says it will come after the current case


def test_rejections_are_rare_and_final() -> None:
    rejected = accepted = 0
    for seed in range(60):
        scenario = Scenario(seed, 0.0, start=START)
        place = scenario.places.find("晨苑小区")
        assert place is not None
        for unit in scenario.roster()[:4]:
            scenario.on_dispatch(unit.id, dispatch(f"CC-20261128-{seed:04d}", place), START)
        replies = scenario.advance(minutes(3))
        for topic, payload in replies:
            data = json.loads(payload)
            if topic.endswith("/status") and data["status"] == "rejected":
                rejected += 1
                assert data["note"]
                refuser = topic.split("/")[3]
                later = statuses(scenario.advance(minutes(60)), refuser)
                assert later == []
            elif topic.endswith("/status") and data["status"] == "accepted":
                accepted += 1
    assert rejected + accepted == 240
    assert 2 <= rejected <= 30  # about 5 %


def test_a_redelivered_dispatch_is_answered_once() -> None:
    scenario = Scenario(3, start=START)
    place = scenario.places.find("融悦华庭")
    assert place is not None
    payload = dispatch("CC-20261128-0003", place)
    scenario.on_dispatch("u-wf-02", payload, START)
    scenario.on_dispatch("u-wf-02", payload, START + timedelta(seconds=5))
    replies = statuses(scenario.advance(minutes(60)), "u-wf-02")
    assert [d["status"] for d in replies].count("accepted") + \
        [d["status"] for d in replies].count("rejected") == 1


def test_dispatch_to_an_unknown_unit_is_ignored_and_bad_payloads_are_refused() -> None:
    scenario = Scenario(1, 0.0, start=START)
    scenario.on_dispatch("dept-gongan", b"not json", START)  # not ours: ignored
    assert not scenario.handles("dept-gongan") and scenario.handles("u-cd-01")
    with pytest.raises(InvalidDispatch):
        scenario.on_dispatch("u-cd-01", b"not json", START)
    with pytest.raises(InvalidDispatch):
        scenario.on_dispatch("u-cd-01", b'{"case_id": "CC-1", "location": {"lat": "x"}}', START)
    assert all("/status" not in t for t, _ in scenario.advance(minutes(10)))



def test_the_ingest_decoder_accepts_everything_the_scenario_sends() -> None:
    from commandcenter.ingest.decode import UnitPosition, UnitStatusReport, decode

    scenario = Scenario(2, 3.0, start=START, prefix="hall/cc")
    messages = scenario.advance(minutes(5))
    place = scenario.places.find("晨苑小区")
    assert place is not None
    scenario.on_dispatch("u-wf-03", dispatch("CC-20261128-0001", place), minutes(5))
    messages += scenario.advance(minutes(60))
    decoded = [decode(topic, payload, prefix="hall/cc") for topic, payload in messages]
    assert sum(isinstance(d, Event) for d in decoded) > 100
    assert sum(isinstance(d, UnitPosition) for d in decoded) > 1000
    assert [d.status for d in decoded if isinstance(d, UnitStatusReport)][-1] == "available"


def test_a_reworked_case_sent_again_to_the_same_officer_is_answered() -> None:
    scenario = Scenario(3, 0.0, start=START)
    place = scenario.places.find("融悦华庭")
    assert place is not None
    scenario.on_dispatch("u-wf-02", dispatch("CC-20261128-0003", place), START)
    assert "handled" in [d["status"] for d in statuses(scenario.advance(minutes(90)), "u-wf-02")]
    rework = json.loads(dispatch("CC-20261128-0003", place))
    rework["note"] = "核查未通过：现场仍有摊位未清理"
    scenario.on_dispatch("u-wf-02", json.dumps(rework).encode(), minutes(90))
    again = [d["status"] for d in statuses(scenario.advance(minutes(180)), "u-wf-02")]
    assert "accepted" in again or "rejected" in again
