"""Load the reference data (bodies, legal grounds, holidays) from data/*.json.

Idempotent, keyed by slug / code / (country, date); used by a migration (with
historical models) and by ``manage.py load_complaints_data``. Only shared rows
are touched: an organisation's own bodies are never changed here.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

# Languages of names and labels in the data files (complaints.models.LANGS, kept
# here so the migrations that call the loader do not import the models).
LANGS = ("en", "ru", "uk", "ro", "ka", "kk", "ky", "be")
DATA_DIR = Path(__file__).resolve().parent / "data"
BODY_FIELDS = ("address", "email", "phone", "website")


def read(name: str, path: Path | None = None) -> Any:
    with (path or DATA_DIR / name).open(encoding="utf-8") as handle:
        return json.load(handle)


def load_bodies(body_model: Any, path: Path | None = None) -> int:
    rows = read("bodies.json", path)["bodies"]
    for row in rows:
        values = {
            "organisation": None,
            "country": row.get("country", ""),
            "region": row.get("region", ""),
            "body_type": row["body_type"],
            "names": row["names"],
            "response_days": row.get("response_days"),
            "response_unit": row.get("response_unit", "calendar"),
            **{field: row.get(field, "") for field in BODY_FIELDS},
        }
        body_model.objects.update_or_create(slug=row["slug"], defaults=values)
    return len(rows)


def load_grounds(ground_model: Any, path: Path | None = None) -> int:
    rows = read("grounds.json", path)["grounds"]
    for order, row in enumerate(rows, start=1):
        values = {
            "kind": row["kind"],
            "country": row.get("country", ""),
            "labels": {lang: row[lang] for lang in LANGS if row.get(lang)},
            "order": order,
        }
        ground_model.objects.update_or_create(code=row["code"], defaults=values)
    return len(rows)


def load_holidays(holiday_model: Any, path: Path | None = None, *, replace: bool = False) -> int:
    """Add the file's holidays; with ``replace`` the file becomes the whole list for each
    (country, year) it mentions, so a day removed from the file stops being a holiday."""
    data = read("holidays.json", path)
    count = 0
    for country, rows in data.items():
        if country.startswith("_"):
            continue
        dates = {datetime.date.fromisoformat(row["date"]): row for row in rows}
        if replace:
            for year in {d.year for d in dates}:
                holiday_model.objects.filter(country=country, date__year=year).exclude(
                    date__in=list(dates)
                ).delete()
        for day, row in dates.items():
            names = {lang: row[lang] for lang in LANGS if row.get(lang)}
            holiday_model.objects.update_or_create(
                country=country, date=day, defaults={"names": names}
            )
            count += 1
    return count
