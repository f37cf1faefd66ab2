"""远程喊话: warn through the nearest street speaker, see it play, record whether it worked.

Each call is one unit of work with an audit entry; the `say` message goes out only after the
commit (an unstored request could never be acknowledged). Persuasions are counted per category
and street: "this year, N violations resolved by persuasion".
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from dataclasses import replace
from datetime import datetime
from typing import TypedDict

from sqlalchemy.orm import Session

from commandcenter.domain.case import Case
from commandcenter.domain.errors import InvalidEvent
from commandcenter.domain.speaker import (
    AckStatus,
    Announcement,
    InvalidAnnouncement,
    Outcome,
    Speaker,
    SpeakerAck,
    SpeakerError,
    SpeakerRegistry,
    UnknownAnnouncement,
    ack_from_json,
    check_repeat,
    check_text,
    load_registry,
    new_request_id,
)
from commandcenter.services import audit
from commandcenter.services.actor import SYSTEM, Actor
from commandcenter.services.context import HallContext
from commandcenter.services.outbox import Outbox
from commandcenter.store.repositories import NotFound
from commandcenter.store.speaker_repo import AnnouncementRepo

log = logging.getLogger(__name__)

MAX_ACK_BYTES = 4096
UNKNOWN_STREET = "未知街道"  # a case outside every street whose speaker left the registry

OUTCOME_NAMES_ZH = {Outcome.PERSUADED: "劝离成功", Outcome.NOT_PERSUADED: "劝离无效"}
ACK_NAMES_ZH = {AckStatus.PLAYED: "喇叭已播放", AckStatus.FAILED: "喇叭播放失败"}


class PersuasionCounts(TypedDict):
    total: int  # violations (cases) resolved by persuasion
    by_category: dict[str, int]  # category code -> count, largest first
    by_street: dict[str, int]  # 街道 -> count, largest first


def speaker_actor(speaker: Speaker | None, speaker_id: str) -> Actor:
    """Who acknowledged: the speaker itself, as the audit log records it."""
    return Actor(f"speaker:{speaker_id}", speaker.name if speaker else speaker_id,
                 frozenset({SYSTEM}))


def parse_ack(speaker_id: str, payload: bytes) -> SpeakerAck:
    """Decode the ack bytes. Raises `InvalidEvent` (a KnownError) naming what is wrong."""
    if len(payload) > MAX_ACK_BYTES:
        raise InvalidEvent(f"ack of {len(payload)} bytes exceeds {MAX_ACK_BYTES}")
    try:
        data = json.loads(payload.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InvalidEvent(f"ack is not UTF-8 at byte {exc.start}") from None
    except (ValueError, RecursionError) as exc:
        raise InvalidEvent(f"ack is not JSON: {exc}") from None
    return ack_from_json(speaker_id, data)


def apply_ack(session: Session, registry: SpeakerRegistry, ack: SpeakerAck,
              now: datetime) -> tuple[Announcement, bool]:
    """Record the ack inside the caller's transaction (the ingest writer's batch, or
    `SpeakerService.acknowledge`). Returns the announcement and whether it changed: a redelivered
    ack (QoS 1) changes nothing and writes no second audit entry."""
    repo = AnnouncementRepo(session)
    current = repo.get(ack.request_id, for_update=True)
    if current is None or current.speaker_id != ack.speaker_id:
        raise UnknownAnnouncement(
            f"喇叭 {ack.speaker_id} 确认的喊话请求 {ack.request_id} 不存在"
            + (f"（该请求发给了喇叭 {current.speaker_id}）" if current is not None else ""))
    if current.ack_status is ack.status and current.acked_at == ack.at:
        return current, False
    updated = replace(current, ack_status=ack.status, acked_at=ack.at)
    repo.save(updated)
    speaker = registry.get(ack.speaker_id)
    audit.append(session, at=now, actor=speaker_actor(speaker, ack.speaker_id),
                 action="speaker_ack", case_id=current.case_id, note=ACK_NAMES_ZH[ack.status],
                 before={"ack_status": current.ack_status.value if current.ack_status else None},
                 after={"request_id": ack.request_id, "ack_status": ack.status.value,
                        "acked_at": ack.at.isoformat()})
    return updated, True


class SpeakerService:
    def __init__(self, ctx: HallContext, outbox: Outbox,
                 registry: SpeakerRegistry | None = None) -> None:
        self.ctx = ctx
        self.outbox = outbox
        self._registry = registry if registry is not None else load_registry()

    # --- the registry ----------------------------------------------------------------------
    def registry(self) -> SpeakerRegistry:
        return self._registry

    def nearest(self, case: Case, n: int = 3) -> list[tuple[Speaker, float]]:
        """The speakers nearest the case, nearest first, with metres; none if it has no place."""
        if case.location is None:
            return []
        return self._registry.nearest(case.location.lat, case.location.lon, n)

    def phrases_for(self, category: str | None) -> list[str]:
        return self._registry.phrases_for(category)

    def topic(self, speaker_id: str, leaf: str) -> str:
        return f"{self.ctx.topic_prefix}/speaker/{speaker_id}/{leaf}"

    # --- actions ---------------------------------------------------------------------------
    def say(self, case_id: int, speaker_id: str, text: str, repeat: int,
            actor: Actor) -> Announcement:
        """Store the request, audit it, and only after the commit send it to the speaker."""
        speaker = self._registry.require(speaker_id)
        spoken = check_text(text)
        check_repeat(repeat)
        now = self.ctx.clock()
        announcement = Announcement(new_request_id(), speaker.id, case_id, spoken, repeat, now,
                                    actor.id)
        with self.ctx.db.write() as session:
            repo = AnnouncementRepo(session)
            if not repo.case_exists(case_id):
                raise NotFound(f"案件 {case_id} 不存在")
            repo.add(announcement)
            audit.append(session, at=now, actor=actor, action="speaker_say", case_id=case_id,
                         note=spoken,
                         after={"request_id": announcement.request_id, "speaker_id": speaker.id,
                                "speaker": speaker.name, "repeat": repeat})
        self.outbox.send([(self.topic(speaker.id, "say"),
                           {"request_id": announcement.request_id, "text": spoken,
                            "repeat": repeat})])
        log.info("%s: speaker %s warned for case %s (%s)", actor.id, speaker.id, case_id,
                 announcement.request_id)
        return announcement

    def acknowledge(self, speaker_id: str, payload: bytes) -> Announcement:
        """A speaker's reply on `.../speaker/<id>/ack`. Unknown request: `UnknownAnnouncement`;
        a malformed payload: `InvalidEvent`."""
        ack = parse_ack(speaker_id, payload)
        with self.ctx.db.write() as session:
            announcement, changed = apply_ack(session, self._registry, ack, self.ctx.clock())
        if changed:
            log.info("speaker %s %s request %s", speaker_id, ack.status.value, ack.request_id)
        return announcement

    def record_outcome(self, request_id: str, outcome: Outcome | str,
                       actor: Actor) -> Announcement:
        """劝离成功 / 劝离无效. May be corrected later (the audit keeps both)."""
        try:
            result = Outcome(outcome)
        except ValueError:
            raise InvalidAnnouncement(
                f"劝离结果应为 {' 或 '.join(Outcome)}，收到 {outcome!r}") from None
        now = self.ctx.clock()
        with self.ctx.db.write() as session:
            repo = AnnouncementRepo(session)
            current = repo.get(request_id, for_update=True)
            if current is None:
                raise UnknownAnnouncement(f"喊话请求 {request_id} 不存在")
            if current.ack_status is AckStatus.FAILED:
                raise SpeakerError(
                    "喇叭报告这次喊话播放失败，无法记录劝离结果；请检查喇叭后重新发送")
            if current.outcome is result:
                return current
            updated = replace(current, outcome=result, outcome_at=now, outcome_by=actor.id)
            repo.save(updated)
            audit.append(session, at=now, actor=actor, action="speaker_outcome",
                         case_id=current.case_id, note=OUTCOME_NAMES_ZH[result],
                         before={"outcome": current.outcome.value if current.outcome else None},
                         after={"request_id": request_id, "outcome": result.value})
        return updated

    # --- reading ---------------------------------------------------------------------------
    def get(self, request_id: str) -> Announcement:
        with self.ctx.db.read() as session:
            found = AnnouncementRepo(session).get(request_id)
        if found is None:
            raise UnknownAnnouncement(f"喊话请求 {request_id} 不存在")
        return found

    def history(self, case_id: int) -> list[Announcement]:
        with self.ctx.db.read() as session:
            return AnnouncementRepo(session).for_case(case_id)

    def persuasion_counts(self, year: int | None = None) -> PersuasionCounts:
        """Violations resolved by persuasion, in the hall's calendar `year` (all time if None).

        A case counts once however many warnings it took; its street is the case's 街道, or the
        speaker's when the case lies outside every street."""
        since = until = None
        if year is not None:
            since = datetime(year, 1, 1, tzinfo=self.ctx.tz)
            until = datetime(year + 1, 1, 1, tzinfo=self.ctx.tz)
        seen: set[int] = set()
        categories: Counter[str] = Counter()
        streets: Counter[str] = Counter()
        with self.ctx.db.read() as session:
            for row in AnnouncementRepo(session).persuaded(since, until):
                if row.case_id in seen:
                    continue
                seen.add(row.case_id)
                categories[row.category] += 1
                speaker = self._registry.get(row.speaker_id)
                streets[row.case_street or (speaker.street if speaker else UNKNOWN_STREET)] += 1
        return PersuasionCounts(total=len(seen), by_category=dict(categories.most_common()),
                                by_street=dict(streets.most_common()))
