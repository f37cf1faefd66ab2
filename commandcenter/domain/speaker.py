"""Street loudspeakers, the prepared warnings they play, and what each announcement achieved.

A dispatcher who sees a vendor on a camera can warn them through the nearest speaker before
sending anyone (远程喊话); when the warning works, that is a violation resolved by persuasion,
which the hall counts per category and street. The registry is `resources/speakers.toml`.
"""

from __future__ import annotations

import math
import unicodedata
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from commandcenter.domain.errors import InvalidEvent, KnownError
from commandcenter.domain.event import parse_instant
from commandcenter.domain.geo import haversine_m
from commandcenter.domain.pickling import quick_pickle
from commandcenter.resources import read_toml

MAX_TEXT = 200  # characters a speaker's text-to-speech takes in one request
MIN_REPEAT, MAX_REPEAT = 1, 10
ID_LENGTH = 64  # the store's column width; the id is also an MQTT topic level


class SpeakerError(KnownError):
    """A loudspeaker request or reply the hall cannot accept; the message says why."""


class InvalidAnnouncement(SpeakerError, ValueError):
    """The text or the repeat count of a warning is not something a speaker can play."""


class UnknownSpeaker(SpeakerError, LookupError):
    """The speaker is not in the registry (a typo, or removed from speakers.toml)."""


class UnknownAnnouncement(SpeakerError, LookupError):
    """An acknowledgement or an outcome names a request the hall never sent to that speaker."""


class RegistryError(SpeakerError, ValueError):
    """speakers.toml is unusable; the message names the file, the entry and the problem."""


class AckStatus(StrEnum):
    PLAYED = "played"
    FAILED = "failed"


class Outcome(StrEnum):
    PERSUADED = "persuaded"  # 劝离成功: the violation ended without sending anyone
    NOT_PERSUADED = "not_persuaded"  # 劝离无效


@dataclass(frozen=True, slots=True)
class Speaker:
    """A loudspeaker on a pole (WGS-84); `camera_id` is the camera watching the same spot."""

    id: str  # wire id: cc/v1/speaker/<id>/say
    name: str
    lat: float
    lon: float
    street: str
    camera_id: str | None = None


@quick_pickle
@dataclass(frozen=True, slots=True)
class Announcement:
    """One warning sent to one speaker for one case, its acknowledgement and its outcome."""

    request_id: str  # uuid4 hex: the speaker's ack quotes it
    speaker_id: str
    case_id: int
    text: str
    repeat: int
    sent_at: datetime
    by: str  # actor id of the dispatcher who sent it
    acked_at: datetime | None = None  # when the speaker says it played (or failed)
    ack_status: AckStatus | None = None
    outcome: Outcome | None = None
    outcome_at: datetime | None = None
    outcome_by: str | None = None

    @property
    def awaiting_ack(self) -> bool:
        return self.ack_status is None

    @property
    def played(self) -> bool:
        return self.ack_status is AckStatus.PLAYED


@dataclass(frozen=True, slots=True)
class SpeakerAck:
    """A speaker's reply on `cc/v1/speaker/<id>/ack`: `{request_id, status, ts}`."""

    speaker_id: str
    request_id: str
    status: AckStatus
    at: datetime


def new_request_id() -> str:
    return uuid.uuid4().hex


def check_text(text: str) -> str:
    """The text as it will be spoken: whitespace runs folded to one space, ≤ MAX_TEXT."""
    if not isinstance(text, str):
        raise InvalidAnnouncement("喊话内容必须是文字")
    folded = " ".join(text.split())
    if not folded:
        raise InvalidAnnouncement("喊话内容不能为空")
    if len(folded) > MAX_TEXT:
        raise InvalidAnnouncement(f"喊话内容最多 {MAX_TEXT} 字，现有 {len(folded)} 字")
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") for ch in folded):
        raise InvalidAnnouncement("喊话内容含有喇叭无法播报的控制字符")
    return folded


def check_repeat(repeat: int) -> int:
    if isinstance(repeat, bool) or not isinstance(repeat, int):
        raise InvalidAnnouncement(f"播放次数必须是整数，收到 {repeat!r}")
    if not MIN_REPEAT <= repeat <= MAX_REPEAT:
        raise InvalidAnnouncement(f"播放次数应为 {MIN_REPEAT}–{MAX_REPEAT} 次，收到 {repeat} 次")
    return repeat


def nearest_speakers(lat: float, lon: float, speakers: Iterable[Speaker],
                     n: int = 3) -> list[tuple[Speaker, float]]:
    """The `n` speakers nearest to the point, nearest first, with their distance in metres."""
    ranked = sorted(((s, haversine_m(lat, lon, s.lat, s.lon)) for s in speakers),
                    key=lambda sd: (sd[1], sd[0].id))
    return ranked[:max(n, 0)]


