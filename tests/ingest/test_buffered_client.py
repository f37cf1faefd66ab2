"""The broker link's buffered socket reads, against a real Mosquitto (plain and TLS): every
message arrives intact, bytes read ahead never wait for more traffic, and a paho version the
override was not written for gets paho's own client."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from commandcenter.ingest import buffered_client
from commandcenter.ingest.broker_url import BrokerUrl
from commandcenter.ingest.buffered_client import READ_SIZE, BufferedClient, make_client
from commandcenter.ingest.message import InboundMessage
from commandcenter.ingest.mqtt import MqttLink
from tests.ingest.test_mqtt import wait_for
from tests.support.mosquitto import Mosquitto

pytestmark = pytest.mark.broker


class Received:
    def __init__(self) -> None:
        self.messages: list[InboundMessage] = []
        self.lock = threading.Lock()

    def __call__(self, message: InboundMessage) -> None:
        with self.lock:
            self.messages.append(message)

    def payloads(self) -> list[bytes]:
        with self.lock:
            return [m.payload for m in self.messages]


@contextmanager
def _link(url: str, client_id: str, sink: Received | None = None) -> Iterator[MqttLink]:
    link = MqttLink(BrokerUrl.parse(url), client_id, sink or (lambda _m: None),
                    topics=("event/+",) if sink else ())
    link.start()
    wait_for(lambda: link.state().connected, 20, f"{client_id} connected")
    yield link
    link.stop()


def _burst_then_silence(url: str) -> None:
    """Small messages around two larger than one read, then nothing more: whatever was read
    ahead must still be delivered, without waiting for the next packet."""
    received = Received()
    small = [f"small-{i:04d}".encode() for i in range(600)]
    large = [bytes([i]) * (READ_SIZE * 3 + 17) for i in (1, 2)]
    expected = [*small[:200], large[0], *small[200:400], large[1], *small[400:]]
    with _link(url, "cc-test-buffered-in", received) as receiver:
        assert isinstance(receiver.client, BufferedClient)
        with _link(url, "cc-test-buffered-out") as sender:
            for payload in expected:
                sender.publish("cc/v1/event/load", payload)
            assert sender.flush(30), "the broker took every message"
            flushed = time.monotonic()
            # Keepalive is 30 s: a read-ahead left waiting for the socket would show here.
            wait_for(lambda: len(received.payloads()) == len(expected), 5,
                     "every message, without more traffic")
            assert time.monotonic() - flushed < 5
        assert received.payloads() == expected, "intact and in order"


def test_a_burst_and_large_messages_arrive_intact(mosquitto: Mosquitto) -> None:
    _burst_then_silence(mosquitto.url)


def test_the_same_over_tls(tls_broker: tuple[Mosquitto, Path]) -> None:
    broker, ca = tls_broker
    _burst_then_silence(f"mqtts://127.0.0.1:{broker.port}?ca={ca}")


def test_reads_resume_on_a_new_connection(mosquitto: Mosquitto) -> None:
    received = Received()
    with _link(mosquitto.url, "cc-test-buffered-again", received) as receiver:
        with _link(mosquitto.url, "cc-test-buffered-sender") as sender:
            sender.publish("cc/v1/event/load", b"before")
            wait_for(lambda: received.payloads() == [b"before"], 10, "the first message")
            mosquitto.restart()
            wait_for(lambda: receiver.state().connected and sender.state().connected, 30,
                     "both reconnected")
            sender.publish("cc/v1/event/load", b"after")
            assert sender.flush(30)
            wait_for(lambda: b"after" in received.payloads(), 10, "a message after the restart")


def test_an_unexpected_paho_gets_its_own_client(monkeypatch: pytest.MonkeyPatch,
                                               caplog: pytest.LogCaptureFixture) -> None:
    assert buffered_client.PAHO_FITS, "the installed paho is the one this was written for"
    assert type(make_client(CallbackAPIVersion.VERSION2)) is BufferedClient
    monkeypatch.setattr(buffered_client, "PAHO_FITS", False)
    client = make_client(CallbackAPIVersion.VERSION2)
    assert type(client) is mqtt.Client
    assert "buffered socket reads not used" in caplog.text
