"""`commandcenter simulate`: play the demo scenario, or a plain load, onto a real broker.

A hall tries its broker, its ingest workers and its consoles with realistic traffic: the
simulated officers listen on `<prefix>/dispatch/+` and answer like the real app would.
"""

from __future__ import annotations

import itertools
import json
import logging
import random
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from commandcenter.ingest.broker_url import BrokerUrl
from commandcenter.ingest.message import InboundMessage
from commandcenter.ingest.mqtt import MqttLink
from commandcenter.sim.live import LiveFeed
from commandcenter.sim.places import Places, load_places
from commandcenter.sim.scenario import Scenario

log = logging.getLogger(__name__)

_LOAD_CATEGORIES = ("0501", "0502", "0503", "0101", "0105")


@dataclass(frozen=True, slots=True)
class SimulationSummary:
    published: int
    seconds: float
    flushed: bool


def load_event(places: Places, rng: random.Random, run: str, n: int, at: datetime) -> bytes:
    """One synthetic citizen report at a real place (load mode: volume, not storytelling)."""
    place = rng.choice(places.places)
    return json.dumps({
        "source": "load", "source_id": f"{run}-{n:08d}", "kind": "report",
        "category": rng.choice(_LOAD_CATEGORIES), "severity": "minor",
        "occurred_at": at.isoformat(),
        "location": {"lat": place.lat, "lon": place.lon, "crs": "wgs84", "address": place.name},
        "title": f"压力测试上报 {n}", "description": "load test",
    }, ensure_ascii=False).encode()


def publish_load(link: MqttLink, *, rate: float, duration: float, seed: int,
                 prefix: str = "cc/v1", stop: threading.Event | None = None) -> int:
    """Publish `rate` events a second for `duration` seconds, paced in 10 ms slices."""
    places = load_places()
    rng = random.Random(seed)
    run = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    start = time.monotonic()
    sent = 0
    while True:
        elapsed = time.monotonic() - start
        if elapsed >= duration or (stop is not None and stop.is_set()):
            break
        due = int(elapsed * rate) + 1
        while sent < due:
            link.publish(f"{prefix}/event/load",
                         load_event(places, rng, run, sent, datetime.now(UTC)))
            sent += 1
        time.sleep(0.005)
    return sent


def simulate(broker: str, *, seed: int, rate: float, duration: float, load: float | None,
             prefix: str = "cc/v1", client_id: str = "cc-simulator",
             stop: threading.Event | None = None) -> SimulationSummary:
    url = BrokerUrl.parse(broker)
    started = time.monotonic()
    if load is not None:
        link = MqttLink(url, client_id, lambda _m: None, prefix=prefix, topics=())
        link.start()
        sent = publish_load(link, rate=load, duration=duration, seed=seed, prefix=prefix,
                            stop=stop)
    else:
        scenario = Scenario(seed, rate, start=datetime.now(UTC), prefix=prefix)
        counter = itertools.count(1)
        sent_box = [0]
        holder: dict[str, LiveFeed] = {}

        def on_dispatch(msg: InboundMessage) -> None:
            holder["feed"].publish(msg.topic, msg.payload)
            link.ack([msg])

        link = MqttLink(url, client_id, on_dispatch, prefix=prefix, topics=("dispatch/+",))

        def emit(topic: str, payload: bytes) -> None:
            link.publish(topic, payload)
            sent_box[0] = next(counter)

        feed = LiveFeed(scenario, emit, lambda: datetime.now(UTC))
        holder["feed"] = feed
        link.start()
        feed.start()
        waiter = stop or threading.Event()
        waiter.wait(duration)
        feed.stop()
        sent = sent_box[0]
    flushed = link.flush(30.0)
    link.stop()
    return SimulationSummary(sent, time.monotonic() - started, flushed)
