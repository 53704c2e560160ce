"""Load data/terms.csv into the Term table (idempotent; used by a migration)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).resolve().parent / "data" / "terms.csv"


def read_terms(path: Path = DATA_FILE) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_terms(term_model: Any, rows: list[dict[str, str]] | None = None) -> int:
    """Insert new terms and refresh labels of existing ones. Codes never change.

    Works with the historical model inside migrations, so it uses only fields.
    """
    rows = read_terms() if rows is None else rows
    by_code: dict[str, Any] = {t.code: t for t in term_model.objects.all()}
    for order, row in enumerate(rows, start=1):
        parent = by_code.get(row["parent"]) if row["parent"] else None
        if row["parent"] and parent is None:
            raise ValueError(f"term {row['code']}: parent {row['parent']} is not defined before it")
        values = {
            "list": row["list"],
            "parent": parent,
            "depth": 0 if parent is None else parent.depth + 1,
            "path": (parent.path if parent else "") + row["code"] + "/",
            "order": order,
            "huridocs_list": row["huridocs_list"],
            "huridocs_code": row["huridocs_code"],
            "gbvims": row["gbvims"],
            "labels": {lang: row[f"label_{lang}"] for lang in ("en", "ru", "uk")},
            "help": {
                lang: row[f"help_{lang}"] for lang in ("en", "ru", "uk") if row[f"help_{lang}"]
            },
        }
        term, _created = term_model.objects.update_or_create(code=row["code"], defaults=values)
        by_code[term.code] = term
    return len(rows)
