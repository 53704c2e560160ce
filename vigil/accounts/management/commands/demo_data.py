from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from vigil.accounts.demo import DEMO_PASSWORD, create_demo


class Command(BaseCommand):
    help = "Load demo organisations, staff of every role, and their TOTP secrets (demo only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="allow with DEBUG off")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError("demo data is for DEBUG installs; pass --force to insist")
        users, phrases = create_demo()
        from vigil.intake.demo import create_demo_reports

        reports = create_demo_reports()
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
        self.stdout.write(
            "\nNo phone at hand? `make demo-code USER=<username>` prints the current code."
        )
