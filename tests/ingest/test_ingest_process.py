"""The console's ingest process against a real Mosquitto: what it stores reaches the console,
a killed child is restarted without loss, a dead console takes its child down cleanly, and
outbound messages leave through the child's link."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from commandcenter.config import Settings
from commandcenter.domain.case import Action, Case, CaseState
from commandcenter.hall import open_hall
from commandcenter.ingest.broker_url import BrokerUrl
from commandcenter.ingest.message import InboundMessage
from commandcenter.ingest.mqtt import MqttLink
from commandcenter.ingest.process import IngestProcess
from commandcenter.services.actor import DISPATCHER, Actor
from commandcenter.services.changes import Changes
from tests.ingest.test_mqtt import count, load_payload, wait_for
from tests.support.mosquitto import Mosquitto

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.broker
DESK = Actor("user:li", "李调度", frozenset({DISPATCHER}))


def count_pg(url: str, sql: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.exec_driver_sql(sql).scalar_one())
    finally:
        engine.dispose()


def db_of(sqlite_url: str) -> Path:
    return Path(sqlite_url.removeprefix("sqlite+pysqlite:///"))


@pytest.fixture
def received() -> queue.SimpleQueue[Changes]:
    return queue.SimpleQueue()


@pytest.fixture
def child(mosquitto: Mosquitto, sqlite_url: str,
          received: queue.SimpleQueue[Changes]) -> Iterator[IngestProcess]:
    process = IngestProcess(Settings(db_url=sqlite_url, broker_url=mosquitto.url),
                            "cc-console-test-proc", received.put)
    process.start()
    wait_for(lambda: process.state().connected, 30, "the ingest process connected")
    yield process
    assert process.stop(), "the child stopped by itself after committing"


def new_cases(received: queue.SimpleQueue[Changes]) -> list[int]:
    ids: list[int] = []
    while not received.empty():
        ids += received.get().new_case_ids
    return ids


def test_a_report_reaches_the_console_as_changes(child: IngestProcess, publisher: MqttLink,
                                                 received: queue.SimpleQueue[Changes],
                                                 sqlite_url: str) -> None:
    publisher.publish("cc/v1/event/suishoupai", load_payload(1, source="suishoupai"))
    seen: list[int] = []
    wait_for(lambda: bool(seen.extend(new_cases(received)) or seen), 20, "a new case")
    assert len(seen) == 1
    wait_for(lambda: child.stats().stored == 1, 5, "the status line")
    assert count(db_of(sqlite_url)) == 1


def test_a_killed_child_is_restarted_and_loses_nothing(child: IngestProcess,
                                                       publisher: MqttLink,
                                                       sqlite_url: str) -> None:
    db = db_of(sqlite_url)
    for i in range(200):
        publisher.publish("cc/v1/event/load", load_payload(i))
    wait_for(lambda: count(db) >= 1, 20, "the first events stored")
    first = child.pid
    assert first is not None
    os.kill(first, signal.SIGKILL)  # no chance to commit or ack what it holds
    wait_for(lambda: not child.state().connected, 10, "the console noticed")
    assert "接收进程意外退出" in (child.state().error or "")
    for i in range(200, 400):  # published while no child runs: the broker keeps them
        publisher.publish("cc/v1/event/load", load_payload(i))
    assert publisher.flush(10)
    wait_for(lambda: child.state().connected and child.pid not in (None, first), 30,
             "a new child connected")
    wait_for(lambda: count(db) == 400, 60, "every event stored")
    assert count(db, "SELECT COUNT(DISTINCT source_id) FROM events") == 400
    assert child.restarts == 1


def test_outbound_messages_leave_through_the_child(mosquitto: Mosquitto, sqlite_url: str,
                                                   received: queue.SimpleQueue[Changes]) -> None:
    orders: queue.SimpleQueue[InboundMessage] = queue.SimpleQueue()
    officer = MqttLink(BrokerUrl.parse(mosquitto.url), "officer-phone", orders.put,
                       topics=("dispatch/+",))
    officer.start()
    wait_for(lambda: officer.state().connected, 10, "the officer's phone connected")
    process = IngestProcess(Settings(db_url=sqlite_url, broker_url=mosquitto.url),
                            "cc-console-test-out", received.put)
    process.publish("cc/v1/dispatch/u-1", b'{"case": 1}')  # before the child runs: held
    process.start()
    try:
        wait_for(lambda: process.state().connected, 30, "the ingest process connected")
        process.publish("cc/v1/dispatch/u-1", b'{"case": 2}')
        got = [orders.get(timeout=10).payload for _ in range(2)]
        assert got == [b'{"case": 1}', b'{"case": 2}']
    finally:
        assert process.stop()
        officer.stop()


def test_an_order_in_a_killed_child_is_sent_by_the_next(mosquitto: Mosquitto, sqlite_url: str,
                                                        received: queue.SimpleQueue[Changes]
                                                        ) -> None:
    """A dispatch order handed to a child while the broker is away waits in that child's
    memory; the child is killed: the console gives the order to the next child."""
    orders: queue.SimpleQueue[InboundMessage] = queue.SimpleQueue()

    def on_order(msg: InboundMessage) -> None:  # the phone acks what it got
        orders.put(msg)
        officer.ack([msg])

    officer = MqttLink(BrokerUrl.parse(mosquitto.url), "officer-phone-2", on_order,
                       topics=("dispatch/+",))
    officer.start()
    wait_for(lambda: officer.state().connected, 10, "the officer's phone connected")
    process = IngestProcess(Settings(db_url=sqlite_url, broker_url=mosquitto.url),
                            "cc-console-test-resend", received.put)
    process.start()
    try:
        wait_for(lambda: process.state().connected, 30, "the ingest process connected")
        process.publish("cc/v1/dispatch/u-1", b'{"case": 1}')
        assert orders.get(timeout=10).payload == b'{"case": 1}'
        wait_for(lambda: process.unconfirmed() == 0, 10, "the broker confirmed the first order")
        mosquitto.stop()
        wait_for(lambda: not process.state().connected, 30, "the child saw the broker go")
        process.publish("cc/v1/dispatch/u-1", b'{"case": 2}')
        first = process.pid
        assert first is not None
        time.sleep(0.5)  # the order is in the child now, queued by paho
        assert process.unconfirmed() == 1
        os.kill(first, signal.SIGKILL)
        wait_for(lambda: process.pid not in (None, first), 30, "a new child started")
        mosquitto.start()
        got = orders.get(timeout=60).payload
        assert got == b'{"case": 2}'
        wait_for(lambda: process.unconfirmed() == 0, 30, "the broker confirmed the order")
    finally:
        assert process.stop()
        officer.stop()


CONSOLE = textwrap.dedent("""
    import sys, time
    from commandcenter.config import Settings
    from commandcenter.ingest.process import IngestProcess

    process = IngestProcess(Settings(db_url=sys.argv[1], broker_url=sys.argv[2]),
                            "cc-console-test-orphan", lambda changes: None)
    process.start()
    while not process.state().connected:
        time.sleep(0.05)
    print(process.pid, flush=True)
    time.sleep(600)
