"""Datum conversion, distances and point-in-polygon: the base of every location the hall shows."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from commandcenter.domain.geo import (
    DATUMS,
    bd09_to_gcj02,
    convert,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    haversine_m,
    out_of_china,
    point_in_multipolygon,
    point_in_polygon,
    wgs84_to_gcj02,
)

# Published vectors: wandergis/coordtransform, test/app.js (the "//result" comment), input
# (lng 116.404, lat 39.915) in each case. That library implements the same standard formula,
# with one-step (approximate) inverses for gcj02towgs84 and bd09togcj02.
COORDTRANSFORM_IN = (39.915, 116.404)  # (lat, lon)
COORDTRANSFORM_WGS84_TO_GCJ02 = (39.91640428150164, 116.41024449916938)
COORDTRANSFORM_GCJ02_TO_BD09 = (39.92133699351021, 116.41036949371029)
COORDTRANSFORM_BD09_TO_GCJ02 = (39.90865673957631, 116.39762729119315)
COORDTRANSFORM_GCJ02_TO_WGS84 = (39.91359571849836, 116.39775550083061)

CHINESE_CITIES = {
    "北京": (39.9042, 116.4074),
    "上海": (31.2304, 121.4737),
    "南通": (32.0080, 120.8560),
    "广州": (23.1291, 113.2644),
    "成都": (30.5728, 104.0668),
    "乌鲁木齐": (43.8256, 87.6168),
    "哈尔滨": (45.8038, 126.5350),
    "拉萨": (29.6500, 91.1000),
    "海口": (20.0400, 110.3400),
    "喀什": (39.4700, 75.9900),
}


def _china_grid() -> list[tuple[float, float]]:
    """Points across mainland China, kept clear of the GCJ-02 bounding-box edges."""
    return [
        (lat / 2, lon / 2)
        for lat in range(36, 107, 3)  # 18°N .. 53°N
        for lon in range(148, 269, 4)  # 74°E .. 134°E
    ]


# --- published vectors -------------------------------------------------------------------------


def test_wgs84_to_gcj02_matches_published_vector() -> None:
    assert wgs84_to_gcj02(*COORDTRANSFORM_IN) == pytest.approx(
        COORDTRANSFORM_WGS84_TO_GCJ02, abs=1e-9
    )


def test_gcj02_to_bd09_matches_published_vector() -> None:
    assert gcj02_to_bd09(*COORDTRANSFORM_IN) == pytest.approx(
        COORDTRANSFORM_GCJ02_TO_BD09, abs=1e-9
    )


def test_inverses_agree_with_published_one_step_inverses() -> None:
    # The published inverses are single-step approximations, so only agreement within a few
    # decimetres is expected; ours may be more exact (iterative GCJ-02 inverse).
    for ours, published in (
        (gcj02_to_wgs84(*COORDTRANSFORM_IN), COORDTRANSFORM_GCJ02_TO_WGS84),
        (bd09_to_gcj02(*COORDTRANSFORM_IN), COORDTRANSFORM_BD09_TO_GCJ02),
    ):
        assert haversine_m(*ours, *published) < 0.5


# --- properties of the conversions -------------------------------------------------------------


@pytest.mark.parametrize("lat, lon", _china_grid())
def test_gcj02_round_trip_is_under_a_centimetre(lat: float, lon: float) -> None:
    back = gcj02_to_wgs84(*wgs84_to_gcj02(lat, lon))
    assert haversine_m(lat, lon, *back) < 0.01


@pytest.mark.parametrize("city", sorted(CHINESE_CITIES))
def test_gcj02_offset_inside_china_is_hundreds_of_metres(city: str) -> None:
    lat, lon = CHINESE_CITIES[city]
    assert 100 < haversine_m(lat, lon, *wgs84_to_gcj02(lat, lon)) < 700


@pytest.mark.parametrize(
    "lat, lon",
    [(51.5074, -0.1278), (40.7128, -74.0060), (35.6762, 139.7650), (-33.8688, 151.2093), (0, 0)],
)
def test_gcj02_is_identity_outside_china(lat: float, lon: float) -> None:
    assert out_of_china(lat, lon)
    assert wgs84_to_gcj02(lat, lon) == (lat, lon)
    assert gcj02_to_wgs84(lat, lon) == (lat, lon)


@pytest.mark.parametrize("lat, lon", _china_grid()[::7])
def test_bd09_round_trip(lat: float, lon: float) -> None:
    # BD-09's published inverse is a one-step approximation: its round trip is good to about
    # 10 cm (worst ~23 cm inside China's box), not 1 cm. Bound it so a regression shows.
    assert haversine_m(lat, lon, *bd09_to_gcj02(*gcj02_to_bd09(lat, lon))) < 0.3
    assert (
        haversine_m(lat, lon, *convert("bd09", "wgs84", *convert("wgs84", "bd09", lat, lon))) < 0.3
    )


def test_convert_rejects_unknown_datum() -> None:
    with pytest.raises(ValueError, match="unknown datum 'cgcs2000'"):
        convert("cgcs2000", "wgs84", 32.0, 120.86)


def test_convert_same_datum_is_identity() -> None:
    for datum in DATUMS:
        assert convert(datum, datum, 32.0, 120.86) == (32.0, 120.86)


def _near_gcj02_box_edge(lat: float, lon: float, margin: float = 0.02) -> bool:
    """GCJ-02 is discontinuous at the edge of its bounding box (identity outside, ~0.5 km offset
    inside), so a point within ~700 m of the edge may convert across it and not come back."""
    return (
        min(abs(lon - 73.66), abs(lon - 135.05)) < margin
        or min(abs(lat - 3.86), abs(lat - 53.55)) < margin
    )


@settings(max_examples=300, deadline=None, database=None)
@given(
    lat=st.floats(min_value=-90, max_value=90, allow_nan=False, allow_infinity=False),
    lon=st.floats(min_value=-180, max_value=180, allow_nan=False, allow_infinity=False),
    src=st.sampled_from(DATUMS),
    dst=st.sampled_from(DATUMS),
)
def test_convert_never_raises_and_round_trips(lat: float, lon: float, src: str, dst: str) -> None:
    there = convert(src, dst, lat, lon)
    assert all(math.isfinite(v) for v in there)
    back = convert(dst, src, *there)
    assert all(math.isfinite(v) for v in back)
    assume(not _near_gcj02_box_edge(lat, lon) and not _near_gcj02_box_edge(*there))
    # BD-09's approximate inverse is good to under half a metre anywhere on Earth (worst near
    # the poles and the antimeridian; ~10 cm in China); the iterative GCJ-02 inverse to 1 cm.
    tolerance = 1.0 if "bd09" in (src, dst) else 0.01
    assert haversine_m(lat, lon, *back) < tolerance


# --- distances ---------------------------------------------------------------------------------


def test_haversine_known_distances() -> None:
    r = 6371008.8  # mean Earth radius (IUGG), as geo.EARTH_RADIUS_M
    assert haversine_m(32.0, 120.86, 32.0, 120.86) == 0.0
    assert haversine_m(0, 0, 1, 0) == pytest.approx(r * math.pi / 180, rel=1e-12)  # ~111.195 km
    assert haversine_m(0, 0, 90, 0) == pytest.approx(r * math.pi / 2, rel=1e-12)  # equator-pole
    assert haversine_m(0, 0, 0, 180) == pytest.approx(r * math.pi, rel=1e-12)  # antipodes
    # London (51.5074, -0.1278) to Paris (48.8566, 2.3522): the often quoted ~343.5 km.
    assert haversine_m(51.5074, -0.1278, 48.8566, 2.3522) == pytest.approx(343_500, abs=1_000)


def test_haversine_is_symmetric() -> None:
    a, b = (32.0080, 120.8560), (31.2304, 121.4737)
    assert haversine_m(*a, *b) == pytest.approx(haversine_m(*b, *a), rel=1e-15)
    assert 95_000 < haversine_m(*a, *b) < 110_000  # 南通 to 上海, about 100 km


# --- point in polygon --------------------------------------------------------------------------

SQUARE = [[(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0), (0.0, 0.0)]]
# A "U" open to the north: the notch x in (4, 6), y > 2 is outside.
U_SHAPE = [
    [(0, 0), (10, 0), (10, 10), (6, 10), (6, 2), (4, 2), (4, 10), (0, 10), (0, 0)],
]
SQUARE_WITH_HOLE = [
    [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0), (0.0, 0.0)],
    [(3.0, 3.0), (7.0, 3.0), (7.0, 7.0), (3.0, 7.0), (3.0, 3.0)],
]


def test_point_in_square() -> None:
    assert point_in_polygon(5, 5, SQUARE)  # (lat, lon) arguments, (lon, lat) vertices
    assert point_in_polygon(0.5, 9.5, SQUARE)
    assert not point_in_polygon(11, 5, SQUARE)
    assert not point_in_polygon(-0.5, 5, SQUARE)


def test_point_in_concave_polygon() -> None:
    assert point_in_polygon(5, 2, U_SHAPE)  # left arm
    assert point_in_polygon(5, 8, U_SHAPE)  # right arm
    assert point_in_polygon(1, 5, U_SHAPE)  # the base, below the notch
    assert not point_in_polygon(5, 5, U_SHAPE)  # inside the notch
    assert not point_in_polygon(9, 5, U_SHAPE)


def test_point_in_polygon_with_hole() -> None:
    assert point_in_polygon(1, 1, SQUARE_WITH_HOLE)
    assert point_in_polygon(5, 8.5, SQUARE_WITH_HOLE)
    assert not point_in_polygon(5, 5, SQUARE_WITH_HOLE)  # in the hole


@pytest.mark.parametrize("polygon", [SQUARE, U_SHAPE, SQUARE_WITH_HOLE])
def test_points_beyond_the_polygon_are_outside(polygon: list) -> None:
    # Same latitude band as the polygon, both sides: the ray test must count crossings right
    # whether it crosses every edge (point west of it) or none (point east of it).
    for lat in (1.0, 5.0, 9.0):
        assert not point_in_polygon(lat, -5.0, polygon)
        assert not point_in_polygon(lat, 15.0, polygon)
    assert not point_in_polygon(5.0, 5.0, [])


def test_point_in_multipolygon() -> None:
    far_square = [[(20.0, 20.0), (30.0, 20.0), (30.0, 30.0), (20.0, 30.0), (20.0, 20.0)]]
    both = [SQUARE_WITH_HOLE, far_square]
    assert point_in_multipolygon(25, 25, both)
    assert point_in_multipolygon(1, 1, both)
    assert not point_in_multipolygon(5, 5, both)  # hole of the first
    assert not point_in_multipolygon(15, 15, both)
    assert not point_in_multipolygon(1, 1, [])
