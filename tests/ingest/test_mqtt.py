"""Zero-loss ingest against a real Mosquitto: crashes, broker restarts, duplicates, bad input."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from commandcenter.config import Settings
from commandcenter.ingest.broker_url import BrokerUrl
from commandcenter.ingest.mqtt import MqttLink
from commandcenter.ingest.runner import IngestService, open_ingest
from tests.conftest import event_payload
from tests.support.mosquitto import Mosquitto

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.broker


def wait_for(predicate: Callable[[], bool], timeout: float = 60.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what or predicate}")


def count(db: Path, sql: str = "SELECT COUNT(*) FROM events") -> int:
    if not db.exists():
        return 0
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10) as conn:
        try:
            return int(conn.execute(sql).fetchone()[0])
        except sqlite3.OperationalError:  # schema not created yet
            return 0


def load_payload(i: int, source: str = "load") -> bytes:
    return event_payload(source=source, source_id=f"ev-{i:05d}", title=f"上报 {i}")


@pytest.fixture
def ingest(mosquitto: Mosquitto, sqlite_url: str) -> Iterator[IngestService]:
    service = open_ingest(Settings(db_url=sqlite_url), mosquitto.url, client_id="test-ingest")
    service.start()
    wait_for(lambda: service.link.state().connected, 10, "ingest connected")
    yield service
    service.stop()


def db_path(sqlite_url: str) -> Path:
    return Path(sqlite_url.removeprefix("sqlite+pysqlite:///"))


def test_sigkill_in_the_middle_loses_nothing(mosquitto: Mosquitto, publisher: MqttLink,
                                             tmp_path: Path) -> None:
    db = tmp_path / "cc.db"
    env = dict(os.environ, CC_DATA_DIR=str(tmp_path / "data"), CC_LOG_DIR=str(tmp_path / "log"),
               CC_CONFIG_DIR=str(tmp_path / "config"))
    command = [sys.executable, "-m", "commandcenter", "ingest", "--broker", mosquitto.url,
               "--db", f"sqlite+pysqlite:///{db}", "--client-id", "cc-ingest-crash-test"]
    log = tmp_path / "log" / "commandcenter-ingest.log"

    def start_ingest() -> subprocess.Popen[bytes]:
        offset = log.stat().st_size if log.exists() else 0
        proc = subprocess.Popen(command, cwd=ROOT, env=env)
        wait_for(lambda: log.exists() and "connected to" in log.read_text("utf-8")[offset:],
                 30, "ingest process connected")
        return proc

    first = start_ingest()
    total = 5000

    def publish_all() -> None:
        for i in range(total):
            publisher.publish("cc/v1/event/load", load_payload(i))
            if i % 250 == 249:
                time.sleep(0.05)  # a steady burst, so the kill lands mid-stream

    sender = threading.Thread(target=publish_all)
    sender.start()
    wait_for(lambda: count(db) >= 600, 60, "some events stored")
    first.kill()  # SIGKILL: no chance to commit or ack what it holds
    first.wait(10)
    stored_at_kill = count(db)
    sender.join()
    assert publisher.flush(60), "the broker acknowledged every published message"
    assert stored_at_kill < total, "the kill happened in the middle of the stream"

    second = start_ingest()
    assert "ingest: memory settled" in log.read_text("utf-8"), \
        "start-up objects are kept out of the collector's full passes"
    try:
        wait_for(lambda: count(db) == total, 90, "all 5,000 events stored")
        time.sleep(1.0)  # nothing more arrives: no duplicates trickle in
        assert count(db) == total
        assert count(db, "SELECT COUNT(DISTINCT source_id) FROM events") == total
        assert count(db, "SELECT COUNT(*) FROM quarantine") == 0
    finally:
        second.terminate()  # SIGTERM: a clean stop
        assert second.wait(30) == 0


def test_broker_restart_mid_burst(mosquitto: Mosquitto, publisher: MqttLink,
                                  ingest: IngestService, sqlite_url: str) -> None:
    db = db_path(sqlite_url)
    total = 3000
    for i in range(total // 2):
        publisher.publish("cc/v1/event/load", load_payload(i))
    wait_for(lambda: count(db) >= 300, 30, "first events stored")
    mosquitto.restart()  # persistence on: sessions and queued messages survive
    for i in range(total // 2, total):
        publisher.publish("cc/v1/event/load", load_payload(i))
    assert publisher.flush(60)
    wait_for(lambda: count(db) == total, 90, "every event stored after the restart")
    time.sleep(0.5)
    assert count(db) == total
    wait_for(lambda: ingest.link.state().connected, 30, "ingest reconnected by itself")


def test_duplicates_are_absorbed_but_sources_are_distinct(publisher: MqttLink,
                                                          ingest: IngestService,
                                                          sqlite_url: str) -> None:
    db = db_path(sqlite_url)
    publisher.publish("cc/v1/event/suishoupai", event_payload(source_id="same"))
    publisher.publish("cc/v1/event/suishoupai", event_payload(source_id="same"))
    publisher.publish("cc/v1/event/qrcode", event_payload(source="qrcode", source_id="same"))
    assert publisher.flush(10)
    wait_for(lambda: ingest.hall.ingest.stats().received == 3, 20, "three messages taken in")
    assert count(db) == 2
    assert count(db, "SELECT COUNT(*) FROM cases") == 2
    assert ingest.hall.ingest.stats().duplicates == 1


def test_bad_messages_are_quarantined_and_neighbours_stored(publisher: MqttLink,
                                                            ingest: IngestService,
                                                            sqlite_url: str) -> None:
    db = db_path(sqlite_url)
    bad = {
        "not_json": b"{not json",
        "missing_field": json.dumps({"source": "suishoupai", "kind": "report",
                                     "occurred_at": "2026-11-28T10:00:00+08:00"}).encode(),
        "bad_location": event_payload(source_id="far", location={"lat": 1000, "lon": 120.8,
                                                                 "crs": "wgs84"}),
        "too_large": event_payload(source_id="big", description="x" * 300_000),
        "encoding": b"\xff\xfe\x00garbage",
    }
    for i, payload in enumerate(bad.values()):
        publisher.publish("cc/v1/event/suishoupai", event_payload(source_id=f"good-{i}"))
        publisher.publish("cc/v1/event/suishoupai", payload)
    publisher.publish("cc/v1/event/suishoupai", event_payload(source_id="good-last"))
    publisher.publish("cc/v1/event/", b"{}")  # matches event/+ with an empty source
    assert publisher.flush(10)
    wait_for(lambda: count(db, "SELECT COUNT(*) FROM quarantine") == len(bad) + 1, 20,
             "every bad message quarantined")
    wait_for(lambda: count(db) == len(bad) + 1, 20, "every good message stored")
    with sqlite3.connect(db) as conn:
        reasons = {row[0] for row in conn.execute("SELECT reason_code FROM quarantine")}
        raw = conn.execute("SELECT payload FROM quarantine WHERE reason_code='not_json'")
        assert raw.fetchone()[0] == b"{not json"
    assert reasons == set(bad) | {"unknown_topic"}


def test_dispatch_goes_out_over_the_broker(mosquitto: Mosquitto, ingest: IngestService,
                                           sqlite_url: str) -> None:
    from commandcenter.domain.case import Action
    from commandcenter.domain.unit import Unit
    from commandcenter.services.actor import DISPATCHER, Actor

    received: list[tuple[str, bytes]] = []
    officer = MqttLink(BrokerUrl.parse(mosquitto.url), "officer-app-u1",
                       lambda m: (received.append((m.topic, m.payload)), officer.ack([m])),
                       topics=("dispatch/+",))
    officer.start()
    wait_for(lambda: officer.state().connected, 10, "officer app connected")
    try:
        hall = ingest.hall
        hall.cases.register_units([Unit("u1", "张伟", lat=32.03, lon=120.87)])
        publisher = MqttLink(BrokerUrl.parse(mosquitto.url), "reporter", lambda _m: None,
                             topics=())
        publisher.start()
        publisher.publish("cc/v1/event/suishoupai", event_payload())
        publisher.flush(10)
        publisher.stop()
        wait_for(lambda: bool(hall.cases.snapshot().cases), 20, "the case exists")
        case = hall.cases.snapshot().cases[0]
        actor = Actor("user:li", "李调度", frozenset({DISPATCHER}))
        case = hall.cases.act(case.id, Action.REGISTER, actor,
                              expected_version=case.version).cases[case.id]
        hall.cases.act(case.id, Action.DISPATCH, actor, expected_version=case.version,
                       assignee="u1")
        wait_for(lambda: bool(received), 20, "the officer's app got the order")
        topic, payload = received[0]
        assert topic == "cc/v1/dispatch/u1"
        assert json.loads(payload)["case_id"] == case.number
    finally:
        officer.stop()


def test_broker_down_at_start_then_up(tmp_path: Path, sqlite_url: str) -> None:
    broker = Mosquitto(tmp_path / "late-broker")
    service = open_ingest(Settings(db_url=sqlite_url), broker.url, client_id="late")
    service.start()
    try:
        time.sleep(0.5)
        state = service.link.state()
        assert not state.connected and state.error
        broker.start()
        wait_for(lambda: service.link.state().connected, 40, "connected once the broker is up")
    finally:
        service.stop()
        broker.stop()
