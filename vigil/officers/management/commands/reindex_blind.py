"""Recompute every blind index of an organisation after the normalisation changed.

    manage.py reindex_blind --organisation svitlo                 # asks for the recovery phrase
    manage.py reindex_blind --organisation svitlo --user olena    # asks for her password

Audited (``officer.reindex``, via "command"); one transaction, so an
interruption leaves the old indexes in place.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from vigil.officers import reindex, unlock


class Command(BaseCommand):
    help = "Recompute the blind indexes (names, phones, badges, plates) of an organisation."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--organisation", required=True, help="organisation short name")
        parser.add_argument("--user", help="a coordinator's username (else the recovery phrase)")

    def handle(self, *args: Any, **options: Any) -> None:
        org = unlock.organisation(options["organisation"])
        private, user = unlock.org_private_key(org, options["user"])
        last: dict[str, int] = {}

        def progress(what: str, done: int, total: int) -> None:
            percent = done * 100 // total if total else 100
            if last.get(what) != percent:
                last[what] = percent
                self.stdout.write(f"{what}: {done}/{total} ({percent} %)")

        counts = reindex.reindex_organisation(user, org, private, progress=progress, via="command")
        self.stdout.write(
            self.style.SUCCESS(
                f"Rebuilt: {counts.people} people, {counts.perpetrators} perpetrators, "
                f"{counts.complaints} external complaints."
            )
        )