""")


def exited(pid: int) -> bool:
    """Gone, or a zombie (an orphan's zombie may wait for a reaper that never comes); where
    /proc cannot say, the log line the child writes last stands for its exit."""
    stat = Path(f"/proc/{pid}/stat")
    if not Path("/proc/self/stat").exists():
        return True
    try:
        return stat.read_text().split(") ", 1)[1][0] == "Z"
    except (FileNotFoundError, IndexError):
        return True


def test_the_child_stops_when_the_console_dies(mosquitto: Mosquitto, sqlite_url: str,
                                               tmp_path: Path) -> None:
    log = Path(os.environ["CC_LOG_DIR"]) / "commandcenter-ingest.log"
    with subprocess.Popen([sys.executable, "-c", CONSOLE, sqlite_url, mosquitto.url],
                          cwd=ROOT, stdout=subprocess.PIPE, text=True) as console:
        try:
            child_pid = int(console.stdout.readline())  # type: ignore[union-attr]
            assert not exited(child_pid) or not Path("/proc/self/stat").exists()
            console.kill()  # the console dies without a word to its child
            console.wait(10)
            wait_for(lambda: "ingest process stopped cleanly" in log.read_text("utf-8"), 30,
                     "the orphaned child stopped cleanly")
            wait_for(lambda: exited(child_pid), 10, "the orphaned child exited")
        finally:
            console.kill()
    assert "the console closed the pipe" in log.read_text("utf-8")


def test_a_child_that_cannot_start_says_why(mosquitto: Mosquitto, tmp_path: Path,
                                            received: queue.SimpleQueue[Changes]) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    nowhere = f"sqlite+pysqlite:///{tmp_path / 'a-file' / 'cc.db'}"  # cannot be created
    process = IngestProcess(Settings(db_url=nowhere, broker_url=mosquitto.url),
                            "cc-console-test-broken", received.put)
    process.start()
    try:
        wait_for(lambda: "秒后重启" in (process.state().error or ""), 30, "a restart planned")
        error = process.state().error or ""
        assert error.startswith("接收进程无法启动："), error
        assert not process.state().connected
    finally:
        process.stop(10)


@pytest.mark.postgres
def test_consoles_on_one_database_see_each_others_cases(mosquitto: Mosquitto, pg_url: str,
                                                        publisher: MqttLink) -> None:
    """Two workstations of one hall: a report one of them stored first, and an action the
    other's dispatcher took, reach both screens."""
    screens: dict[str, queue.SimpleQueue[Changes]] = {"a": queue.SimpleQueue(),
                                                      "b": queue.SimpleQueue()}
    children = {name: IngestProcess(Settings(db_url=pg_url, broker_url=mosquitto.url),
                                    f"cc-console-test-{name}", screen.put)
                for name, screen in screens.items()}
    shown: dict[str, dict[int, Case]] = {name: {} for name in screens}
    new: dict[str, list[int]] = {name: [] for name in screens}

    def drain() -> None:
        for name, screen in screens.items():
            while not screen.empty():
                changes = screen.get()
                shown[name].update(changes.cases)
                new[name] += changes.new_case_ids

    for child in children.values():
        child.start()
    hall = open_hall(Settings(db_url=pg_url))
    try:
        for child in children.values():
            wait_for(lambda c=child: c.state().connected, 30, "both ingest processes connected")
        publisher.publish("cc/v1/event/suishoupai", load_payload(7, source="suishoupai"))
        wait_for(lambda: drain() or all(new.values()), 20, "the new case on both screens")
        assert new["a"] == new["b"] and len(new["a"]) == 1, new
        (case_id,) = new["a"]
        hall.cases.act(case_id, Action.REGISTER, DESK, expected_version=1)  # at console a
        wait_for(lambda: drain() or shown["b"][case_id].version == 2, 20,
                 "the other dispatcher's action on screen b")
        assert shown["b"][case_id].state is CaseState.REGISTERED
        assert count_pg(pg_url, "SELECT COUNT(*) FROM events") == 1, "stored once"
    finally:
        hall.close()
        for child in children.values():
            assert child.stop()
