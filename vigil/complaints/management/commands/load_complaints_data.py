"""Refresh the shared directory, legal grounds and holidays from data files.

The migration loads the files shipped with the app; this command reloads them
after an edit, or loads another holidays file (e.g. next year's calendar).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from vigil.complaints import loader
from vigil.complaints.models import Holiday, LegalGround, OversightBody


class Command(BaseCommand):
    help = "Load oversight bodies, legal grounds and holidays from the app's JSON data files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bodies", type=Path, help="bodies JSON file (default: shipped)")
        parser.add_argument("--grounds", type=Path, help="grounds JSON file (default: shipped)")
        parser.add_argument("--holidays", type=Path, help="holidays JSON file (default: shipped)")
        parser.add_argument(
            "--replace-holidays",
            action="store_true",
            help="make the file the whole list for each country and year it mentions",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            bodies = loader.load_bodies(OversightBody, options["bodies"])
            grounds = loader.load_grounds(LegalGround, options["grounds"])
            holidays = loader.load_holidays(
                Holiday, options["holidays"], replace=options["replace_holidays"]
            )
        self.stdout.write(f"bodies {bodies}, grounds {grounds}, holidays {holidays}")
