"""The shared vocabulary is translated through the catalogue in languages it does not store."""

from __future__ import annotations

import csv

from django.utils import translation

from vigil.complaints.models import pick
from vigil.vocab import catalogue
from vigil.vocab.loader import DATA_FILE
from vigil.vocab.models import Term


def _rows() -> list[dict[str, str]]:
    with DATA_FILE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_catalogue_module_lists_every_shared_label_and_description() -> None:
    rows = _rows()
    assert set(catalogue.LABELS) == {row["label_en"] for row in rows}
    assert set(catalogue.DESCRIPTIONS) == {row["help_en"] for row in rows if row["help_en"]}


def test_a_label_not_stored_in_a_language_comes_from_the_catalogue(db: None) -> None:
    row = next(r for r in _rows() if r["code"] == "ACT.SEX")
    term = Term.objects.get(code="ACT.SEX")
    term.labels = {"en": row["label_en"]}  # as for a language the CSV does not carry
    term.help = {"en": row["help_en"]}
    with translation.override("ru"):
        assert term.label == row["label_ru"]
        assert term.help_text == row["help_ru"]
    assert pick(term.labels, term.code, "uk") == row["label_uk"]
    # A stored label wins; an organisation's own English label stays as typed.
    term.labels = {"en": row["label_en"], "ru": "Своя метка"}
    with translation.override("ru"):
        assert term.label == "Своя метка"
    term.labels = {"en": "A label only this organisation uses"}
    with translation.override("ru"):
        assert term.label == "A label only this organisation uses"
