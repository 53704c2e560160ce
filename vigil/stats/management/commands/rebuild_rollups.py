from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from vigil.accounts.models import Organisation
from vigil.stats import rollup


class Command(BaseCommand):
    help = (
        "Rebuild the statistics roll-ups from the recorded incidents (every organisation, "
        "or those given). The worker keeps them current afterwards."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("organisations", nargs="*", help="organisation slugs (default: all)")

    def handle(self, *args: Any, **options: Any) -> None:
        organisations = Organisation.objects.order_by("pk")
        if options["organisations"]:
            organisations = organisations.filter(slug__in=options["organisations"])
        chosen = list(organisations.values_list("pk", "slug"))
        for number, (pk, slug) in enumerate(chosen, 1):
            started = time.perf_counter()
            prefix = f"[{number}/{len(chosen)}] {slug}"

            def progress(text: str, prefix: str = prefix, started: float = started) -> None:
                self.stdout.write(f"{prefix}: {text} ({time.perf_counter() - started:.1f} s)")
                self.stdout.flush()

            cells = rollup.rebuild(pk, progress)
            progress(f"done, {cells:,} cells")
