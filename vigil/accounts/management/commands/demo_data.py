from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from vigil.accounts.demo import DEMO_PASSWORD, ORGANISATIONS, create_demo


class Command(BaseCommand):
    help = "Load demo organisations, staff of every role, and their TOTP secrets (demo only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="allow with DEBUG off")
        parser.add_argument(
            "--incidents",
            type=int,
            default=0,
            metavar="N",
            help="also generate N demo incidents per demo organisation",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError("demo data is for DEBUG installs; pass --force to insist")
        users, phrases = create_demo()
        from vigil.intake.demo import create_demo_reports

        reports = create_demo_reports()
        from vigil.stats.demo import create_demo_network

        network = create_demo_network()
        from vigil.referrals.demo import create_demo_programmes

        referrals = create_demo_programmes()
        from vigil.alerts.demo import create_demo_alerts

        alerts = create_demo_alerts()
        from vigil.engagement.demo import create_demo_engagement

        create_demo_engagement()
        from vigil.imports.demo import create_demo_mappings

        create_demo_mappings()
        self._demo_officers(phrases)
        if options["incidents"] > 0:
            for slug, *_rest in ORGANISATIONS:
                call_command(
                    "demo_incidents",
                    org=slug,
                    incidents=options["incidents"],
                    demo=True,
                    force=True,
                    stdout=self.stdout,
                )
        for slug, phrase in phrases.items():
            self.stdout.write(f"Recovery phrase of {slug} (demo): {phrase}")
        self.stdout.write(f"\nDemo password for every account: {DEMO_PASSWORD}")
        self.stdout.write(
            "Username                        TOTP secret (add to an authenticator app)"
        )
        for user in users:
            self.stdout.write(f"{user.username:<31} {user.totp_secret}")
        self.stdout.write(
            f"\n{reports} demo report(s) added to the inbox; the public form is at /report/"
        )
        if network is not None:
            self.stdout.write(
                f"Both demo organisations share figures in the network “{network.name}”."
            )
        self.stdout.write(f"{referrals} demo diversion referral(s) in two programmes")
        self.stdout.write(f"{alerts} demo alert(s) published; members read them at /members/")
        self.stdout.write(
            "\nNo phone at hand? `make demo-code USER=<username>` prints the current code."
        )

    def _demo_officers(self, phrases: dict[str, str]) -> None:
        """Repeat officers and an imported register, for organisations created just now."""
        from vigil.accounts.models import Membership, Organisation
        from vigil.officers.demo import create_demo_officers

        for slug, phrase in phrases.items():
            organisation = Organisation.objects.get(slug=slug)
            lawyer = Membership.objects.get(organisation=organisation, role="lawyer").user
            made = create_demo_officers(organisation, phrase, lawyer)
            self.stdout.write(f"{made} demo incident(s) with repeat officers in {slug}")
        from vigil.odk.demo import create_demo_phones

        for slug, username, password in create_demo_phones():
            self.stdout.write(
                f"ODK Collect demo phone of {slug}: /odk/{slug} {username} {password}"
            )
