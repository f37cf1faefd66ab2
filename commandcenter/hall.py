"""Assemble a working hall from settings: database, policy, catalog, district, services, ingest.

The desktop and the headless tools build the same object, so the console runs exactly the code
the server runs.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from commandcenter.config import ConfigError, Settings
from commandcenter.domain.catalog import default_catalog
from commandcenter.domain.district import load_district
from commandcenter.domain.sla import SlaPolicy
from commandcenter.ingest.cameras.registry import load_camera_registry
from commandcenter.ingest.hj212.mode import Mode, parse_mode
from commandcenter.ingest.worker import ChangesSink, IngestWorker
from commandcenter.ingest.writer import IngestWriter
from commandcenter.services.cases import CaseService
from commandcenter.services.context import HallContext
from commandcenter.services.outbox import Outbox
from commandcenter.services.requests import RequestService
from commandcenter.store.database import open_database

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Hall:
    ctx: HallContext
    outbox: Outbox
    cases: CaseService
    ingest: IngestWorker
    requests: RequestService

    def close(self) -> None:
        if self.ingest.stop():
            self.ctx.db.dispose()


def parse_hj212_modes(text: str) -> dict[str, Mode]:
    """`MN=mode;MN=mode` (a mode as `parse_mode` reads it: strict, lenient, lenient:a,b)."""
    modes: dict[str, Mode] = {}
    for item in filter(None, (part.strip() for part in text.split(";"))):
        mn, sep, mode = item.partition("=")
        if not sep or not mn.strip():
            raise ConfigError(f"hj212_modes: expected MN=mode, got {item!r}")
        modes[mn.strip()] = parse_mode(mode.strip())
    return modes


def open_hall(settings: Settings, *, demo: bool = False,
              on_changes: ChangesSink | None = None) -> Hall:
    db = open_database(settings.database_url(demo=demo))
    ctx = HallContext(db=db, policy=SlaPolicy.load(), catalog=default_catalog(),
                      district=load_district(), tz=ZoneInfo(settings.timezone),
                      topic_prefix=settings.topic_prefix,
                      cameras=load_camera_registry(settings.cameras_file or None),
                      hj212_modes=parse_hj212_modes(settings.hj212_modes))
    outbox = Outbox()
    worker = IngestWorker(IngestWriter(ctx), on_changes=on_changes)
    log.info("hall opened on %s", db.display_url())
    return Hall(ctx, outbox, CaseService(ctx, outbox), worker, RequestService(ctx, outbox))
