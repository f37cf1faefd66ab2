"""The district's case-worthy stream: 随手拍 reports, QR-code feedback and camera analytics.

One Poisson process drives all three (the sources are independent in life, and a merged Poisson
process is a Poisson process), so `rate` scales the whole stream with a single number.
"""

from __future__ import annotations

import math
import random
from collections import deque
from dataclasses import dataclass

from commandcenter.domain.geo import wgs84_to_gcj02
from commandcenter.sim.agenda import Agenda, Message
from commandcenter.sim.places import Camera, Place, Places, in_district
from commandcenter.sim.texts import (
    CAMERA_LABELS,
    CITIZEN_REPORTS,
    PHONE_PREFIXES,
    QR_FEEDBACK,
    SPOTS,
    ReportTemplate,
)
from commandcenter.sim.wire import DEMO_MEDIA, Wire, stamp

# Signals per minute at rate 1, by source. With the oil-fume alarms (oilfume.py, about 0.05 a
# minute) the district sees about 1.5 case-worthy signals a minute: a busy but plausible hall.
PER_MINUTE = {"suishoupai": 0.75, "qrcode": 0.20, "camera": 0.50}
DUPLICATE_SHARE = 0.10  # share of 随手拍 reports that re-send a recent one
DUPLICATE_WINDOW_S = 30 * 60
DUPLICATE_SHIFT_M = (8.0, 40.0)  # a re-sent report's pin lands a little elsewhere


@dataclass(frozen=True, slots=True)
class _Report:
    """A sent 随手拍 report, kept so that a citizen can send it again."""

    t: int
    place: Place
    category: str
    severity: str
    title: str
    description: str
    reporter: str


