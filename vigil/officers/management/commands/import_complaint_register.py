"""Import (or check) an external complaint register from the command line, with progress.

    manage.py import_complaint_register FILE --organisation svitlo --source "Ombudsman 2024" \
        --column name="ПІБ" --column birth_year="Рік народження" --column finding="Рішення" \
        --identity name,birth_year [--region-column ...] [--unknown-as-other] [--dry-run] \
        [--user olena]

The same path as the web page: the file is sealed into storage as an upload,
checked or imported by the same code, and the sealed copy is destroyed after
a real import (the FILE you passed is yours and stays where it is). Every
problem is printed with its line and column.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from vigil.officers import actions, importer, jobs, unlock
from vigil.vault import crypto


def _mapping(pairs: list[str]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for pair in pairs:
        field, sep, header = pair.partition("=")
        if not sep or field not in importer.FIELDS:
            raise CommandError(f"--column wants FIELD=HEADER with FIELD in {list(importer.FIELDS)}")
        mapping[field] = header
    return mapping


class Command(BaseCommand):
    help = "Import an external complaint register (CSV or XLSX) into officer profiles."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--organisation", required=True)
        parser.add_argument("--source", required=True, help="who published the register")
        parser.add_argument("--column", action="append", default=[], help="FIELD=HEADER")
        parser.add_argument("--identity", required=True, help="fields, comma-separated")
        parser.add_argument("--unknown-as-other", action="store_true")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--user", help="a coordinator's username (else the recovery phrase)")

    def handle(self, *args: Any, **options: Any) -> None:
        mapping = _mapping(options["column"])
        identity = [f for f in options["identity"].split(",") if f]
        missing = [f for f in identity if f not in mapping or f not in importer.IDENTITY_FIELDS]
        if not identity or missing:
            raise CommandError(f"identity fields need a --column: {missing or identity}")
        org = unlock.organisation(options["organisation"])
        data = Path(options["file"]).read_bytes()
        private, user = unlock.org_private_key(org, options["user"])
        try:
            register = actions.upload_register(user, org, source_name=options["source"], data=data)
        except importer.Unreadable as exc:
            raise CommandError(f"cannot read {options['file']}: {exc}") from exc
        del data
        register_key = crypto.unseal(private, bytes(register.sealed_key or b""))
        index_key = crypto.blind_index_key(private)
        actions.queue_import(
            user,
            register,
            mapping=mapping,
            identity=identity,
            unknown_as_other=options["unknown_as_other"],
            dry_run=options["dry_run"],
            register_key=register_key,
            index_key=index_key,
            via="command",
        )
        outcome = jobs.execute(register, register_key, index_key, progress=self._progress)
        if outcome is None:
            raise CommandError("the import failed; nothing was kept")
        for error in outcome.errors:
            message = importer.ERRORS.get(error["code"], error["code"])
            self.stdout.write(f"line {error['line']}, column {error['column']!r}: {message}")
        if outcome.error_count > len(outcome.errors):
            self.stdout.write(f"... and {outcome.error_count - len(outcome.errors)} more")
        verb = "checked" if options["dry_run"] else "imported"
        self.stdout.write(
            self.style.SUCCESS(
                f"Register {register.pk}: {outcome.total} rows, {outcome.imported} {verb}, "
                f"{outcome.error_count} problems."
            )
        )

    def _progress(self, done: int, total: int) -> None:
        self.stdout.write(f"{done}/{total} rows")
