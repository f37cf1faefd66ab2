"""The district's geography: its outline and its 街道 areas, and which street a point is in.

Why: every case carries the street (街道) it happened in (DESIGN.md §3), and the map draws the
district when no basemap is configured. The shipped data (`resources/map/`, made by
`tools/make_district_map.py`) is the public 崇川区 outline plus APPROXIMATE street areas, since
real street boundaries are not public; a hall imports its own GIS export with
`load_geojson_areas`. Everything here is WGS-84, with polygons as rings of (lon, lat) pairs in
GeoJSON order, like `commandcenter.domain.geo`.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from commandcenter.domain.errors import KnownError
from commandcenter.domain.geo import DATUMS, convert, haversine_m, point_in_polygon
from commandcenter.resources import resource_path

Coord = tuple[float, float]  # (lon, lat)
Ring = tuple[Coord, ...]
Polygon = tuple[Ring, ...]  # outer ring first, then holes
Bounds = tuple[float, float, float, float]  # min_lon, min_lat, max_lon, max_lat

_CELL_DEG = 0.01  # street lookup grid: ~1 km cells, a few streets' bounds reach each
_CELL_MARGIN = 1e-9  # degrees: a cell's edges are computed in floating point
_MAX_CELLS = 100_000  # cells remembered before starting afresh (points from anywhere)
OUTLINE_FILE = "chongchuan.geojson"
STREETS_FILE = "streets-approx.geojson"


class InvalidAreaFile(KnownError, ValueError):
    """A GeoJSON area file that cannot be used; the message names the file and the problem.

    A `ValueError` too, so callers that only know the standard library can still catch it.
    """


def _bounds_of(polygons: Iterable[Polygon]) -> Bounds:
    lons = [lon for polygon in polygons for lon, _ in polygon[0]]
    lats = [lat for polygon in polygons for _, lat in polygon[0]]
    if not lons:
        return (math.nan, math.nan, math.nan, math.nan)
    return (min(lons), min(lats), max(lons), max(lats))


def _in_bounds(bounds: Bounds, lat: float, lon: float) -> bool:
    return bounds[0] <= lon <= bounds[2] and bounds[1] <= lat <= bounds[3]


@dataclass(frozen=True)
class StreetArea:
    """One 街道 (or any named area): its polygons and a representative centre inside it.

    `centre` is (lon, lat) like the polygon vertices; `approximate` is True for the shipped
    demo areas so the map can say so on screen.
    """

    name: str
    polygons: tuple[Polygon, ...]
    centre: Coord
    approximate: bool = False
    bounds: Bounds = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "bounds", _bounds_of(self.polygons))

    def contains(self, lat: float, lon: float) -> bool:
        if not _in_bounds(self.bounds, lat, lon):  # cheap reject: most areas miss most points
            return False
        return any(point_in_polygon(lat, lon, polygon) for polygon in self.polygons)


@dataclass(frozen=True)
class District:
    """The district outline and its street areas (WGS-84)."""

    name: str
    outline: tuple[Polygon, ...]
    streets: tuple[StreetArea, ...]
    bounds: Bounds = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "bounds", _bounds_of(self.outline))

    @property
    def street_names(self) -> list[str]:
        return [street.name for street in self.streets]

    def street(self, name: str) -> StreetArea | None:
        return next((s for s in self.streets if s.name == name), None)

    def contains(self, lat: float, lon: float) -> bool:
        if not _in_bounds(self.bounds, lat, lon):
            return False
        return any(point_in_polygon(lat, lon, polygon) for polygon in self.outline)

    def street_at(self, lat: float, lon: float) -> str | None:
        """The street containing the point; inside the district but in no area, the nearest.

        Street areas and the outline come from different sources (the shipped outline is AMap's,
        a hall's streets its own survey), so their edges never match exactly: a point inside the
        district that falls in a sliver between areas still gets a street (the one with the
        nearest centre), and a point in a street area counts even if the outline just misses it.
        Outside both, the answer is None: the case is not this hall's.
        """
        for street in self._streets_near(lat, lon):
            if street.contains(lat, lon):
                return street.name
        if not self.streets or not self.contains(lat, lon):
            return None
        nearest = min(self.streets, key=lambda s: haversine_m(lat, lon, s.centre[1], s.centre[0]))
        return nearest.name

    def _streets_near(self, lat: float, lon: float) -> tuple[StreetArea, ...]:
        """The streets (in their order) whose bounds reach the grid cell of the point: only
        they can contain it. Every case the writer opens asks for its street, and testing
        the bounds of every area took longer than the one polygon test that decides."""
        try:
            cell = (int(lat // _CELL_DEG), int(lon // _CELL_DEG))
        except (ValueError, OverflowError):  # NaN or infinite: no cell, test them all
            return self.streets
        near = self._cells.get(cell)
        if near is None:
            if len(self._cells) >= _MAX_CELLS:
                self._cells.clear()
            near = self._cells[cell] = tuple(s for s in self.streets
                                             if _reaches(s.bounds, cell))
        return near

    @cached_property
    def _cells(self) -> dict[tuple[int, int], tuple[StreetArea, ...]]:
        return {}


def _reaches(bounds: Bounds, cell: tuple[int, int]) -> bool:
    """True if `bounds` overlaps the cell (widened a little: a point is placed in its cell by
    floating-point division, so it may lie a hair outside the cell's computed edges)."""
    lat_lo, lon_lo = cell[0] * _CELL_DEG - _CELL_MARGIN, cell[1] * _CELL_DEG - _CELL_MARGIN
    lat_hi, lon_hi = lat_lo + _CELL_DEG + 2 * _CELL_MARGIN, lon_lo + _CELL_DEG + 2 * _CELL_MARGIN
    return (bounds[0] <= lon_hi and lon_lo <= bounds[2]
            and bounds[1] <= lat_hi and lat_lo <= bounds[3])


def load_district(
    outline_path: str | Path | None = None, streets_path: str | Path | None = None
) -> District:
    """The district from GeoJSON files; with no arguments, the shipped data (read once).

    Custom paths are read on every call, so a hall re-importing its export sees the new file.
    """
    if outline_path is None and streets_path is None:
        return _default_district()
    return _read_district(
        Path(outline_path) if outline_path is not None else resource_path("map", OUTLINE_FILE),
        Path(streets_path) if streets_path is not None else resource_path("map", STREETS_FILE),
    )


@cache
def _default_district() -> District:
    return _read_district(resource_path("map", OUTLINE_FILE), resource_path("map", STREETS_FILE))


def _read_district(outline_path: Path, streets_path: Path) -> District:
    outline_areas = load_geojson_areas(outline_path)
    outline = tuple(polygon for area in outline_areas for polygon in area.polygons)
    return District(
        name=outline_areas[0].name,
        outline=outline,
        streets=tuple(load_geojson_areas(streets_path)),
    )


# ---------------------------------------------------------------------------------------------
# GeoJSON import


def load_geojson_areas(path: str | Path) -> list[StreetArea]:
    """Named areas from a GeoJSON FeatureCollection of Polygon/MultiPolygon features.

    This is how a hall brings in its real 街道 boundaries from its own GIS. Each feature needs a
    `name` property; features sharing a name are merged into one area. The datum comes from a
    `datum` or `crs` property of the feature or, failing that, of the collection: GCJ-02 (and
    BD-09) coordinates are converted to WGS-84, anything else is taken as WGS-84. An optional
    `centre` [lon, lat] (same datum) and `approximate` flag are kept; without a centre, a point
    inside the largest polygon is used. Anything wrong raises `InvalidAreaFile` (a ValueError)
    naming the file and the problem, so an import dialog can show it as is.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")  # Windows GIS tools like to write a BOM
    except OSError as exc:
        raise InvalidAreaFile(f"{path}: cannot read the file ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        raise InvalidAreaFile(f"{path}: not UTF-8 text ({exc.reason})") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidAreaFile(
            f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from exc
    return _parse_collection(data, str(path))


def _parse_collection(data: Any, where: str) -> list[StreetArea]:
    if not isinstance(data, Mapping) or data.get("type") != "FeatureCollection":
        found = data.get("type") if isinstance(data, Mapping) else type(data).__name__
        raise InvalidAreaFile(f"{where}: expected a GeoJSON FeatureCollection, found {found!r}")
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise InvalidAreaFile(f"{where}: the FeatureCollection has no features")
    default_datum = _datum_of(data, where, "the collection")

    merged: dict[str, tuple[list[Polygon], Coord | None, bool]] = {}
    for index, feature in enumerate(features):
        label = f"feature {index}"
        if not isinstance(feature, Mapping) or feature.get("type") != "Feature":
            raise InvalidAreaFile(f"{where}: {label} is not a GeoJSON Feature")
        props = feature.get("properties")
        if props is None:
            props = {}
        if not isinstance(props, Mapping):
            raise InvalidAreaFile(f"{where}: {label}: properties must be an object")
        name = props.get("name")
        if not isinstance(name, str) or not name.strip():
            raise InvalidAreaFile(f"{where}: {label} has no 'name' property (a non-empty string)")
        name = name.strip()
        label = f"feature {index} ({name})"
        datum = _datum_of(props, where, label) or default_datum or "wgs84"
        polygons = _parse_geometry(feature.get("geometry"), datum, where, label)
        centre = _parse_centre(props, datum, where, label)
        approximate = props.get("approximate") is True
        if name in merged:
            old_polygons, old_centre, old_approx = merged[name]
            merged[name] = (
                old_polygons + polygons,
                old_centre or centre,
                old_approx or approximate,
            )
        else:
            merged[name] = (polygons, centre, approximate)

    return [
        StreetArea(
            name=name,
            polygons=tuple(polygons),
            centre=centre if centre is not None else representative_point(polygons),
            approximate=approximate,
        )
        for name, (polygons, centre, approximate) in merged.items()
    ]


def _datum_of(obj: Mapping[str, Any], where: str, label: str) -> str | None:
    """The datum an object declares, normalized to one of `DATUMS`; None when it says nothing.

    Accepts a plain string ("gcj02", "GCJ-02", "wgs84", "EPSG:4326"…) or an old-style GeoJSON
    named CRS object ({"type": "name", "properties": {"name": …}}). Unknown names mean WGS-84,
    which is what GeoJSON (RFC 7946) requires anyway.
    """
    value = obj.get("datum", obj.get("crs"))
    if value is None:
        return None
    if isinstance(value, Mapping):
        named = value.get("properties")
        value = named.get("name") if isinstance(named, Mapping) else None
        if value is None:  # a CRS object we cannot read says nothing usable
            return None
    if not isinstance(value, str):
        raise InvalidAreaFile(f"{where}: {label}: 'datum'/'crs' must be a string")
    key = value.strip().lower().replace("-", "").replace("_", "")
    return key if key in DATUMS else "wgs84"


def _parse_geometry(geometry: Any, datum: str, where: str, label: str) -> list[Polygon]:
    if not isinstance(geometry, Mapping):
        raise InvalidAreaFile(f"{where}: {label} has no geometry")
    kind = geometry.get("type")
    coords = geometry.get("coordinates")
    if kind == "Polygon":
        raw_polygons = [coords]
    elif kind == "MultiPolygon":
        if not isinstance(coords, list) or not coords:
            raise InvalidAreaFile(f"{where}: {label}: MultiPolygon without polygons")
        raw_polygons = coords
    else:
        raise InvalidAreaFile(
            f"{where}: {label}: geometry type {kind!r} is not supported (Polygon or MultiPolygon)"
        )
    polygons: list[Polygon] = []
    for p_index, raw in enumerate(raw_polygons):
        if not isinstance(raw, list) or not raw:
            raise InvalidAreaFile(f"{where}: {label}: polygon {p_index} has no rings")
        rings = tuple(
            _parse_ring(ring, datum, where, f"{label}: polygon {p_index} ring {r_index}")
            for r_index, ring in enumerate(raw)
        )
        polygons.append(rings)
    return polygons


def _parse_ring(raw: Any, datum: str, where: str, label: str) -> Ring:
    if not isinstance(raw, list):
        raise InvalidAreaFile(f"{where}: {label} is not a list of positions")
    ring = [_parse_position(p, datum, where, label) for p in raw]
    if ring and ring[0] != ring[-1]:
        ring.append(ring[0])  # GeoJSON wants closed rings; some exports omit the last vertex
    distinct = len(set(ring))
    if distinct < 3:
        raise InvalidAreaFile(
            f"{where}: {label} has {distinct} distinct positions; a ring needs at least 3"
        )
    return tuple(ring)


def _parse_position(raw: Any, datum: str, where: str, label: str) -> Coord:
    if (
        not isinstance(raw, list | tuple)
        or len(raw) < 2
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in raw[:2])
    ):
        raise InvalidAreaFile(f"{where}: {label}: position {raw!r} is not [lon, lat]")
    lon, lat = float(raw[0]), float(raw[1])
    if not (math.isfinite(lon) and math.isfinite(lat)) or abs(lon) > 180 or abs(lat) > 90:
        raise InvalidAreaFile(
            f"{where}: {label}: position {raw!r} is out of range (is it [lon, lat] in degrees?)"
        )
    if datum != "wgs84":
        lat, lon = convert(datum, "wgs84", lat, lon)
    return (lon, lat)


def _parse_centre(props: Mapping[str, Any], datum: str, where: str, label: str) -> Coord | None:
    raw = props.get("centre", props.get("center"))
    if raw is None:
        return None
    return _parse_position(raw, datum, where, f"{label}: centre")


def representative_point(polygons: Sequence[Polygon]) -> Coord:
    """A point inside the largest polygon: its centroid when inside, else a scanline midpoint.

    The centre is used to label an area and as the fallback for points in gaps between areas,
    so it must lie inside the area; a centroid alone misses for C- or L-shaped streets.
    """
    if not polygons:
        raise ValueError("no polygons")
    largest = max(polygons, key=lambda p: abs(_ring_area(p[0])))
    cx, cy = _ring_centroid(largest[0])
    if point_in_polygon(cy, cx, largest):
        return (cx, cy)
    # Horizontal line through the centroid's latitude (or the middle of the ring if that misses):
    # the widest inside interval's midpoint is well inside.
    lats = [lat for _, lat in largest[0]]
    for y in (cy, (min(lats) + max(lats)) / 2):
        xs: list[float] = []
        for ring in largest:
            for (x1, y1), (x2, y2) in itertools.pairwise(ring):
                if (y1 > y) != (y2 > y):
                    xs.append(x1 + (y - y1) * (x2 - x1) / (y2 - y1))
        xs.sort()
        spans = [(xs[i], xs[i + 1]) for i in range(0, len(xs) - 1, 2)]
        if spans:
            a, b = max(spans, key=lambda s: s[1] - s[0])
            return ((a + b) / 2, y)
    return largest[0][0]  # degenerate sliver: any vertex is as good as anything


def _ring_area(ring: Ring) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in itertools.pairwise(ring)) / 2


def _ring_centroid(ring: Ring) -> Coord:
    area = _ring_area(ring)
    if abs(area) < 1e-18:
        xs = [x for x, _ in ring]
        ys = [y for _, y in ring]
        return (sum(xs) / len(xs), sum(ys) / len(ys))
    cx = cy = 0.0
    for (x1, y1), (x2, y2) in itertools.pairwise(ring):
        cross = x1 * y2 - x2 * y1
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    return (cx / (6 * area), cy / (6 * area))
