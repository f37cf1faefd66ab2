"""Headless ingest (`commandcenter ingest`): the broker link, the single writer, clean stop.

No Qt here: a server runs exactly the ingest code the console runs. Stopping (Ctrl-C, SIGTERM,
Windows' Ctrl-Break) first stops taking messages, then commits and acks what the inbox holds.
"""

from __future__ import annotations

import logging
import signal
import threading
from dataclasses import dataclass

from commandcenter.config import Settings
from commandcenter.hall import Hall, open_hall
from commandcenter.ingest.broker_url import BrokerUrl
from commandcenter.ingest.mqtt import MqttLink
from commandcenter.ingest.open311.poller import Open311Poller
from commandcenter.ingest.open311.wiring import start_open311
from commandcenter.memory import settle_memory

log = logging.getLogger(__name__)


@dataclass(slots=True)
class IngestService:
    hall: Hall
    link: MqttLink
    settings: Settings | None = None
    open311: Open311Poller | None = None

    def start(self) -> None:
        self.hall.ingest.start()
        self.link.start()
        if self.settings is not None:
            self.open311 = start_open311(self.hall, self.settings)

    def stop(self) -> None:
        """Stop taking messages; commit and ack what is held; disconnect."""
        if self.open311 is not None:
            self.open311.stop()
        self.link.pause()
        self.hall.ingest.stop()
        self.link.stop()
        self.hall.close()


def open_ingest(settings: Settings, broker: str, *, client_id: str | None = None,
                shared: bool = False) -> IngestService:
    url = BrokerUrl.parse(broker)
    hall = open_hall(settings)
    link = MqttLink(url, client_id or f"cc-ingest-{settings.workstation}", hall.ingest.put,
                    prefix=settings.topic_prefix, shared=shared)
    hall.ingest.ack = link.ack
    hall.outbox.set_publisher(link.publish)
    return IngestService(hall, link, settings)


def run_until_signalled(service: IngestService) -> None:
    stop = threading.Event()

    def on_signal(signum: int, _frame: object) -> None:
        log.info("signal %s: stopping after the current batch", signum)
        stop.set()

    for name in ("SIGINT", "SIGTERM", "SIGBREAK"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), on_signal)
    settle_memory("ingest")
    service.start()
    log.info("ingest running: %s -> %s", service.link.url.display,
             service.hall.ctx.db.display_url())
    while not stop.wait(5.0):
        stats = service.hall.ingest.stats()
        state = service.link.state()
        log.info("ingest: %s, %.1f msg/s, %d stored, %d duplicates, %d quarantined, backlog %d",
                 "connected" if state.connected else f"DISCONNECTED ({state.error})",
                 stats.rate_per_s, stats.stored, stats.duplicates, stats.quarantined,
                 stats.backlog)
    service.stop()
    log.info("ingest stopped cleanly")
