"""The hall's MQTT link: paho-mqtt 2 on its own network thread, feeding the ingest inbox.

QoS 1 with a persistent session (fixed client id, clean_session=False) and manual acks: a
message is acknowledged only after the transaction that stored it committed, so a crash between
receive and commit loses nothing — the broker redelivers and the (source, source_id) key absorbs
the repeat. Callbacks only copy bytes into the inbox, inside try/except: an exception would kill
paho's thread (DESIGN.md §1, §4, §8).
"""

from __future__ import annotations

import logging
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from commandcenter.ingest.broker_url import BrokerUrl
from commandcenter.ingest.buffered_client import make_client
from commandcenter.ingest.message import InboundMessage

log = logging.getLogger(__name__)

INBOUND_TOPICS = ("event/+", "unit/+/status", "unit/+/location", "hj212/+", "isapi/+",
                  "speaker/+/ack")
# Topics that belong to other systems' own namespaces (not under our prefix).
ABSOLUTE_TOPICS = ("frigate/events",)
SHARED_GROUP = "cc-ingest"


@dataclass(frozen=True, slots=True)
class LinkState:
    connected: bool
    since: datetime | None  # when the current state began
    error: str | None  # why the link is down, in words IT can act on
    received: int


@dataclass(frozen=True, slots=True)
class AckToken:
    """Which message to acknowledge on which session generation."""

    mid: int
    qos: int
    generation: int