class SignalStream:
    def __init__(
        self, places: Places, rng: random.Random, rate: float, agenda: Agenda, wire: Wire
    ) -> None:
        self._places = places
        self._rng = rng
        self._agenda = agenda
        self._wire = wire
        sources = dict(PER_MINUTE)
        if not places.cameras:
            sources.pop("camera")
        self._sources = list(sources)
        self._weights = [sources[s] for s in self._sources]
        self._per_second = rate * sum(self._weights) / 60.0
        self._clock = 0.0  # exact (fractional) time of the last arrival
        self._serial = 0
        self._recent: deque[_Report] = deque(maxlen=12)

    def start(self) -> None:
        if self._per_second > 0:
            self._schedule_next()

    def _schedule_next(self) -> None:
        # Keep the exact arrival time and round only the due second, so rounding never biases
        # the rate, even at rates where several signals fall in one second.
        self._clock += self._rng.expovariate(self._per_second)
        self._agenda.schedule(math.ceil(self._clock), self._fire)

    def _fire(self, t: int) -> list[Message]:
        self._schedule_next()
        self._serial += 1
        source = self._rng.choices(self._sources, self._weights)[0]
        if source == "suishoupai":
            return [self._citizen(t)]
        if source == "qrcode":
            return [self._qr(t)]
        return [self._camera(t)]

    # -- 随手拍 -----------------------------------------------------------------------------

    def _citizen(self, t: int) -> Message:
        rng = self._rng
        at = self._agenda.at(t)
        source_id = f"SSP{stamp(at)}{self._serial:05d}"
        recent = [r for r in self._recent if t - r.t <= DUPLICATE_WINDOW_S]
        if recent and rng.random() < DUPLICATE_SHARE:
            # Impatient citizens re-send: same words, a new id, the pin dropped a little off.
            report = rng.choice(recent)
            lat, lon = _shifted(rng, report.place.lat, report.place.lon, *DUPLICATE_SHIFT_M)
        else:
            template = self._template(CITIZEN_REPORTS, at.hour)
            place = self._place(template)
            report = _Report(t, place, template.category, template.severity,
                             *_words(rng, template, place), _masked_phone(rng))
            self._recent.append(report)
            lat, lon = place.lat, place.lon
        # The mini-program reports where the citizen picked on the map, in WeChat's GCJ-02.
        glat, glon = wgs84_to_gcj02(lat, lon)
        return self._wire.event(
            source="suishoupai", source_id=source_id, kind="report", at=at,
            lat=glat, lon=glon, crs="gcj02", address=report.place.name,
            category=report.category, severity=report.severity, title=report.title,
            description=report.description, reporter=report.reporter,
            media=[f"{DEMO_MEDIA}/suishoupai/{at:%Y/%m/%d}/{source_id}.jpg"],
        )

    # -- QR-code feedback -------------------------------------------------------------------

    def _qr(self, t: int) -> Message:
        rng = self._rng
        at = self._agenda.at(t)
        source_id = f"QR{stamp(at)}{self._serial:05d}"
        template = self._template(QR_FEEDBACK, at.hour)
        place = self._place(template)
        title, description = _words(rng, template, place)
        media = [f"{DEMO_MEDIA}/qrcode/{at:%Y/%m/%d}/{source_id}.jpg"] if rng.random() < 0.5 else []
        reporter = _masked_phone(rng) if rng.random() < 0.6 else None  # the phone is optional
        return self._wire.event(
            source="qrcode", source_id=source_id, kind="report", at=at,
            lat=place.lat, lon=place.lon, address=place.name, category=template.category,
            severity=template.severity, title=title, description=description, media=media,
            reporter=reporter,
        )

    # -- cameras ----------------------------------------------------------------------------

    def _camera(self, t: int) -> Message:
        rng = self._rng
        at = self._agenda.at(t)
        covered = {c for camera in self._places.cameras for c in camera.categories}
        codes = [c for c in CAMERA_LABELS if c in covered]
        if codes:
            code = rng.choices(codes, [CAMERA_LABELS[c].weight for c in codes])[0]
            camera: Camera = rng.choice([c for c in self._places.cameras if code in c.categories])
        else:  # cameras that detect only categories without a label: use their own default
            camera = rng.choice(self._places.cameras)
            code = camera.category
        label = CAMERA_LABELS.get(code)
        if label is not None:
            title = f"{camera.name}：{label.label}"
            description = label.description.format(
                conf=rng.uniform(0.72, 0.98), people=rng.randint(80, 220), threshold=60
            )
            severity = label.severity
        else:
            title, description, severity = f"{camera.name}：智能分析告警", "", "minor"
        return self._wire.event(
            source="camera", source_id=f"{camera.id}-{stamp(at)}-{self._serial:05d}",
            kind="camera", at=at, lat=camera.place.lat, lon=camera.place.lon,
            address=camera.name, category=code, severity=severity, title=title,
            description=description, device=camera.id,
            media=[f"{DEMO_MEDIA}/camera/{camera.id}/{stamp(at)}.jpg"],
        )

    # -- choices ----------------------------------------------------------------------------

    def _template(self, templates: tuple[ReportTemplate, ...], hour: int) -> ReportTemplate:
        sites = {p.kind for p in self._places.sites()}
        usable = [tp for tp in templates
                  if (tp.hours is None or hour in tp.hours) and tp.kinds & sites]
        if not usable:
            raise ValueError("places.toml has no place where any report template applies")
        return self._rng.choices(usable, [tp.weight for tp in usable])[0]

    def _place(self, template: ReportTemplate) -> Place:
        candidates = self._places.sites(*template.kinds)
        weights = [p.weight for p in candidates]
        if not any(weights):
            return self._rng.choice(candidates)
        return self._rng.choices(candidates, weights)[0]


def _words(rng: random.Random, template: ReportTemplate, place: Place) -> tuple[str, str]:
    spot = rng.choice(SPOTS.get(place.kind, ("附近",)))
    title, description = rng.choice(template.variants)
    fill = {"place": place.name, "spot": spot}
    return title.format(**fill), description.format(**fill)


def _masked_phone(rng: random.Random) -> str:
    return f"{rng.choice(PHONE_PREFIXES)}****{rng.randint(0, 9999):04d}"


def _shifted(
    rng: random.Random, lat: float, lon: float, low_m: float, high_m: float
) -> tuple[float, float]:
    """A point `low_m`–`high_m` metres from (lat, lon) in a random direction, kept in the box."""
    distance = rng.uniform(low_m, high_m)
    bearing = rng.uniform(0.0, 2.0 * math.pi)
    dlat = distance * math.cos(bearing) / 111_320.0
    dlon = distance * math.sin(bearing) / (111_320.0 * math.cos(math.radians(lat)))
    if in_district(lat + dlat, lon + dlon):
        return lat + dlat, lon + dlon
    return lat, lon
