"""`run_gateway` end to end: a device over TCP, the frame on a real Mosquitto, the answer back.

This is the path the CLI's `gateway hj212` takes: an `MqttLink` without subscriptions publishes
what the gateway accepts.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable

import pytest

from commandcenter.ingest.broker_url import BrokerUrl
from commandcenter.ingest.hj212 import GatewayStats, Hj212Gateway, parse_frame, run_gateway
from commandcenter.ingest.message import InboundMessage
from commandcenter.ingest.mqtt import MqttLink
from tests.ingest.hj212.builders import MN, oil_2011
from tests.support.mosquitto import Mosquitto

pytestmark = pytest.mark.broker


def wait_for(predicate: Callable[[], bool], what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def test_frames_reach_the_broker_and_devices_get_answers(mosquitto: Mosquitto) -> None:
    url = BrokerUrl.parse(mosquitto.url)
    received: list[InboundMessage] = []
    listener = MqttLink(url, "test-hj212-listener", received.append, topics=("hj212/+",))
    listener.start()
    publisher = MqttLink(url, "cc-gateway-hj212-test", lambda _m: None, topics=())
    publisher.start()
    wait_for(lambda: listener.state().connected and publisher.state().connected, "broker")
    time.sleep(0.3)  # the listener's SUBSCRIBE goes out right after CONNACK

    started: list[Hj212Gateway] = []
    result: list[GatewayStats] = []
    thread = threading.Thread(target=lambda: result.append(
        run_gateway("127.0.0.1:0", publisher.publish, ready=started.append)), daemon=True)
    thread.start()
    try:
        wait_for(lambda: bool(started), "the gateway to listen")
        gateway = started[0]
        with socket.create_connection(("127.0.0.1", gateway.port), timeout=10) as device:
            device.sendall(b"noise" + oil_2011())
            answer = b""
            while not answer.endswith(b"\r\n"):
                answer += device.recv(1024)
        assert parse_frame(answer).frame.cn == "9014"
        assert publisher.flush(10)
        wait_for(lambda: len(received) >= 2, "both messages at the listener")
    finally:
        if started:
            started[0].request_stop()
        thread.join(10)
        listener.stop()
        publisher.stop()
    assert not thread.is_alive()
    by_topic = {m.topic: m.payload for m in received}
    assert by_topic[f"cc/v1/hj212/{MN}"] == oil_2011()
    rejected = json.loads(by_topic["cc/v1/hj212/_rejected"])
    assert rejected["code"] == "garbage" and rejected["reason"].startswith("bytes outside")
    (stats,) = result
    assert (stats.frames_ok, stats.replies, stats.rejected) == (1, 1, {"garbage": 1})
