"""远程喊话 against real databases (SQLite, PostgreSQL) and a real Mosquitto: the say message
leaves only after the commit, acks and outcomes are recorded and audited, persuasions are counted
per category, street and year."""

from __future__ import annotations

import json
import queue
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest

import commandcenter.store.speaker_schema  # noqa: F401  (until schema.py imports it)
from commandcenter.config import Settings
from commandcenter.domain.errors import InvalidEvent, KnownError
from commandcenter.domain.speaker import (
    AckStatus,
    InvalidAnnouncement,
    Outcome,
    SpeakerError,
    UnknownAnnouncement,
    UnknownSpeaker,
    load_registry,
    nearest_speakers,
)
from commandcenter.hall import Hall, open_hall
from commandcenter.ingest.broker_url import BrokerUrl
from commandcenter.ingest.message import InboundMessage
from commandcenter.ingest.mqtt import MqttLink
from commandcenter.services import audit
from commandcenter.services.actor import DISPATCHER, Actor
from commandcenter.services.speakers import SpeakerService
from commandcenter.sim.places import load_places
from commandcenter.store.repositories import NotFound
from commandcenter.store.speaker_repo import AnnouncementRepo
from tests.conftest import FakeClock, event_payload

LI = Actor("user:li", "李调度", frozenset({DISPATCHER}))
REGISTRY = load_registry()
SPK = {s.id: s for s in REGISTRY.speakers}


@dataclass
class SpeakerHall:
    hall: Hall
    service: SpeakerService
    clock: FakeClock
    sent: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    # what a fresh read transaction saw of each request at the moment it was published
    stored_when_sent: list[bool] = field(default_factory=list)

    def case(self, source_id: str = "r-1", *, category: str = "0501",
             at: tuple[float, float] = (32.0305, 120.8702)) -> int:
        payload = event_payload(source_id=source_id, category=category,
                                location={"lat": at[0], "lon": at[1], "crs": "wgs84",
                                          "address": "测试地址"})
        changes = self.hall.ingest.process_now(
            [InboundMessage("cc/v1/event/suishoupai", payload, self.clock.now)])
        (case_id,) = changes.new_case_ids
        return case_id

    def audit_count(self) -> int:
        with self.hall.ctx.db.read() as session:
            return audit.verify(session).entries

    def ack(self, speaker_id: str, request_id: str, status: str = "played",
            ts: str = "2026-11-28T17:00:05+08:00") -> Any:
        body = {"request_id": request_id, "status": status, "ts": ts}
        return self.service.acknowledge(speaker_id, json.dumps(body).encode())


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def sh(request: pytest.FixtureRequest, clock: FakeClock) -> Iterator[SpeakerHall]:
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")
    hall = open_hall(Settings(db_url=url))
    hall.ctx.clock = clock
    out = SpeakerHall(hall, SpeakerService(hall.ctx, hall.outbox), clock)

    def publish(topic: str, payload: bytes) -> None:
        body = json.loads(payload)
        out.sent.append((topic, body))
        with hall.ctx.db.read() as session:  # another connection: sees only committed rows
            out.stored_when_sent.append(
                AnnouncementRepo(session).get(body["request_id"]) is not None)

    hall.outbox.set_publisher(publish)
    yield out
    hall.close()


# --- the registry -------------------------------------------------------------------------
def test_shipped_registry_sits_on_the_demo_places_and_streets(sh: SpeakerHall) -> None:
    district, catalog = sh.hall.ctx.district, sh.hall.ctx.catalog
    assert len(REGISTRY.speakers) >= 8
    for speaker in REGISTRY.speakers:
        assert district.street_at(speaker.lat, speaker.lon) == speaker.street, speaker.id
    cameras = {c.id: c for c in load_places().cameras}
    for speaker in REGISTRY.speakers:
        if speaker.camera_id is not None:
            camera = cameras[speaker.camera_id]  # a camera that exists in places.toml
            assert (camera.place.lat, camera.place.lon) == (speaker.lat, speaker.lon)
    assert all(catalog.get(code) is not None for code in REGISTRY.phrases)
    assert REGISTRY.phrases_for("0501")[0] == "请勿占道经营，请立即整改"
    assert REGISTRY.phrases_for("0502")[0] == "请勿店外经营，请将物品移回店内"
    assert REGISTRY.phrases_for("0503")[0] == "此处禁止停车，请立即驶离"
    assert REGISTRY.phrases_for("0504")[0] == "请勿露天烧烤"
    assert REGISTRY.phrases_for("0401")[0] == "人员密集，请注意安全，有序通行"
    everything = REGISTRY.phrases_for("0101")  # no own phrase: still every phrase, once
    assert len(everything) == len(set(everything)) and "请勿露天烧烤" in everything
    assert REGISTRY.for_camera("32061300001310000004") == SPK["spk-01"]


