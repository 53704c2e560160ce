"""Regions of Moldova, Georgia, Kazakhstan, Kyrgyzstan and Belarus in their state language."""

from __future__ import annotations

import csv

import pytest
from django.utils import translation

from vigil.incidents import regions

STATE_LANGUAGE = {"MD": "ro", "GE": "ka", "KZ": "kk", "KG": "ky", "BY": "be"}


def test_every_local_name_belongs_to_a_known_region() -> None:
    with regions.LOCAL_FILE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    known = regions.all_regions()
    assert rows and all(row["code"] in known for row in rows)
    assert all(STATE_LANGUAGE[known[row["code"]].country] == row["language"] for row in rows)


@pytest.mark.parametrize(("country", "language"), sorted(STATE_LANGUAGE.items()))
def test_each_region_is_named_in_its_state_language(country: str, language: str) -> None:
    for region in regions.regions_of(country):
        assert region.names.get(language), region.code
        assert region.names[language] != region.names["en"] or country == "MD", region.code


def test_the_region_menu_speaks_her_language() -> None:
    with translation.override("ka"):
        assert regions.name("GE-TB") == "თბილისი"
        assert dict(regions.choices("GE"))["GE-IM"] == "იმერეთი"
        assert regions.name("MD-CU") == "Chișinău"  # no Georgian name: the English one
    with translation.override("kk"):
        assert regions.name("KZ-35") == "Қарағанды облысы"
    with translation.override("ru"):
        assert regions.name("KZ-35") == "Карагандинская область"
