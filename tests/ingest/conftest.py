"""Fixtures shared by the broker tests of the ingest."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from commandcenter.ingest.broker_url import BrokerUrl
from commandcenter.ingest.mqtt import MqttLink
from tests.ingest.test_mqtt import wait_for
from tests.support.mosquitto import Mosquitto


@pytest.fixture
def publisher(mosquitto: Mosquitto) -> Iterator[MqttLink]:
    """A device gateway publishing to the test broker."""
    link = MqttLink(BrokerUrl.parse(mosquitto.url), "test-publisher", lambda _m: None,
                    topics=())
    link.start()
    wait_for(lambda: link.state().connected, 10, "publisher connected")
    yield link
    link.stop()