def test_nearest_speakers_come_nearest_first_with_metres() -> None:
    market = SPK["spk-01"]
    ranked = nearest_speakers(market.lat + 0.0009, market.lon, REGISTRY.speakers, n=3)
    assert ranked[0][0].id == "spk-01"
    assert 95 < ranked[0][1] < 105  # 0.0009° of latitude ≈ 100 m
    assert [d for _, d in ranked] == sorted(d for _, d in ranked) and len(ranked) == 3
    assert nearest_speakers(32.0, 120.87, REGISTRY.speakers, n=0) == []


@pytest.mark.parametrize(("text", "problem"), [
    ("id = \"spk 1\"", "MQTT topic level"),
    ("lat = 132.0", "lat must be a WGS-84 number"),
    ("street = \"\"", "street is missing or empty"),
])
def test_a_broken_registry_names_the_entry(tmp_path: Any, text: str, problem: str) -> None:
    good = {"id": '"spk-x"', "name": '"测试"', "lat": "32.0", "lon": "120.87",
            "street": '"和平桥街道"'}
    key = text.split(" = ")[0]
    good[key] = text.split(" = ", 1)[1]
    path = tmp_path / "speakers.toml"
    path.write_text("[[speaker]]\n" + "".join(f"{k} = {v}\n" for k, v in good.items()),
                    encoding="utf-8")
    with pytest.raises(SpeakerError, match="speaker #1") as info:
        load_registry(path)
    assert problem in str(info.value) and isinstance(info.value, KnownError)


# --- say ----------------------------------------------------------------------------------
def test_say_is_sent_after_the_commit_with_the_wire_contract(sh: SpeakerHall) -> None:
    case_id = sh.case()
    before = sh.audit_count()
    ann = sh.service.say(case_id, "spk-09", "  请勿占道经营，\n请立即整改 ", 3, LI)
    assert ann.text == "请勿占道经营， 请立即整改" and ann.repeat == 3 and ann.by == "user:li"
    assert len(ann.request_id) == 32 and int(ann.request_id, 16) >= 0
    assert ann.sent_at == sh.clock.now and ann.awaiting_ack and ann.outcome is None
    assert sh.sent == [("cc/v1/speaker/spk-09/say",
                        {"request_id": ann.request_id, "text": ann.text, "repeat": 3})]
    assert sh.stored_when_sent == [True], "published before the request was committed"
    assert sh.service.history(case_id) == [ann]
    assert sh.audit_count() == before + 1


@pytest.mark.parametrize(("speaker", "text", "repeat", "error", "message"), [
    ("spk-01", "   ", 2, InvalidAnnouncement, "喊话内容不能为空"),
    ("spk-01", "请" * 201, 2, InvalidAnnouncement, "最多 200 字，现有 201 字"),
    ("spk-01", "请勿\x00占道", 2, InvalidAnnouncement, "控制字符"),
    ("spk-01", "请勿占道", 0, InvalidAnnouncement, "播放次数应为 1–10 次，收到 0 次"),
    ("spk-01", "请勿占道", 11, InvalidAnnouncement, "收到 11 次"),
    ("spk-01", "请勿占道", True, InvalidAnnouncement, "必须是整数"),
    ("spk-99", "请勿占道", 2, UnknownSpeaker, "喇叭 spk-99 不在喇叭登记表中"),
])
def test_say_refuses_what_a_speaker_cannot_play(sh: SpeakerHall, speaker: str, text: str,
                                                repeat: int, error: type[Exception],
                                                message: str) -> None:
    case_id = sh.case()
    before = sh.audit_count()
    with pytest.raises(error, match=message) as info:
        sh.service.say(case_id, speaker, text, repeat, LI)
    assert isinstance(info.value, KnownError)  # shown to the dispatcher as it is
    assert sh.sent == [] and sh.service.history(case_id) == [] and sh.audit_count() == before


