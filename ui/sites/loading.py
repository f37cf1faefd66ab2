"""What the 油烟监测站点 dialog loads, and the jobs that load it on the worker thread.

Everything here runs off the GUI thread (through `Bridge.run`) and touches no widget; a failure
comes back as a `Failed` message for the dialog to show.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from commandcenter.domain.errors import KnownError
from commandcenter.domain.site import Cleaning
from commandcenter.services.sites import SiteOverview, SiteService
from commandcenter.store.site_repo import SiteRepo
from ui.sites.chart import Reading

log = logging.getLogger(__name__)
T = TypeVar("T")
HISTORY = 3  # cleaning records shown under the table


@dataclass(frozen=True, slots=True)
class SiteDetail:
    mn: str
    readings: list[Reading]
    history: list[Cleaning]  # newest first
    now: datetime


@dataclass(frozen=True, slots=True)
class SitesSnapshot:
    sites: list[SiteOverview]
    now: datetime
    detail: SiteDetail | None  # of the site selected when the refresh began


@dataclass(frozen=True, slots=True)
class Failed:
    message: str


def cleaning_history(service: SiteService, mn: str, limit: int = HISTORY) -> list[Cleaning]:
    """A site's latest cleaning records, newest first.

    SiteService has no per-site history yet; this reads the registry through the service's own
    database, on the worker thread. Replace with the service method once it exists.
    """
    with service.ctx.db.read() as session:
        return SiteRepo(session).cleanings(mn)[:limit]


def load_detail(service: SiteService, mn: str, hours: float) -> SiteDetail:
    return SiteDetail(mn, service.readings(mn, hours=hours), cleaning_history(service, mn),
                      service.ctx.clock())


def load_snapshot(service: SiteService, mn: str | None, hours: float) -> SitesSnapshot:
    sites = service.overview()
    detail = load_detail(service, mn, hours) if mn else None
    return SitesSnapshot(sites, service.ctx.clock(), detail)


def safely(job: Callable[[], T]) -> T | Failed:
    """A failed job becomes a message the dialog shows (and the log keeps)."""
    try:
        return job()
    except KnownError as exc:
        log.warning("oil-fume sites: %s", exc)
        return Failed(str(exc))
    except Exception as exc:
        log.exception("oil-fume sites: a background job failed")
        return Failed(f"{type(exc).__name__}: {exc}")
