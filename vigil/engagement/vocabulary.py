"""This app's coded, translated term lists (topics of trainings, detention checklist themes).

They live in the shared Term table under their own list codes; the data
migration loads them, and tests that flush tables load them again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from vigil.vocab.loader import load_terms, read_terms

DATA_FILE = Path(__file__).resolve().parent / "data" / "terms.csv"


def load(term_model: Any) -> int:
    return load_terms(term_model, read_terms(DATA_FILE))
