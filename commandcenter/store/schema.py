"""ORM rows. They are not domain objects: `mapping.py` converts between the two."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from commandcenter.store.types import UtcDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UtcDateTime, dict[str, Any]: JSON}


class CaseRow(Base):
    __tablename__ = "cases"
    __table_args__ = (
        # The duplicate search's candidates (store/repositories.py: open_near_many).
        Index("ix_cases_candidates_lat", "lat", "updated_at",
              sqlite_where=text("duplicate_of IS NULL"),
              postgresql_where=text("duplicate_of IS NULL")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    category: Mapped[str] = mapped_column(String(16), index=True)
    priority: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(16), index=True)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    address: Mapped[str | None] = mapped_column(String(200))
    street: Mapped[str | None] = mapped_column(String(32), index=True)
    assignee: Mapped[str | None] = mapped_column(String(64), index=True)
    assignee_name: Mapped[str | None] = mapped_column(String(64))
    reported_at: Mapped[datetime] = mapped_column(index=True)
    registered_at: Mapped[datetime | None]
    dispatched_at: Mapped[datetime | None]
    accepted_at: Mapped[datetime | None]
    arrived_at: Mapped[datetime | None]
    handled_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    suspended_at: Mapped[datetime | None]
    resumes_to: Mapped[str | None] = mapped_column(String(16))
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    duplicate_of: Mapped[int | None] = mapped_column(Integer)
    duplicate_note: Mapped[str | None] = mapped_column(Text)
    merged_into: Mapped[int | None] = mapped_column(Integer)
    escalated_at: Mapped[datetime | None] = mapped_column(index=True)
    next_due: Mapped[datetime | None] = mapped_column(index=True)
    event_count: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime]


class DeadlineRow(Base):
    __tablename__ = "case_deadlines"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"),
                                         primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    due: Mapped[datetime] = mapped_column(index=True)
    allowance_s: Mapped[float] = mapped_column(Float)
    met_at: Mapped[datetime | None]


class EventRow(Base):
    __tablename__ = "events"
    __table_args__ = (
        UniqueConstraint("source", "source_id"),
        Index("ix_events_kind_received", "kind", "received_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(64))
    source_id: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(16))
    category: Mapped[str | None] = mapped_column(String(16))
    severity: Mapped[str] = mapped_column(String(16))
    occurred_at: Mapped[datetime] = mapped_column(index=True)
    received_at: Mapped[datetime] = mapped_column(index=True)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    address: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    device: Mapped[str | None] = mapped_column(String(128), index=True)
    reporter: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[dict[str, Any]] = mapped_column(JSON)  # media, measurements, raw
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)


class UnitRow(Base):
    __tablename__ = "units"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16), default="officer")
    squad: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    position_at: Mapped[datetime | None]
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    updated_at: Mapped[datetime | None]


class AuditRow(Base):
    """Append-only, hash-chained: hash = H(prev_hash, entry); see services/audit.py."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(64), index=True)
    action: Mapped[str] = mapped_column(String(32), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    note: Mapped[str | None] = mapped_column(Text)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditHeadRow(Base):
    """One row: the chain's last hash, locked by each appender so the chain never forks."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_hash: Mapped[str] = mapped_column(String(64))
    count: Mapped[int] = mapped_column(Integer)


class CaseNumberRow(Base):
    """Per-day counter behind the human case number CC-YYYYMMDD-NNNN."""

    __tablename__ = "case_numbers"

    day: Mapped[str] = mapped_column(String(8), primary_key=True)
    last: Mapped[int] = mapped_column(Integer)


class QuarantineRow(Base):
    __tablename__ = "quarantine"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    received_at: Mapped[datetime] = mapped_column(index=True)
    source: Mapped[str] = mapped_column(String(200), index=True)  # topic or adapter name
    reason: Mapped[str] = mapped_column(Text)
    reason_code: Mapped[str] = mapped_column(String(32), index=True)
    payload: Mapped[bytes] = mapped_column(LargeBinary)


class SiteRow(Base):
    """A monitored site: readings find it by the monitor's MN."""

    __tablename__ = "sites"

    mn: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    address: Mapped[str | None] = mapped_column(String(200))
    street: Mapped[str | None] = mapped_column(String(32), index=True)
    contact: Mapped[str | None] = mapped_column(String(64))
    phone: Mapped[str | None] = mapped_column(String(32))
    limit: Mapped[float] = mapped_column(Float)


class CleaningRow(Base):
    __tablename__ = "cleanings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_mn: Mapped[str] = mapped_column(ForeignKey("sites.mn", ondelete="CASCADE"), index=True)
    cleaned_on: Mapped[date] = mapped_column(Date)
    by: Mapped[str] = mapped_column(String(64))
    next_due: Mapped[date] = mapped_column(Date, index=True)
    note: Mapped[str | None] = mapped_column(Text)


class AlarmRow(Base):
    """One row per (device, alarm type): the live state of that alarm, updated in place."""

    __tablename__ = "alarms"

    device: Mapped[str] = mapped_column(String(128), primary_key=True)
    alarm_type: Mapped[str] = mapped_column(String(32), primary_key=True)
    phase: Mapped[str] = mapped_column(String(16), index=True)
    since: Mapped[datetime | None]
    raised_at: Mapped[datetime | None]
    count: Mapped[int] = mapped_column(Integer, default=0)
    peak: Mapped[float | None] = mapped_column(Float)
    last_value: Mapped[float | None] = mapped_column(Float)
    last_seen: Mapped[datetime | None] = mapped_column(index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))


class RequestRow(Base):
    """A dispatcher's request for a supervised exception (延期, 挂账, 回退, 返工, 作废)."""

    __tablename__ = "case_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    action: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    minutes: Mapped[int | None] = mapped_column(Integer)  # for an extension
    requested_by: Mapped[str] = mapped_column(String(64))
    requested_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), index=True)  # pending|approved|refused
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str | None] = mapped_column(Text)


# Tables declared in their own modules register on the same Base (Alembic sees one metadata).
import commandcenter.store.speaker_schema  # noqa: E402, F401
