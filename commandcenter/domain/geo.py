"""Datums and plane geometry for a district-sized area.

Everything is stored in WGS-84. China's GCJ-02 offset (AMap, WeChat `gcj02`) and Baidu's BD-09 are
converted at the edge with the standard published formula; the inverse is iterative (< 1 cm).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

_A = 6378245.0  # Krasovsky 1940 semi-major axis, as the GCJ-02 formula uses it
_EE = 0.00669342162296594323
_X_PI = math.pi * 3000.0 / 180.0
EARTH_RADIUS_M = 6371008.8

Ring = Sequence[tuple[float, float]]  # (lon, lat) pairs, GeoJSON order
Polygon = Sequence[Ring]  # outer ring first, then holes

DATUMS = ("wgs84", "gcj02", "bd09")


def out_of_china(lat: float, lon: float) -> bool:
    """GCJ-02 applies only inside China's bounding box; outside it equals WGS-84."""
    return not (73.66 < lon < 135.05 and 3.86 < lat < 53.55)


def _transform_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _transform_lon(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def wgs84_to_gcj02(lat: float, lon: float) -> tuple[float, float]:
    if out_of_china(lat, lon):
        return lat, lon
    dlat = _transform_lat(lon - 105.0, lat - 35.0)
    dlon = _transform_lon(lon - 105.0, lat - 35.0)
    radlat = lat / 180.0 * math.pi
    magic = math.sin(radlat)
    magic = 1 - _EE * magic * magic
    sqrtmagic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrtmagic) * math.pi)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * math.cos(radlat) * math.pi)
    return lat + dlat, lon + dlon


def gcj02_to_wgs84(lat: float, lon: float) -> tuple[float, float]:
    """Invert the offset by fixed-point iteration; converges to well under a centimetre."""
    if out_of_china(lat, lon):
        return lat, lon
    wlat, wlon = lat, lon
    for _ in range(30):
        glat, glon = wgs84_to_gcj02(wlat, wlon)
        dlat, dlon = glat - lat, glon - lon
        wlat -= dlat
        wlon -= dlon
        if abs(dlat) < 1e-10 and abs(dlon) < 1e-10:
            break
    return wlat, wlon


def gcj02_to_bd09(lat: float, lon: float) -> tuple[float, float]:
    z = math.sqrt(lon * lon + lat * lat) + 0.00002 * math.sin(lat * _X_PI)
    theta = math.atan2(lat, lon) + 0.000003 * math.cos(lon * _X_PI)
    return z * math.sin(theta) + 0.006, z * math.cos(theta) + 0.0065


def bd09_to_gcj02(lat: float, lon: float) -> tuple[float, float]:
    """The published one-step inverse (~20 cm off), refined by iterating the forward formula."""
    glat, glon = _bd09_to_gcj02_approx(lat, lon)
    for _ in range(10):
        blat, blon = gcj02_to_bd09(glat, glon)
        dlat, dlon = blat - lat, blon - lon
        glat -= dlat
        glon -= dlon
        if abs(dlat) < 1e-10 and abs(dlon) < 1e-10:
            break
    return glat, glon


def _bd09_to_gcj02_approx(lat: float, lon: float) -> tuple[float, float]:
    x = lon - 0.0065
    y = lat - 0.006
    z = math.sqrt(x * x + y * y) - 0.00002 * math.sin(y * _X_PI)
    theta = math.atan2(y, x) - 0.000003 * math.cos(x * _X_PI)
    return z * math.sin(theta), z * math.cos(theta)


def to_wgs84(crs: str, lat: float, lon: float) -> tuple[float, float]:
    return convert(crs, "wgs84", lat, lon)


def convert(src: str, dst: str, lat: float, lon: float) -> tuple[float, float]:
    """Convert between any two of `DATUMS`, going through GCJ-02 where needed."""
    for name in (src, dst):
        if name not in DATUMS:
            raise ValueError(f"unknown datum {name!r} (expected one of {', '.join(DATUMS)})")
    if src == dst:
        return lat, lon
    # Normalize to GCJ-02, then leave it.
    if src == "wgs84":
        lat, lon = wgs84_to_gcj02(lat, lon)
    elif src == "bd09":
        lat, lon = bd09_to_gcj02(lat, lon)
    if dst == "wgs84":
        return gcj02_to_wgs84(lat, lon)
    if dst == "bd09":
        return gcj02_to_bd09(lat, lon)
    return lat, lon


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def _in_ring(lon: float, lat: float, ring: Ring) -> bool:
    inside = False
    n = len(ring)
    j = n - 1
    for i in range(n):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > lat) != (yj > lat):
            x_cross = (xj - xi) * (lat - yi) / (yj - yi) + xi
            if lon < x_cross:
                inside = not inside
        j = i
    return inside


def point_in_polygon(lat: float, lon: float, polygon: Polygon) -> bool:
    """Even-odd rule; holes (rings after the first) exclude."""
    if not polygon or not _in_ring(lon, lat, polygon[0]):
        return False
    return not any(_in_ring(lon, lat, hole) for hole in polygon[1:])


def point_in_multipolygon(lat: float, lon: float, polygons: Sequence[Polygon]) -> bool:
    return any(point_in_polygon(lat, lon, p) for p in polygons)