class MqttLink:
    """One client per workstation (or per ingest worker), reconnecting by itself with backoff."""

    def __init__(self, url: BrokerUrl, client_id: str, sink: Callable[[InboundMessage], None],
                 *, prefix: str = "cc/v1", shared: bool = False,
                 topics: tuple[str, ...] = INBOUND_TOPICS,
                 absolute_topics: tuple[str, ...] | None = None,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.url = url
        self.client_id = client_id
        self.sink = sink
        self.prefix = prefix
        self.shared = shared
        self.topics = topics
        # The inbound set brings Frigate's own topic along; a custom set brings none.
        self.absolute_topics = (absolute_topics if absolute_topics is not None
                                else ABSOLUTE_TOPICS if topics == INBOUND_TOPICS else ())
        self.clock = clock
        self._lock = threading.Lock()
        self._connected = False
        self._since: datetime | None = None
        self._error: str | None = "尚未连接"
        self._received = 0
        self._generation = 0
        self._accepting = True
        self._acked = threading.Condition()
        # Published QoS 1 messages the broker has not acked, by mid, with their `on_done`.
        self._unacked: dict[int, Callable[[], None] | None] = {}
        self._early_acks: set[int] = set()
        self.client = self._make_client()

    def _make_client(self) -> mqtt.Client:
        client = make_client(CallbackAPIVersion.VERSION2, client_id=self.client_id,
                             clean_session=False, protocol=mqtt.MQTTv311,
                             manual_ack=True)
        if self.url.username:
            client.username_pw_set(self.url.username, self.url.password)
        if self.url.tls:
            context = ssl.create_default_context(cafile=self.url.ca_file)
            if self.url.cert_file:
                context.load_cert_chain(self.url.cert_file, self.url.key_file)
            if self.url.insecure:
                context.check_hostname = False
            client.tls_set_context(context)
        client.reconnect_delay_set(min_delay=1, max_delay=30)
        client.max_inflight_messages_set(1000)
        client.max_queued_messages_set(0)  # outbound: queue while disconnected, never drop
        client.on_connect = self._on_connect
        client.on_disconnect = self._on_disconnect
        client.on_message = self._on_message
        client.on_connect_fail = self._on_connect_fail
        client.on_publish = self._on_publish
        return client

    # --- lifecycle ---------------------------------------------------------------------------
    def start(self) -> None:
        """Connect in the background; the network thread retries until the broker answers."""
        self.client.connect_async(self.url.host, self.url.port, keepalive=30)
        self.client.loop_start()

    def pause(self) -> None:
        """Stop taking new messages (they stay unacked at the broker); acks still go out."""
        with self._lock:
            self._accepting = False

    def stop(self) -> None:
        self.pause()
        self.client.disconnect()
        self.client.loop_stop()

    def state(self) -> LinkState:
        with self._lock:
            return LinkState(self._connected, self._since, self._error, self._received)

    # --- acks and outbound -------------------------------------------------------------------
    def ack(self, batch: list[InboundMessage]) -> None:
        """Acknowledge committed messages. Tokens from an earlier connection are skipped: the
        broker redelivers those, and dedup absorbs them."""
        with self._lock:
            generation, connected = self._generation, self._connected
        for msg in batch:
            token = msg.token
            if isinstance(token, AckToken) and token.generation == generation and connected:
                self.client.ack(token.mid, token.qos)

    def publish(self, topic: str, payload: bytes,
                on_done: Callable[[], None] | None = None) -> None:
        """QoS 1; while disconnected paho queues it (without limit) and sends on reconnect.

        `on_done` is called once the broker has acknowledged the message (from the network
        thread), or at once if paho refused it (logged): until then only this process holds
        it, so a caller that must survive this process's death keeps a copy until then."""
        info = self.client.publish(topic, payload, qos=1)
        if info.rc not in (mqtt.MQTT_ERR_SUCCESS, mqtt.MQTT_ERR_NO_CONN):
            log.warning("publish to %s failed: %s", topic, mqtt.error_string(info.rc))
            if on_done is not None:
                on_done()
            return
        with self._acked:
            acked = info.mid in self._early_acks  # the PUBACK beat us here
            if acked:
                self._early_acks.discard(info.mid)
            else:
                self._unacked[info.mid] = on_done
        if acked and on_done is not None:
            on_done()

    def flush(self, timeout: float = 30.0) -> bool:
        """Wait until the broker acknowledged everything published so far, including what
        was queued while disconnected (paho resends it on reconnect)."""
        with self._acked:
            return self._acked.wait_for(lambda: not self._unacked, timeout)

    def _on_publish(self, _client: mqtt.Client, _userdata: Any, mid: int, _reason: Any,
                    _properties: Any) -> None:
        try:
            with self._acked:
                if mid in self._unacked:
                    done = self._unacked.pop(mid)
                else:
                    self._early_acks.add(mid)
                    done = None
                self._acked.notify_all()
            if done is not None:
                done()
        except Exception:
            log.exception("MQTT on_publish failed")

    # --- paho callbacks (network thread: never raise) ----------------------------------------
    def _topics(self) -> list[tuple[str, int]]:
        topics = [f"{self.prefix}/{t}" for t in self.topics] + list(self.absolute_topics)
        if self.shared:
            topics = [f"$share/{SHARED_GROUP}/{t}" for t in topics]
        return [(t, 1) for t in topics]

    def _on_connect(self, client: mqtt.Client, _userdata: Any, _flags: Any,
                    reason_code: Any, _properties: Any) -> None:
        try:
            if reason_code.is_failure:
                self._set_state(False, f"消息服务器拒绝连接：{reason_code}")
                return
            with self._lock:
                self._generation += 1
            self._set_state(True, None)
            log.info("connected to %s as %s", self.url.display, self.client_id)
            if self.topics:
                client.subscribe(self._topics())
        except Exception:
            log.exception("MQTT on_connect failed")

    def _on_connect_fail(self, _client: mqtt.Client, _userdata: Any) -> None:
        try:
            self._set_state(False, f"无法连接 {self.url.host}:{self.url.port}")
        except Exception:
            log.exception("MQTT on_connect_fail failed")

    def _on_disconnect(self, _client: mqtt.Client, _userdata: Any, _flags: Any,
                       reason_code: Any, _properties: Any) -> None:
        try:
            self._set_state(False, f"连接已断开：{reason_code}")
            level = logging.WARNING if reason_code.is_failure else logging.INFO
            log.log(level, "disconnected from %s: %s", self.url.display, reason_code)
        except Exception:
            log.exception("MQTT on_disconnect failed")

    def _on_message(self, _client: mqtt.Client, _userdata: Any,
                    message: mqtt.MQTTMessage) -> None:
        try:
            with self._lock:
                if not self._accepting:
                    return  # unacked: the broker keeps it for the next session
                self._received += 1
                generation = self._generation
            self.sink(InboundMessage(message.topic, bytes(message.payload), self.clock(),
                                     AckToken(message.mid, message.qos, generation)))
        except Exception:
            log.exception("MQTT on_message failed for %s", getattr(message, "topic", "?"))

    def _set_state(self, connected: bool, error: str | None) -> None:
        with self._lock:
            if connected != self._connected or self._since is None:
                self._since = self.clock()
            self._connected = connected
            self._error = error