def ack_from_json(speaker_id: str, data: Any) -> SpeakerAck:
    """Check a decoded ack. Raises `InvalidEvent` naming the field (the ingest quarantines it)."""
    if not isinstance(data, dict):
        raise InvalidEvent(f"expected a JSON object, got {type(data).__name__}")
    request_id = data.get("request_id")
    if not isinstance(request_id, str) or not request_id.strip():
        raise InvalidEvent("missing or empty", "request_id")
    if len(request_id) > 64 or not request_id.isascii() or not request_id.isalnum():
        raise InvalidEvent(f"{request_id[:80]!r} is not a request id", "request_id")
    status = data.get("status")
    if status not in tuple(AckStatus):
        raise InvalidEvent(f"{status!r} is not one of {', '.join(AckStatus)}", "status")
    return SpeakerAck(speaker_id, request_id, AckStatus(status), parse_instant(data.get("ts"),
                                                                             "ts"))


@dataclass(frozen=True, slots=True)
class SpeakerRegistry:
    """The hall's speakers and its prepared phrases, per category code."""

    speakers: tuple[Speaker, ...]
    phrases: Mapping[str, tuple[str, ...]]  # category code -> phrases, the usual one first
    general: tuple[str, ...] = ()  # phrases that fit any category

    def get(self, speaker_id: str) -> Speaker | None:
        return next((s for s in self.speakers if s.id == speaker_id), None)

    def require(self, speaker_id: str) -> Speaker:
        speaker = self.get(speaker_id)
        if speaker is None:
            raise UnknownSpeaker(f"喇叭 {speaker_id} 不在喇叭登记表中（speakers.toml）")
        return speaker

    def for_camera(self, camera_id: str) -> Speaker | None:
        return next((s for s in self.speakers if s.camera_id == camera_id), None)

    def nearest(self, lat: float, lon: float, n: int = 3) -> list[tuple[Speaker, float]]:
        return nearest_speakers(lat, lon, self.speakers, n)

    def phrases_for(self, category: str | None) -> list[str]:
        """The category's own phrases first (the dialog preselects the first), then the general
        ones, then every other category's, so any prepared phrase is one pick away."""
        out: list[str] = []
        ordered: list[Sequence[str]] = [self.phrases.get(category or "", ()), self.general]
        ordered += [p for code, p in sorted(self.phrases.items()) if code != category]
        for group in ordered:
            out += [p for p in group if p not in out]
        return out


def load_registry(path: str | Path | None = None) -> SpeakerRegistry:
    """Read speakers.toml (the shipped one by default), checking every entry before use."""
    if path is None:
        from commandcenter.resources import resource_path

        path = resource_path("speakers.toml")
    path = Path(path)
    data = read_toml(path, RegistryError)

    def phrase_list(where: str, value: Any) -> tuple[str, ...]:
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not items:
            raise RegistryError(f"{path}: {where}: expected a phrase or a list of phrases")
        try:
            return tuple(check_text(item) for item in items)
        except InvalidAnnouncement as exc:
            raise RegistryError(f"{path}: {where}: {exc}") from None

    raw_phrases = data.get("phrases", {})
    if not isinstance(raw_phrases, dict):
        raise RegistryError(f"{path}: [phrases] must be a table of category code = phrase(s)")
    phrases = {str(code): phrase_list(f"phrases.{code}", v) for code, v in raw_phrases.items()}
    general = phrase_list("general", data["general"]) if "general" in data else ()

    entries = data.get("speaker")
    if not isinstance(entries, list) or not entries:
        raise RegistryError(f"{path}: no [[speaker]] entries")
    speakers: list[Speaker] = []
    for i, entry in enumerate(entries, 1):
        speaker = _speaker(path, i, entry)
        if any(s.id == speaker.id for s in speakers):
            raise RegistryError(f"{path}: speaker #{i}: id {speaker.id!r} is used twice")
        speakers.append(speaker)
    return SpeakerRegistry(tuple(speakers), phrases, general)


def _speaker(path: Path, index: int, entry: Any) -> Speaker:
    where = f"{path}: speaker #{index}"
    if not isinstance(entry, dict):
        raise RegistryError(f"{where}: expected a table")
    texts: dict[str, str] = {}
    for key in ("id", "name", "street"):
        value = entry.get(key)
        if not isinstance(value, str) or not value.strip():
            raise RegistryError(f"{where}: {key} is missing or empty")
        texts[key] = value.strip()
    sid = texts["id"]
    if len(sid) > ID_LENGTH or not all(ch.isascii() and (ch.isalnum() or ch in "-_.")
                                       for ch in sid):
        raise RegistryError(f"{where}: id {sid!r} must be ASCII letters, digits, '-', '_' or "
                            f"'.' (it is an MQTT topic level), at most {ID_LENGTH} characters")
    coords: dict[str, float] = {}
    for key, limit in (("lat", 90.0), ("lon", 180.0)):
        value = entry.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float) \
                or not math.isfinite(value) or abs(value) > limit:
            raise RegistryError(f"{where} ({sid}): {key} must be a WGS-84 number, got {value!r}")
        coords[key] = float(value)
    camera = entry.get("camera_id")
    if camera is not None and (not isinstance(camera, str) or not camera.strip()):
        raise RegistryError(f"{where} ({sid}): camera_id must be text")
    return Speaker(sid, texts["name"], coords["lat"], coords["lon"], texts["street"],
                   camera.strip() if camera else None)