def test_say_for_a_missing_case_stores_and_sends_nothing(sh: SpeakerHall) -> None:
    with pytest.raises(NotFound, match="案件 4242 不存在"):
        sh.service.say(4242, "spk-01", "请勿占道经营", 1, LI)
    assert sh.sent == [] and sh.audit_count() == 0


def test_the_limits_themselves_are_accepted(sh: SpeakerHall) -> None:
    ann = sh.service.say(sh.case(), "spk-01", "请" * 200, 10, LI)
    assert len(ann.text) == 200 and ann.repeat == 10 and len(sh.sent) == 1


def test_a_broken_link_does_not_undo_the_stored_request(sh: SpeakerHall) -> None:
    def down(_topic: str, _payload: bytes) -> None:
        raise ConnectionError("broker unreachable")

    sh.hall.outbox.set_publisher(down)
    case_id = sh.case()
    ann = sh.service.say(case_id, "spk-01", "请勿占道经营", 1, LI)
    assert sh.service.history(case_id) == [ann]  # the dispatcher can see it was not acked


# --- acks ---------------------------------------------------------------------------------
def test_ack_marks_the_request_played_once(sh: SpeakerHall) -> None:
    case_id = sh.case()
    ann = sh.service.say(case_id, "spk-09", "请勿占道经营，请立即整改", 2, LI)
    sh.clock.advance(seconds=7)
    acked = sh.ack("spk-09", ann.request_id, ts="2026-11-28T17:00:05+08:00")
    assert acked.ack_status is AckStatus.PLAYED and acked.played and not acked.awaiting_ack
    assert acked.acked_at == datetime(2026, 11, 28, 9, 0, 5, tzinfo=UTC)
    assert sh.service.get(ann.request_id) == acked
    entries = sh.audit_count()
    assert sh.ack("spk-09", ann.request_id, ts="2026-11-28T17:00:05+08:00") == acked
    assert sh.audit_count() == entries, "a redelivered ack (QoS 1) is not a second event"


def test_a_failed_play_is_recorded_and_takes_no_outcome(sh: SpeakerHall) -> None:
    ann = sh.service.say(sh.case(), "spk-01", "请勿占道经营，请立即整改", 1, LI)
    failed = sh.ack("spk-01", ann.request_id, status="failed")
    assert failed.ack_status is AckStatus.FAILED and not failed.played
    with pytest.raises(SpeakerError, match="播放失败，无法记录劝离结果"):
        sh.service.record_outcome(ann.request_id, Outcome.PERSUADED, LI)


def test_acks_for_unknown_or_foreign_requests_are_refused(sh: SpeakerHall) -> None:
    ann = sh.service.say(sh.case(), "spk-01", "请勿占道经营，请立即整改", 1, LI)
    with pytest.raises(UnknownAnnouncement, match="喇叭 spk-01 确认的喊话请求 abc123 不存在"):
        sh.ack("spk-01", "abc123")
    with pytest.raises(UnknownAnnouncement, match="该请求发给了喇叭 spk-01"):
        sh.ack("spk-02", ann.request_id)
    assert sh.service.get(ann.request_id).awaiting_ack


@pytest.mark.parametrize(("payload", "message"), [
    (b"played", "not JSON"),
    (b"\xff\xfe", "not UTF-8"),
    (b"[]", "expected a JSON object"),
    (b'{"status": "played", "ts": "2026-11-28T17:00:05+08:00"}', "request_id: missing"),
    (b'{"request_id": "ab/c", "status": "played", "ts": "2026-11-28T17:00:05+08:00"}',
     "is not a request id"),
    (b'{"request_id": "abc", "status": "ok", "ts": "2026-11-28T17:00:05+08:00"}',
     "status: 'ok' is not one of played, failed"),
    (b'{"request_id": "abc", "status": "played"}', "ts: missing"),
    (b'{"request_id": "abc", "status": "played", "ts": "2026-11-28T17:00:05"}',
     "has no UTC offset"),
])
def test_malformed_acks_say_what_is_wrong(sh: SpeakerHall, payload: bytes, message: str) -> None:
    with pytest.raises(InvalidEvent, match=message):
        sh.service.acknowledge("spk-01", payload)


