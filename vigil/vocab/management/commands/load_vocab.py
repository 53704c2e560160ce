from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from vigil.vocab.loader import load_terms
from vigil.vocab.models import Term


class Command(BaseCommand):
    help = "Add new shared terms from vigil/vocab/data/terms.csv and refresh their labels."

    def handle(self, *args: Any, **options: Any) -> None:
        count = load_terms(Term)
        self.stdout.write(self.style.SUCCESS(f"{count} shared terms loaded"))
