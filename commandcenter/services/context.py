"""What every service needs to know about the hall: its policy, catalog, district and clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from commandcenter.domain.catalog import Catalog
from commandcenter.domain.correlation import CorrelationRule
from commandcenter.domain.district import District
from commandcenter.domain.sla import SlaPolicy
from commandcenter.ingest.cameras.registry import CameraRegistry
from commandcenter.ingest.hj212.mode import Mode
from commandcenter.store.database import Database


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(slots=True)
class HallContext:
    db: Database
    policy: SlaPolicy
    catalog: Catalog
    district: District
    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Shanghai"))
    clock: Callable[[], datetime] = utc_now
    topic_prefix: str = "cc/v1"
    correlation: CorrelationRule = field(default_factory=CorrelationRule.load)
    cameras: CameraRegistry | None = None  # None: camera topics are quarantined
    hj212_modes: dict[str, Mode] = field(default_factory=dict)  # per MN; strict otherwise