# --- outcomes and counts ------------------------------------------------------------------
def test_persuasions_are_counted_per_category_street_and_local_year(sh: SpeakerHall) -> None:
    vendor = sh.case("r-vendor", category="0501", at=(SPK["spk-01"].lat, SPK["spk-01"].lon))
    parking = sh.case("r-parking", category="0503", at=(SPK["spk-04"].lat, SPK["spk-04"].lon))
    stubborn = sh.case("r-stubborn", category="0501", at=(SPK["spk-02"].lat, SPK["spk-02"].lon))
    old = sh.case("r-old", category="0502", at=(SPK["spk-06"].lat, SPK["spk-06"].lon))

    def warn(case_id: int, speaker: str, outcome: Outcome, at: datetime) -> str:
        sh.clock.now = at
        request_id = sh.service.say(case_id, speaker, "请立即整改", 1, LI).request_id
        sh.service.record_outcome(request_id, outcome, LI)
        return request_id

    # 23:59 on 31 December in 南通 is still 2025; 00:01 is 2026 (the hall's calendar, not UTC).
    warn(old, "spk-06", Outcome.PERSUADED, datetime(2025, 12, 31, 15, 59, tzinfo=UTC))
    warn(vendor, "spk-01", Outcome.NOT_PERSUADED, datetime(2025, 12, 31, 16, 1, tzinfo=UTC))
    warn(vendor, "spk-01", Outcome.PERSUADED, datetime(2026, 3, 2, 2, 0, tzinfo=UTC))
    warn(vendor, "spk-01", Outcome.PERSUADED, datetime(2026, 3, 2, 2, 5, tzinfo=UTC))
    warn(parking, "spk-04", Outcome.PERSUADED, datetime(2026, 7, 1, 10, 0, tzinfo=UTC))
    corrected = warn(stubborn, "spk-02", Outcome.PERSUADED, datetime(2026, 8, 1, tzinfo=UTC))
    sh.service.record_outcome(corrected, "not_persuaded", LI)  # clicked the wrong button

    assert sh.service.persuasion_counts(2026) == {
        "total": 2,  # the vendor case counts once, however many warnings it took
        "by_category": {"0501": 1, "0503": 1},
        "by_street": {"和平桥街道": 1, "学田街道": 1},
    }
    assert sh.service.persuasion_counts(2025) == {
        "total": 1, "by_category": {"0502": 1}, "by_street": {"任港街道": 1}}
    assert sh.service.persuasion_counts(None)["total"] == 3
    assert sh.service.persuasion_counts(2024) == {"total": 0, "by_category": {},
                                                  "by_street": {}}


def test_outcome_needs_a_known_request_and_a_known_result(sh: SpeakerHall) -> None:
    ann = sh.service.say(sh.case(), "spk-01", "请勿占道经营", 1, LI)
    with pytest.raises(UnknownAnnouncement, match="喊话请求 nope 不存在"):
        sh.service.record_outcome("nope", Outcome.PERSUADED, LI)
    with pytest.raises(InvalidAnnouncement, match="劝离结果应为 persuaded 或 not_persuaded"):
        sh.service.record_outcome(ann.request_id, "gone", LI)
    recorded = sh.service.record_outcome(ann.request_id, Outcome.PERSUADED, LI)
    assert recorded.outcome is Outcome.PERSUADED and recorded.outcome_by == "user:li"
    entries = sh.audit_count()
    assert sh.service.record_outcome(ann.request_id, "persuaded", LI) == recorded
    assert sh.audit_count() == entries, "recording the same result twice is one entry"


def test_the_case_timeline_shows_the_warning_and_the_audit_chain_holds(sh: SpeakerHall) -> None:
    case_id = sh.case()
    ann = sh.service.say(case_id, "spk-09", "请勿占道经营，请立即整改", 2, LI)
    sh.ack("spk-09", ann.request_id)
    sh.service.record_outcome(ann.request_id, Outcome.PERSUADED, LI)
    timeline = sh.hall.cases.detail(case_id).timeline
    assert [(e.actor, e.action, e.note) for e in timeline[-3:]] == [
        ("user:li", "speaker_say", "请勿占道经营，请立即整改"),
        ("speaker:spk-09", "speaker_ack", "喇叭已播放"),
        ("user:li", "speaker_outcome", "劝离成功"),
    ]
    with sh.hall.ctx.db.read() as session:
        result = audit.verify(session)
    assert result.ok and result.entries == len(timeline)


