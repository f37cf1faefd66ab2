"""The simulator's gazetteer: the places of 崇川区 in `resources/places.toml`, as dataclasses.

Why a file and not code: the demo should look like the hall's own district, and a hall (or a
trainer) can swap in its own estates, devices and squads without touching the simulator.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from commandcenter.domain.errors import KnownError
from commandcenter.resources import read_toml

STREETS = frozenset({
    "城东街道", "陈桥街道", "观音山街道", "和平桥街道", "虹桥街道", "狼山镇街道", "秦灶街道",
    "任港街道", "天生港镇街道", "唐闸镇街道", "文峰街道", "新城桥街道", "幸福街道", "学田街道",
    "永兴街道", "钟秀街道",
})
SITE_KINDS = frozenset({"estate", "market", "plaza", "street", "school"})
DEVICE_KINDS = frozenset({"restaurant", "camera", "squad_base"})
PLACE_KINDS = SITE_KINDS | DEVICE_KINDS

# (min_lat, max_lat, min_lon, max_lon), WGS-84: a generous box around 崇川区. Anything the
# simulator emits lies inside it, so a typo in places.toml cannot put a case in the sea.
DISTRICT_BOX = (31.93, 32.13, 120.73, 121.00)
MN_LENGTH = 24  # HJ 212 device id (MN)


class PlacesError(KnownError, ValueError):
    """places.toml is unusable; the message names the file, the entry and the problem."""


def in_district(lat: float, lon: float) -> bool:
    min_lat, max_lat, min_lon, max_lon = DISTRICT_BOX
    return min_lat <= lat <= max_lat and min_lon <= lon <= max_lon


@dataclass(frozen=True, slots=True)
class Place:
    """A named spot (WGS-84). `weight` says how often citizens report there, relative to 1."""

    name: str
    kind: str
    lat: float
    lon: float
    street: str
    address: str | None = None
    aliases: tuple[str, ...] = ()
    weight: float = 1.0


@dataclass(frozen=True, slots=True)
class Restaurant:
    """A restaurant with an oil-fume monitor (HJ 212 MN) and its emission limit in mg/m³."""

    place: Place
    mn: str
    limit: float

    @property
    def name(self) -> str:
        return self.place.name


@dataclass(frozen=True, slots=True)
class Camera:
    """A camera with video analytics; `categories` are what it detects, `category` first."""

    id: str
    place: Place
    category: str
    categories: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.place.name


@dataclass(frozen=True, slots=True)
class Officer:
    id: str  # wire id: cc/v1/unit/<id>/...
    name: str
    squad_id: str


@dataclass(frozen=True, slots=True)
class Squad:
    """A 中队: where its officers start and patrol from."""

    id: str
    name: str
    base: Place
    officers: tuple[Officer, ...]


@dataclass(frozen=True, slots=True)
class Places:
    places: tuple[Place, ...]  # every entry, devices and bases included
    restaurants: tuple[Restaurant, ...]
    cameras: tuple[Camera, ...]
    squads: tuple[Squad, ...]

    def sites(self, *kinds: str) -> tuple[Place, ...]:
        """Places where citizens report things, optionally only of the given kinds."""
        wanted = frozenset(kinds) if kinds else SITE_KINDS
        return tuple(p for p in self.places if p.kind in wanted)

    def find(self, name: str) -> Place | None:
        """A place by name or alias (people say 万达广场 for 南通万达广场)."""
        for place in self.places:
            if place.name == name or name in place.aliases:
                return place
        return None

    @property
    def officers(self) -> tuple[Officer, ...]:
        return tuple(o for squad in self.squads for o in squad.officers)


def load_places(path: str | Path | None = None) -> Places:
    """Read places.toml (the shipped one by default) and check every entry before any is used."""
    if path is None:
        from commandcenter.resources import resource_path

        path = resource_path("places.toml")
    path = Path(path)
    data = read_toml(path, PlacesError)
    entries = data.get("place")
    if not isinstance(entries, list) or not entries:
        raise PlacesError(f"{path}: no [[place]] entries")
    return _build(entries, str(path))


def _build(entries: list[Any], where: str) -> Places:
    places: list[Place] = []
    restaurants: list[Restaurant] = []
    cameras: list[Camera] = []
    squads: list[Squad] = []
    seen_names: set[str] = set()
    seen_ids: set[str] = set()

    def unique_id(value: str, label: str) -> str:
        if value in seen_ids:
            raise PlacesError(f"{label}: id {value!r} is used twice")
        seen_ids.add(value)
        return value

    for index, entry in enumerate(entries):
        if not isinstance(entry, Mapping):
            raise PlacesError(f"{where}: place {index} is not a table")
        label = f"{where}: place {index} ({entry.get('name', '?')})"
        place = _place(entry, label)
        if place.name in seen_names:
            raise PlacesError(f"{label}: the name is used twice")
        seen_names.add(place.name)
        places.append(place)
        if place.kind == "restaurant":
            mn = unique_id(_text(entry, "mn", label), label)
            if len(mn) != MN_LENGTH:
                raise PlacesError(f"{label}: mn must be {MN_LENGTH} characters, not {len(mn)}")
            limit = _number(entry, "limit", label)
            if not limit > 0:
                raise PlacesError(f"{label}: limit must be positive")
            restaurants.append(Restaurant(place, mn, limit))
        elif place.kind == "camera":
            category = _text(entry, "category", label)
            extra = _texts(entry.get("categories", []), f"{label}: categories")
            categories = (category, *(c for c in extra if c != category))
            cameras.append(Camera(unique_id(_text(entry, "id", label), label), place, category,
                                  categories))
        elif place.kind == "squad_base":
            squad_id = _text(entry, "squad_id", label)
            raw = entry.get("officers")
            if not isinstance(raw, list) or not raw:
                raise PlacesError(f"{label}: a squad base needs officers = [{{id, name}}, ...]")
            officers = []
            for officer in raw:
                if not isinstance(officer, Mapping):
                    raise PlacesError(f"{label}: each officer is a table {{id, name}}")
                officers.append(Officer(unique_id(_text(officer, "id", label), label),
                                        _text(officer, "name", label), squad_id))
            squads.append(Squad(squad_id, _text(entry, "squad", label), place, tuple(officers)))
    return Places(tuple(places), tuple(restaurants), tuple(cameras), tuple(squads))


def _place(entry: Mapping[str, Any], label: str) -> Place:
    kind = _text(entry, "kind", label)
    if kind not in PLACE_KINDS:
        raise PlacesError(f"{label}: kind {kind!r} is not one of {', '.join(sorted(PLACE_KINDS))}")
    street = _text(entry, "street", label)
    if street not in STREETS:
        raise PlacesError(f"{label}: {street!r} is not one of the 16 街道 of 崇川区")
    lat, lon = _number(entry, "lat", label), _number(entry, "lon", label)
    if not in_district(lat, lon):
        raise PlacesError(f"{label}: lat {lat}, lon {lon} is outside 崇川区 {DISTRICT_BOX}")
    address = entry.get("address")
    if address is not None and not isinstance(address, str):
        raise PlacesError(f"{label}: address must be text")
    weight = _number(entry, "weight", label) if "weight" in entry else 1.0
    if weight < 0:
        raise PlacesError(f"{label}: weight must not be negative")
    aliases = _texts(entry.get("aliases", []), f"{label}: aliases")
    return Place(_text(entry, "name", label), kind, lat, lon, street, address, aliases, weight)


def _text(entry: Mapping[str, Any], name: str, label: str) -> str:
    value = entry.get(name)
    if not isinstance(value, str) or not value.strip():
        raise PlacesError(f"{label}: {name} is missing or not text")
    return value.strip()


def _texts(value: Any, label: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise PlacesError(f"{label} must be a list of text")
    return tuple(value)


def _number(entry: Mapping[str, Any], name: str, label: str) -> float:
    value = entry.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise PlacesError(f"{label}: {name} is missing or not a number")
    return float(value)
