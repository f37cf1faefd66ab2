"""Run the Open311 poller beside a hall: its reports enter the same ingest inbox, its
rejections go to the same quarantine. Used by the console and by `commandcenter ingest`."""

from __future__ import annotations

import logging

from commandcenter.config import ConfigError, Settings, data_dir
from commandcenter.hall import Hall
from commandcenter.ingest.decode import RejectedMessage
from commandcenter.ingest.message import InboundMessage
from commandcenter.ingest.open311.client import Open311Client
from commandcenter.ingest.open311.convert import ServiceMapping
from commandcenter.ingest.open311.poller import Open311Poller
from commandcenter.store.repositories import QuarantineRepo

log = logging.getLogger(__name__)


def service_mapping(settings: Settings) -> ServiceMapping:
    """`open311_categories` ("code=category;…") and the default, as the converter reads them."""
    categories = {}
    for item in filter(None, (part.strip() for part in settings.open311_categories.split(";"))):
        code, sep, category = item.partition("=")
        if not sep or not code.strip() or not category.strip():
            raise ConfigError(f"open311_categories: expected code=category, got {item!r}")
        categories[code.strip()] = category.strip()
    return ServiceMapping(categories=categories,
                          default_category=settings.open311_default_category or None,
                          crs=settings.open311_crs or "wgs84")


def start_open311(hall: Hall, settings: Settings) -> Open311Poller | None:
    """Start polling the configured report platform; None when none is configured."""
    if not settings.open311_url:
        return None
    client = Open311Client(settings.open311_url,
                           jurisdiction_id=settings.open311_jurisdiction or None)

    def sink(topic: str, payload: bytes) -> None:
        hall.ingest.put(InboundMessage(topic, payload, hall.ctx.clock()))

    def on_reject(raw: bytes, exc: RejectedMessage) -> None:
        with hall.ctx.db.write() as session:
            QuarantineRepo(session).add(hall.ctx.clock(), f"open311 {client.url}",
                                        exc.code, exc.reason, raw)

    poller = Open311Poller(client, sink, state_path=data_dir() / "open311-state.json",
                           interval_s=float(settings.open311_interval or 60),
                           prefix=settings.topic_prefix, on_reject=on_reject,
                           mapping=service_mapping(settings))
    poller.start()
    log.info("polling Open311 at %s every %s s", client.url, poller.interval_s)
    return poller
