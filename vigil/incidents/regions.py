"""ISO 3166-2 first-level subdivisions of the EECA countries (data/regions.csv).

Static reference data, read once per process; names in en, ru, uk, and each
country's regions in its own state language (data/regions_local.csv: ro for
Moldova, ka for Georgia, kk for Kazakhstan, ky for Kyrgyzstan, be for Belarus).
Another language shows the English name.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

DATA_FILE = Path(__file__).resolve().parent / "data" / "regions.csv"
LOCAL_FILE = Path(__file__).resolve().parent / "data" / "regions_local.csv"


@dataclass(frozen=True)
class Region:
    country: str
    code: str
    names: dict[str, str]

    @property
    def name(self) -> str:
        return self.names.get((get_language() or "en")[:2]) or self.names["en"]


@cache
def all_regions() -> dict[str, Region]:
    local: dict[str, dict[str, str]] = {}
    with LOCAL_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            local.setdefault(row["code"], {})[row["language"]] = row["name"]
    with DATA_FILE.open(encoding="utf-8", newline="") as handle:
        return {
            row["code"]: Region(
                row["country"],
                row["code"],
                {
                    "en": row["name_en"],
                    "ru": row["name_ru"],
                    "uk": row["name_uk"],
                    **local.get(row["code"], {}),
                },
            )
            for row in csv.DictReader(handle)
        }


def regions_of(country: str) -> list[Region]:
    return sorted((r for r in all_regions().values() if r.country == country), key=lambda r: r.name)


def choices(country: str) -> list[tuple[str, str]]:
    return list(_choices(country, get_language() or "en"))


@cache
def _choices(country: str, language: str) -> tuple[tuple[str, str], ...]:
    # Sorted names per country and language: every "when and where" step builds
    # this list, the busiest form of the public report.
    return tuple((r.code, r.name) for r in regions_of(country))


def name(code: str) -> str:
    region = all_regions().get(code)
    return region.name if region else code


def countries() -> list[str]:
    return sorted({r.country for r in all_regions().values()})


# Country names in Vigil's own catalogue, so they follow the interface language.
COUNTRY_NAMES = {
    "AM": _("Armenia"),
    "AZ": _("Azerbaijan"),
    "BY": _("Belarus"),
    "GE": _("Georgia"),
    "KG": _("Kyrgyzstan"),
    "KZ": _("Kazakhstan"),
    "MD": _("Moldova"),
    "TJ": _("Tajikistan"),
    "UA": _("Ukraine"),
    "UZ": _("Uzbekistan"),
}


def country_name(code: str) -> str:
    """The country's name in the active language; "" (no country) is international."""
    if not code:
        return str(_("International"))
    return str(COUNTRY_NAMES.get(code.upper(), code))


def country_choices() -> list[tuple[str, str]]:
    return [(code, country_name(code)) for code in countries()]
