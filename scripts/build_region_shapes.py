"""Build vigil/stats/data/regions/<CC>.json, the region map outlines, from Natural Earth.

Input (public domain, https://www.naturalearthdata.com/): the 1:10m admin-1 label points
and the 1:50m admin-0 country polygons as GeoJSON. Each region of data/regions.csv gets an
anchor (a Natural Earth label point, matched by name or by the table below, or a point
given here); the outline of a region is the Voronoi cell of its anchor clipped to the
country, simplified with Douglas-Peucker. The result is a schematic map (regions sit where
they are, borders between them are approximate). Needs shapely (not a Vigil dependency):

    python scripts/build_region_shapes.py LABEL_POINTS.json COUNTRIES.json
"""

from __future__ import annotations

import csv
import difflib
import json
import math
import sys
import unicodedata
from pathlib import Path

from shapely.geometry import MultiPoint, Point, box, shape
from shapely.ops import unary_union, voronoi_diagram

ROOT = Path(__file__).resolve().parent.parent
REGIONS = ROOT / "vigil" / "incidents" / "data" / "regions.csv"
OUT = ROOT / "vigil" / "stats" / "data" / "regions"
WIDTH = 600.0
TOLERANCE = 0.6  # px at WIDTH: Douglas-Peucker tolerance

# Regions whose names do not match a Natural Earth label point, or that Natural Earth does
# not have (regions created after its data, cities inside their region): (lon, lat).
POINTS: dict[str, tuple[float, float]] = {
    "UA-30": (30.52, 50.45),
    "UA-32": (30.6, 50.0),
    "UA-40": (33.52, 44.6),
    "UA-43": (34.1, 45.3),
    "UA-65": (33.6, 46.65),
    "UA-23": (35.71, 47.33),
    "UA-12": (34.96, 48.63),
    "UA-51": (29.93, 46.6),
    "KZ-10": (80.3, 48.5),
    "KZ-33": (79.0, 45.2),
    "KZ-62": (67.0, 47.8),
    "KZ-19": (76.5, 44.3),
    "KZ-75": (76.91, 43.28),
    "KZ-71": (71.45, 51.1),
    "KZ-79": (69.6, 42.3),
    "KZ-61": (68.3, 43.8),
    "KZ-63": (83.0, 49.6),
    "KZ-35": (73.5, 48.5),
    "KG-GO": (72.8, 40.53),
    "KG-GB": (74.59, 42.87),
    "TJ-RA": (69.6, 38.8),
    "TJ-DU": (68.78, 38.56),
    "TJ-SU": (69.6, 40.3),
    "UZ-TK": (69.28, 41.31),
    "UZ-TO": (70.1, 41.1),
    "BY-HM": (27.56, 53.9),
    "BY-MI": (27.8, 53.5),
    "GE-TB": (44.8, 41.72),
    "AM-ER": (44.51, 40.18),
    "MD-CU": (28.83, 47.01),
    "MD-SN": (29.3, 47.2),
    "MD-GA": (28.6, 46.2),
    "MD-BA": (27.92, 47.76),
    "MD-BD": (29.47, 46.83),
    "BY-MA": (30.4, 53.82),
    "AZ-GA": (46.36, 40.68),
    "AZ-GYG": (46.32, 40.59),
    "AZ-HAC": (48.93, 40.04),
    "AZ-LAC": (46.55, 39.64),
    "AZ-NX": (45.41, 39.21),
    "AZ-QAX": (46.8, 41.37),
    "AZ-QAZ": (45.2, 41.08),
    "AZ-XA": (46.75, 39.82),
    "AZ-XCI": (46.68, 39.89),
    "AZ-XIZ": (49.15, 40.72),
}
# Cities that are regions of their own, inside another region: drawn as a small disc on
# top of the map (a Voronoi cell would cut their surrounding region in two).
CITIES = {
    "UA-30",
    "KZ-71",
    "KZ-75",
    "KZ-79",
    "KG-GB",
    "KG-GO",
    "TJ-DU",
    "UZ-TK",
    "BY-HM",
    "GE-TB",
    "AM-ER",
    "MD-CU",
    "AZ-BA",
}
CITY_RADIUS = 7.0  # px
NE_NAMES = {"UZ-XO": "Khorezm", "GE-AJ": "Ajaria", "KG-Y": "Ysyk-Köl", "UZ-QR": "Karakalpakstan"}


def plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    for word in (
        " oblast",
        " region",
        " province",
        " district",
        "autonomous republic of ",
        "republic of ",
        " municipality",
        " city",
        "'",
    ):
        text = text.replace(word, "")
    return text.strip()


