"""The region map: every region of every supported country, disclosure control, the report.

Fixture figures (``fixtures.py``): organisation A has incidents in Kyiv Oblast (2) and
Lviv Oblast (1), January to March 2025; both are below the default threshold of 5.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any, cast
from xml.etree.ElementTree import Element

from defusedxml import ElementTree
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation
from docx import Document

from vigil.conftest import World
from vigil.incidents import regions
from vigil.stats import regionmap
from vigil.stats.aggregate import Heading, SafeTable
from vigil.stats.tests.fixtures import Data
from vigil.stats.tests.test_report import _report_settings, body, generate  # noqa: F401

SVG = "{http://www.w3.org/2000/svg}"
MAP_RE = re.compile(r'<svg class="map".*?</svg>', re.S)


class Table:
    """What the map reads from a disclosure-controlled table: its series."""

    def __init__(self, values: dict[str, int | None]) -> None:
        self.values = values

    def series(self) -> list[tuple[Heading, int | None]]:
        return [(Heading(code, code), value) for code, value in self.values.items()]


def parse(html: str) -> dict[str, Element]:
    """The map's paths by region code (first map on the page)."""
    found = MAP_RE.search(html)
    assert found, "no map on the page"
    svg = ElementTree.fromstring(found.group(0))
    return {p.get("data-region"): p for p in svg.iter(f"{SVG}path")}


def title(path: Element) -> str:
    node = path.find(f"{SVG}title")
    assert node is not None
    return node.text or ""


def test_it_draws_every_region_of_each_supported_country_with_its_value_or_hidden() -> None:
    countries = regions.countries()
    assert {"UA", "KZ"} <= set(countries)
    assert regionmap.supported_countries() == countries
    with translation.override("en"):
        for country in countries:
            codes = [r.code for r in regions.regions_of(country) if not r.code.endswith("-XX")]
            values: dict[str, int | None] = {
                code: None if i % 4 == 0 else i for i, code in enumerate(codes)
            }
            made = regionmap.region_map(cast(SafeTable, Table(values)), country)
            assert made is not None
            paths = parse(render_to_string("stats/_region_map.html", {"m": made, "n": 1}))
            assert set(paths) == set(codes), country
            for code, value in values.items():
                text = title(paths[code])
                assert text.startswith(regions.name(code) + ": ")
                if value is None:
                    assert text.endswith(": hidden") and paths[code].get("class") == "map-hidden"
                else:
                    assert text.endswith(f": {value}") and paths[code].get("d", "").startswith("M")


def test_it_never_draws_a_suppressed_region_with_its_number(
    world: World, data: Data, signed_in: Any, settings: Any
) -> None:
    client: Client = signed_in("analyst")
    period = {"date_from": "2025-01", "date_to": "2025-03"}
    with translation.override("en"):
        page = client.get("/stats/", period, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    paths = parse(page)
    for code in ("UA-32", "UA-46"):  # 2 and 1 incidents, both below 5
        assert paths[code].get("class") == "map-hidden"
        assert re.search(r"\d", title(paths[code])) is None
        assert "url(#map-hatch" in paths[code].get("fill", "")
    assert paths["UA-05"].get("class") == "map-zero"  # no incident there: zero is shown

    settings.STATS_MIN_CELL = 1
    paths = parse(client.get("/stats/", period).content.decode())
    assert title(paths["UA-32"]).endswith(": 2") and paths["UA-32"].get("class") != "map-hidden"
    assert title(paths["UA-46"]).endswith(": 1")


def test_the_pdf_and_docx_reports_contain_the_map(
    world: World, data: Data, signed_in: Any, settings: Any, tmp_path: Path
) -> None:
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "poppler-utils is installed by `make system-deps`"
    client: Client = signed_in("coordinator")
    job = generate(client, "en")
    path = tmp_path / "report.pdf"
    path.write_bytes(body(client.get(f"/stats/report/{job.pk}/report.pdf")))
    text = subprocess.run(  # noqa: S603 - fixed arguments, a file we wrote
        [pdftotext, "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "Map legend: incidents per region" in text
    assert "Map of incidents by region" in text

    document = Document(io.BytesIO(body(client.get(f"/stats/report/{job.pk}/report.docx"))))
    paragraphs = [p.text for p in document.paragraphs]
    assert "Map of incidents by region" in paragraphs
    assert any(p.startswith("Map legend: incidents per region: ") for p in paragraphs)
    assert any("hidden" in p for p in paragraphs if p.startswith("Map legend"))
    assert len(document.inline_shapes) >= 1
