"""Generate an advocacy report (DOCX and PDF) from the command line, showing progress.

    manage.py stats_report --org svitlo --from 2025-01-01 --to 2025-06-30 --lang ru --out DIR
    manage.py stats_report --network eeca --from 2025-01-01 --to 2025-12-31 --country UA

The same builder as the web page (``vigil.stats.report``), so the same
aggregates and the same disclosure control; the run is audited
(``stats.report``, via "command").
"""

from __future__ import annotations

import datetime
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from vigil.accounts.models import Organisation
from vigil.incidents import regions
from vigil.stats import actions, report
from vigil.stats.aggregate import Scope
from vigil.stats.models import Network
from vigil.stats.report_wording import LANGUAGES


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"not a date (YYYY-MM-DD): {value!r}") from exc


class Command(BaseCommand):
    help = "Generate the advocacy report of an organisation or a network as DOCX and PDF."

    def add_arguments(self, parser: ArgumentParser) -> None:
        scope = parser.add_mutually_exclusive_group(required=True)
        scope.add_argument("--org", help="organisation short name (slug)")
        scope.add_argument("--network", help="network short name (slug)")
        parser.add_argument("--from", dest="date_from", required=True, help="YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", required=True, help="YYYY-MM-DD")
        parser.add_argument("--lang", default="en", choices=LANGUAGES)
        parser.add_argument("--country", default="", help="ISO 3166-1 alpha-2 code")
        parser.add_argument("--out", default=".", help="directory for the two files")

    def _scope(self, options: dict[str, Any]) -> tuple[Scope, Organisation]:
        if options["org"]:
            organisation = Organisation.objects.filter(slug=options["org"]).first()
            if organisation is None:
                raise CommandError(f"no organisation {options['org']!r}")
            return Scope.for_organisation(organisation), organisation
        network = Network.objects.select_related("host").filter(slug=options["network"]).first()
        if network is None:
            raise CommandError(f"no network {options['network']!r}")
        return Scope.for_network(network), network.host

    def handle(self, *args: Any, **options: Any) -> None:
        start, end = _date(options["date_from"]), _date(options["date_to"])
        if start > end:
            raise CommandError("--to is before --from")
        if report.month_span(start, end) > report.MAX_MONTHS:
            raise CommandError(f"a report covers at most {report.MAX_MONTHS} months")
        country = options["country"].upper()
        if country and country not in regions.countries():
            raise CommandError(f"unknown country {country!r}")
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        scope, organisation = self._scope(options)
        spec = report.ReportSpec(
            scope,
            start,
            end,
            options["lang"],
            country,
            include_complaints=not scope.is_network,
        )
        self.stdout.write(
            f"Report for {scope.label}, {spec.date_from:%Y-%m} to {spec.date_to:%Y-%m}, "
            f"language {spec.language}"
        )

        def progress(done: int, total: int) -> None:
            step = report.STEPS[done - 1] if 0 < done <= len(report.STEPS) else ""
            self.stdout.write(f"[{done:>2}/{total}] {100 * done // total:>3} %  {step}")
            self.stdout.flush()

        files = report.build(spec, progress)
        actions.record_report_command(organisation, spec.audit())
        for extension, data in (("docx", files.docx), ("pdf", files.pdf)):
            path = out / f"{files.base_name}.{extension}"
            path.write_bytes(data)
            self.stdout.write(f"wrote {path} ({len(data):,} bytes)")
