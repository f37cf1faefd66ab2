"""Field units: officers and squads (中队), with status and last known position."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from commandcenter.domain.pickling import quick_pickle

POSITION_MAX_AGE = timedelta(minutes=30)


class UnitStatus(StrEnum):
    AVAILABLE = "available"
    DISPATCHED = "dispatched"
    EN_ROUTE = "en_route"
    ON_SCENE = "on_scene"
    OFF_DUTY = "off_duty"


UNIT_STATUS_ZH = {
    UnitStatus.AVAILABLE: "空闲", UnitStatus.DISPATCHED: "已派单", UnitStatus.EN_ROUTE: "在途",
    UnitStatus.ON_SCENE: "在现场", UnitStatus.OFF_DUTY: "下班",
}


@quick_pickle
@dataclass(frozen=True, slots=True)
class Unit:
    id: str  # stable id used on the wire: cc/v1/unit/<id>/...
    name: str
    kind: str = "officer"  # officer | squad
    squad: str | None = None
    status: UnitStatus = UnitStatus.AVAILABLE
    lat: float | None = None
    lon: float | None = None
    position_at: datetime | None = None
    case_id: int | None = None
    updated_at: datetime | None = None

    def position(self, now: datetime) -> tuple[float, float] | None:
        """The last position, or None when it is older than 30 minutes (not worth trusting)."""
        if self.lat is None or self.lon is None or self.position_at is None:
            return None
        if now - self.position_at > POSITION_MAX_AGE:
            return None
        return (self.lat, self.lon)
