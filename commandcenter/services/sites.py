"""The site registry: restaurants with monitors, their limits, contacts and cleaning records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from commandcenter.domain.alarm import AlarmPhase, AlarmState
from commandcenter.domain.event import EventKind
from commandcenter.domain.site import Cleaning, CleaningStatus, Site, cleaning_status
from commandcenter.services.alarms import EXCEED, OFFLINE
from commandcenter.services.context import HallContext
from commandcenter.store.schema import EventRow
from commandcenter.store.site_repo import AlarmRepo, SiteRepo


@dataclass(frozen=True, slots=True)
class SiteOverview:
    """One row of the supervisor's site list."""

    site: Site
    exceed: AlarmState
    offline: bool
    cleaning: CleaningStatus
    last_cleaning: Cleaning | None

    @property
    def alarm_active(self) -> bool:
        return self.exceed.phase in (AlarmPhase.ACTIVE, AlarmPhase.CLEARING)


class SiteService:
    def __init__(self, ctx: HallContext) -> None:
        self.ctx = ctx

    def register(self, sites: list[Site]) -> int:
        """Add or update sites (IT's registry import; the demo's restaurants)."""
        with self.ctx.db.write() as session:
            repo = SiteRepo(session)
            for site in sites:
                repo.save(site)
        return len(sites)

    def record_cleaning(self, cleaning: Cleaning) -> None:
        with self.ctx.db.write() as session:
            if SiteRepo(session).get(cleaning.site_mn) is None:
                raise KeyError(f"site {cleaning.site_mn} is not registered")
            SiteRepo(session).add_cleaning(cleaning)

    def overview(self, today: date | None = None) -> list[SiteOverview]:
        today = today or self.ctx.clock().astimezone(self.ctx.tz).date()
        with self.ctx.db.read() as session:
            sites = SiteRepo(session)
            alarms = AlarmRepo(session)
            by_site: dict[str, list[Cleaning]] = {}
            for cleaning in sites.cleanings():
                by_site.setdefault(cleaning.site_mn, []).append(cleaning)
            rows = []
            for site in sites.all():
                records = by_site.get(site.mn, [])
                rows.append(SiteOverview(
                    site=site, exceed=alarms.get(site.mn, EXCEED),
                    offline=alarms.get(site.mn, OFFLINE).phase is AlarmPhase.ACTIVE,
                    cleaning=cleaning_status(records, today),
                    last_cleaning=max(records, key=lambda c: c.cleaned_on, default=None)))
            return rows

    def readings(self, mn: str, hours: float = 6.0) -> list[tuple[datetime, dict[str, float]]]:
        """The monitor's readings of the last `hours`, oldest first: the site chart's data."""
        since = self.ctx.clock() - timedelta(hours=hours)
        query = (select(EventRow.occurred_at, EventRow.body)
                 .where(EventRow.device == mn, EventRow.kind == EventKind.READING.value,
                        EventRow.occurred_at >= since)
                 .order_by(EventRow.occurred_at))
        out = []
        with self.ctx.db.read() as session:
            for at, body in session.execute(query):
                values = {code: float(m["value"])
                          for code, m in (body or {}).get("measurements", {}).items()}
                out.append((at, values))
        return out
