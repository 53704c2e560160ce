"""A choropleth of a country's first-level regions, drawn server-side as SVG.

Outlines come from ``data/regions/<CC>.json`` (Natural Earth admin-1 polygons, built by
``scripts/build_region_shapes.py``; see the README there). Values come from a
region table that already went through disclosure control: a suppressed region
is drawn hatched with the word "hidden", never with its number. Colours are SVG
presentation attributes (WeasyPrint ignores page CSS inside SVG) plus classes;
nothing uses a style attribute, so the page's CSP holds.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from vigil.incidents import regions
from vigil.stats.aggregate import SafeTable

DATA_DIR = Path(__file__).resolve().parent / "data" / "regions"
# Light to dark: the four classes of a count (quartiles of the counts shown).
COLOURS = ("#dbe9f6", "#9ecae1", "#4292c6", "#08519c")
ZERO = "#f4f4f4"
HIDDEN = "#bdbdbd"
EDGE = "#ffffff"


@cache
def shapes(country: str) -> dict[str, Any] | None:
    path = DATA_DIR / f"{country}.json"
    if not path.exists():
        return None
    return dict(json.loads(path.read_text(encoding="utf-8")))


def supported_countries() -> list[str]:
    return sorted(p.stem for p in DATA_DIR.glob("*.json"))


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    path: str
    value: int | None  # None: hidden by disclosure control
    text: str  # the number, or the word for hidden
    css: str  # map-b1..map-b4, map-zero, map-hidden
    fill: str

    @property
    def hidden(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class LegendItem:
    label: str
    css: str
    fill: str


@dataclass(frozen=True)
class RegionMap:
    country: str
    title: str
    width: float
    height: float
    areas: list[Area]  # by name, for the table
    drawn: list[Area]  # regions first, then the cities on top
    legend: list[LegendItem]
    legend_title: str


def _buckets(shown: list[int]) -> list[tuple[int, int]]:
    """Up to four classes of the shown counts, split at their quartiles (a few busy
    regions would leave every other region in the lightest of equal-width classes)."""
    values = sorted(v for v in shown if v > 0)
    if not values:
        return []
    cuts = sorted({values[min(len(values) - 1, len(values) * q // 4)] for q in (1, 2, 3)})
    bounds = []
    low = values[0]
    for cut in [*cuts, values[-1]]:
        if cut >= low:
            bounds.append((low, cut))
            low = cut + 1
    return bounds[: len(COLOURS)]


def region_map(table: SafeTable, country: str, hidden_word: str | None = None) -> RegionMap | None:
    """The map of ``country`` from a table by region; None when no outlines are shipped."""
    data = shapes(country)
    if data is None:
        return None
    hidden_word = hidden_word or _("hidden")
    values = {h.code: v for h, v in table.series() if h.code}
    shown = [v for code, v in values.items() if v is not None and code.startswith(country + "-")]
    buckets = _buckets(shown)

    def bucket(value: int) -> int:
        return next((i for i, (lo, hi) in enumerate(buckets) if lo <= value <= hi), 0)

    areas = []
    for code, path in sorted(data["regions"].items()):
        value = values.get(code, 0)
        if value is None:
            css, fill, text = "map-hidden", HIDDEN, hidden_word
        elif value == 0:
            css, fill, text = "map-zero", ZERO, "0"
        else:
            i = bucket(value)
            css, fill, text = f"map-b{i + 1}", COLOURS[i], str(value)
        areas.append(Area(code, regions.name(code), path, value, text, css, fill))
    areas.sort(key=lambda a: a.name)
    cities = set(data.get("cities", []))
    drawn = sorted(areas, key=lambda a: (a.code in cities, a.code))
    legend = [
        LegendItem(f"{lo}–{hi}" if lo != hi else str(lo), f"map-b{i + 1}", COLOURS[i])
        for i, (lo, hi) in enumerate(buckets)
    ]
    legend.append(LegendItem("0", "map-zero", ZERO))
    legend.append(LegendItem(hidden_word, "map-hidden", HIDDEN))
    return RegionMap(
        country,
        _("Map of incidents by region"),
        data["width"],
        data["height"],
        areas,
        drawn,
        legend,
        _("Map legend: incidents per region"),
    )


def maps_for(
    table: SafeTable, countries: list[str], hidden_word: str | None = None
) -> list[RegionMap]:
    made = (region_map(table, c, hidden_word) for c in countries)
    return [m for m in made if m is not None]


def countries_in(table: SafeTable) -> list[str]:
    return sorted({h.code.split("-")[0] for h, _v in table.series() if "-" in h.code})


# --- PNG for the DOCX report -----------------------------------------------------------------

_COMMAND = re.compile(r"([MLZ])([^MLZ]*)")


def _rings(path: str) -> list[list[tuple[float, float]]]:
    rings: list[list[tuple[float, float]]] = []
    for command, args in _COMMAND.findall(path):
        if command == "M":
            rings.append([])
        if command in "ML":
            x, y = args.split()
            rings[-1].append((float(x), float(y)))
    return rings


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def map_png(region_map: RegionMap, scale: float = 2.0) -> bytes:
    """Draw the map as a PNG (the same outlines and classes); hidden regions hatched."""
    from PIL import Image, ImageDraw

    size = (round(region_map.width * scale), round(region_map.height * scale))
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    hatch = Image.new("RGB", size, _rgb(HIDDEN))
    hatch_draw = ImageDraw.Draw(hatch)
    for offset in range(-size[1], size[0], 10):
        hatch_draw.line((offset, size[1], offset + size[1], 0), fill=(110, 110, 110), width=2)
    for area in region_map.drawn:
        for ring in _rings(area.path):
            points = [(x * scale, y * scale) for x, y in ring]
            if len(points) < 3:
                continue
            if area.hidden:
                mask = Image.new("L", size, 0)
                ImageDraw.Draw(mask).polygon(points, fill=255)
                image.paste(hatch, (0, 0), mask)
                draw.polygon(points, outline=(255, 255, 255))
            else:
                draw.polygon(points, fill=_rgb(area.fill), outline=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()
