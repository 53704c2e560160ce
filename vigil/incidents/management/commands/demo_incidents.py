from __future__ import annotations

import getpass
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from vigil.accounts.demo import DEMO_PASSWORD
from vigil.accounts.models import Organisation, User
from vigil.incidents.demo import BATCH_SIZE, create_incidents
from vigil.vault import crypto, keys


class Command(BaseCommand):
    help = (
        "Generate realistic demo incidents (victims, acts, perpetrators, consents, cases) "
        "for an organisation. Demo installs only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, help="slug of the organisation")
        parser.add_argument("--incidents", type=int, required=True, help="how many to create")
        unlock = parser.add_mutually_exclusive_group(required=True)
        unlock.add_argument(
            "--phrase",
            nargs="?",
            const="",
            help="the organisation's recovery phrase (without a value: asked for, not echoed)",
        )
        unlock.add_argument(
            "--demo",
            action="store_true",
            help="demo organisation: unlock with the demo coordinator's password",
        )
        parser.add_argument("--batch", type=int, default=BATCH_SIZE, help="incidents per batch")
        parser.add_argument("--seed", type=int, default=None, help="random seed (repeatable data)")
        parser.add_argument(
            "--fresh-keys",
            action="store_true",
            help="one data key per record as in real use (slower; default: one per batch)",
        )
        parser.add_argument("--force", action="store_true", help="allow with DEBUG off")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError("demo data is for DEBUG installs; pass --force to insist")
        if options["incidents"] < 1 or options["batch"] < 1:
            raise CommandError("--incidents and --batch must be positive")
        organisation = Organisation.objects.filter(slug=options["org"]).first()
        if organisation is None:
            raise CommandError(f"no organisation with slug {options['org']!r}")
        org_private, acting_user = self._unlock(organisation, options)
        total = options["incidents"]
        started = time.perf_counter()

        def progress(done: int, _total: int) -> None:
            rate = done / max(time.perf_counter() - started, 1e-9)
            self.stdout.write(f"\r{done:>9,} / {total:,} incidents  ({rate:,.0f}/s)", ending="")
            self.stdout.flush()

        result = create_incidents(
            organisation,
            org_private,
            total,
            progress,
            batch_size=options["batch"],
            seed=options["seed"],
            fresh_keys=options["fresh_keys"],
            acting_user=acting_user,
        )
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                f"{organisation.slug}: {result.events:,} incidents, {result.people:,} victims, "
                f"{result.acts:,} acts, {result.perpetrators:,} perpetrators, "
                f"{result.cases:,} cases in {result.seconds:.1f} s ({result.rate:,.0f} incidents/s)"
            )
        )

    def _unlock(
        self, organisation: Organisation, options: dict[str, Any]
    ) -> tuple[bytes, User | None]:
        if options["demo"]:
            username = f"{organisation.slug}-coordinator"
            user = User.objects.filter(username=username).first()
            private = keys.unlock_member(user, DEMO_PASSWORD) if user is not None else None
            if user is None or private is None:
                raise CommandError(f"{username} is not a demo coordinator with a key")
            org_key = keys.unlock_organisations(user, private).get(organisation.pk)
            if org_key is None:
                raise CommandError(f"{username} holds no key of {organisation.slug}")
            return org_key, user
        phrase = options["phrase"] or getpass.getpass("Recovery phrase: ")
        try:
            return keys.organisation_private_from_phrase(organisation, phrase), None
        except crypto.CryptoError as exc:
            raise CommandError("this recovery phrase does not open the organisation key") from exc