def main(points_file: str, countries_file: str) -> None:
    regions: dict[str, list[tuple[str, str]]] = {}
    with REGIONS.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if not row["code"].endswith("-XX"):
                regions.setdefault(row["country"], []).append((row["code"], row["name_en"]))
    labels: dict[str, list[tuple[str, tuple[float, float]]]] = {}
    for f in json.loads(Path(points_file).read_text(encoding="utf-8"))["features"]:
        p = f["properties"]
        if p.get("name"):
            labels.setdefault(p["iso_a2"], []).append(
                (p["name"], tuple(f["geometry"]["coordinates"]))
            )
    outlines = {}
    for f in json.loads(Path(countries_file).read_text(encoding="utf-8"))["features"]:
        outlines[f["properties"]["ISO_A2"]] = shape(f["geometry"])
    # Natural Earth's default worldview draws Crimea inside Russia; ISO 3166-2 (and Vigil)
    # list it under Ukraine, so its polygon joins Ukraine's outline here.
    crimea = box(32.4, 44.3, 36.7, 46.2)
    parts = [g for g in outlines["RU"].geoms if crimea.contains(g.representative_point())]
    outlines["UA"] = unary_union([outlines["UA"], *parts])
    OUT.mkdir(parents=True, exist_ok=True)
    for country, rows in sorted(regions.items()):
        outline = outlines[country]
        names = {plain(n): xy for n, xy in labels.get(country, [])}
        anchors: dict[str, tuple[float, float]] = {}
        for code, name in rows:
            if code in POINTS:
                anchors[code] = POINTS[code]
                continue
            wanted = plain(NE_NAMES.get(code, name))
            match = difflib.get_close_matches(wanted, list(names), n=1, cutoff=0.6)
            if match:
                anchors[code] = names[match[0]]
            else:
                print("no anchor for", code, name, file=sys.stderr)
        seen: dict[tuple[float, float], str] = {}
        for code, xy in list(anchors.items()):
            if xy in seen:
                print("same anchor", code, seen[xy], file=sys.stderr)
                anchors[code] = (xy[0] + 0.05, xy[1] + 0.05)
            seen[xy] = code
        missing = {c for c, _n in rows} - set(anchors)
        if missing:
            print(country, "missing", sorted(missing), file=sys.stderr)
        build(country, outline, anchors)


def build(country: str, outline, anchors: dict[str, tuple[float, float]]) -> None:
    minx, miny, maxx, maxy = outline.bounds
    k = math.cos(math.radians((miny + maxy) / 2))
    scale = WIDTH / ((maxx - minx) * k)
    height = (maxy - miny) * scale

    def project(x: float, y: float) -> tuple[float, float]:
        return (x - minx) * k * scale, (maxy - y) * scale

    cities = {c: anchors.pop(c) for c in list(anchors) if c in CITIES}
    cells = voronoi_diagram(
        MultiPoint([Point(xy) for xy in anchors.values()]), envelope=outline.envelope.buffer(5)
    )
    paths = {}
    for code, (x, y) in cities.items():
        cx, cy = project(x, y)
        ring = [
            (
                cx + CITY_RADIUS * math.cos(a * math.pi / 8),
                cy + CITY_RADIUS * math.sin(a * math.pi / 8),
            )
            for a in range(16)
        ]
        paths[code] = "M" + "L".join(f"{px:.1f} {py:.1f}" for px, py in ring) + "Z"
    for code, xy in anchors.items():
        cell = next(c for c in cells.geoms if c.contains(Point(xy)))
        region = cell.intersection(outline)
        if region.is_empty:
            continue
        from shapely.affinity import affine_transform

        flat = affine_transform(region, [k * scale, 0, 0, -scale, -minx * k * scale, maxy * scale])
        flat = flat.simplify(TOLERANCE, preserve_topology=True)
        polys = [g for g in getattr(flat, "geoms", [flat]) if g.geom_type == "Polygon"]
        polys.sort(key=lambda g: -g.area)
        parts = []
        for i, poly in enumerate(polys):
            if i and poly.area < 4:  # keep the main part of a region, drop specks
                continue
            ring = list(poly.exterior.coords)[:-1]
            parts.append("M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in ring) + "Z")
        paths[code] = "".join(parts)
    data = {
        "width": round(WIDTH, 1),
        "height": round(height, 1),
        "regions": paths,
        "cities": sorted(cities),
    }
    (OUT / f"{country}.json").write_text(
        json.dumps(data, separators=(",", ":"), sort_keys=True) + "\n"
    )
    print(country, len(paths), "regions", (OUT / f"{country}.json").stat().st_size, "bytes")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