def test_history_lists_every_warning_of_the_case_in_order(sh: SpeakerHall) -> None:
    case_id, other = sh.case("r-1"), sh.case("r-2", at=(32.0172, 120.8765))
    first = sh.service.say(case_id, "spk-09", "请勿占道经营", 1, LI)
    sh.clock.advance(minutes=2)
    sh.service.say(other, "spk-01", "请勿占道经营", 1, LI)
    second = sh.service.say(case_id, "spk-01", "流动摊贩请勿在此处经营，请立即离开", 3, LI)
    assert [a.request_id for a in sh.service.history(case_id)] == [first.request_id,
                                                                    second.request_id]
    nearest = sh.service.nearest(sh.hall.cases.detail(other).case)
    assert nearest[0][0].id == "spk-01" and nearest[0][1] < 1


# --- a real broker --------------------------------------------------------------------------
def wait_for(predicate: Callable[[], bool], timeout: float = 20.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def until_delivered(sender: MqttLink, topic: str, inbox: queue.SimpleQueue[InboundMessage],
                    receiver: MqttLink, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        sender.publish(topic, b"{}")
        try:
            msg = inbox.get(timeout=0.2)
        except queue.Empty:
            continue
        receiver.ack([msg])
        while True:  # drop the further probes still in flight
            try:
                receiver.ack([inbox.get(timeout=0.3)])
            except queue.Empty:
                return
    raise AssertionError(f"nothing arrived on {topic} in {timeout} s")


@pytest.mark.broker
def test_a_speaker_on_a_real_broker_plays_and_acknowledges(mosquitto: Any, sqlite_url: str,
                                                           clock: FakeClock) -> None:
    """The console publishes `say` through its MQTT link; a simulated speaker subscribed to
    `cc/v1/speaker/+/say` answers on `.../ack`; the ack, routed to the service, marks it played."""
    url = BrokerUrl.parse(mosquitto.url)
    heard: queue.SimpleQueue[InboundMessage] = queue.SimpleQueue()
    acks: queue.SimpleQueue[InboundMessage] = queue.SimpleQueue()
    speaker = MqttLink(url, "test-speaker-spk-01", heard.put, topics=("speaker/+/say",))
    console = MqttLink(url, "test-console", acks.put, topics=("speaker/+/ack",))
    hall = open_hall(Settings(db_url=sqlite_url))
    hall.ctx.clock = clock
    try:
        for link in (speaker, console):
            link.start()
        wait_for(lambda: speaker.state().connected and console.state().connected, 10,
                 "both links connected")
        # Until each side's SUBACK is in, a message to it would be dropped: probe both ways.
        until_delivered(console, "cc/v1/speaker/probe/say", heard, speaker)
        until_delivered(speaker, "cc/v1/speaker/probe/ack", acks, console)
        hall.outbox.set_publisher(console.publish)
        service = SpeakerService(hall.ctx, hall.outbox)
        changes = hall.ingest.process_now(
            [InboundMessage("cc/v1/event/suishoupai", event_payload(), clock.now)])
        (case_id,) = changes.new_case_ids
        ann = service.say(case_id, "spk-01", "请勿占道经营，请立即整改", 3, LI)

        say = heard.get(timeout=10)  # the speaker side
        assert say.topic == "cc/v1/speaker/spk-01/say"
        assert json.loads(say.payload) == {"request_id": ann.request_id,
                                           "text": "请勿占道经营，请立即整改", "repeat": 3}
        speaker.ack([say])
        played_at = "2026-11-28T17:00:09+08:00"
        speaker.publish("cc/v1/speaker/spk-01/ack", json.dumps(
            {"request_id": ann.request_id, "status": "played", "ts": played_at}).encode())

        reply = acks.get(timeout=10)  # the console side; the integrator routes this via ingest
        console.ack([reply])
        _prefix, _speaker, speaker_id, leaf = reply.topic.rsplit("/", 3)
        assert (_speaker, speaker_id, leaf) == ("speaker", "spk-01", "ack")
        acked = service.acknowledge(speaker_id, reply.payload)
        assert acked.played and acked.acked_at == datetime(2026, 11, 28, 9, 0, 9, tzinfo=UTC)
        assert service.history(case_id) == [acked]
        assert console.flush(10) and speaker.flush(10)
    finally:
        speaker.stop()
        console.stop()
        hall.close()
