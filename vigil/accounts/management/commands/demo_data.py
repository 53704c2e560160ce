from __future__ import annotations

import datetime
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from vigil.accounts.demo import DEMO_PASSWORD, create_demo

# About what the brief's own platform documented in its first year.
YEAR_INCIDENTS = 800


def _twelve_months() -> int:
    """Days from the first of the month eleven months ago to today: twelve calendar months,
    so the trend by month has no half-empty first month."""
    today = timezone.localdate()
    month = today.year * 12 + today.month - 1 - 11
    start = datetime.date(month // 12, month % 12 + 1, 1)
    return (today - start).days + 1


class Command(BaseCommand):
    help = "Load demo organisations, staff of every role, and their TOTP secrets (demo only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="allow with DEBUG off")
        parser.add_argument(
            "--small",
            action="store_true",
            help="only the tiny set (accounts, a few records): fast, for tests",
        )
        parser.add_argument(
            "--incidents",
            type=int,
            default=YEAR_INCIDENTS,
            metavar="N",
            help=f"incidents of the demo year per new demo organisation (default {YEAR_INCIDENTS})",
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
        if not options["small"] and options["incidents"] > 0:
            for slug, phrase in phrases.items():
                self._demo_year(slug, phrase, options["incidents"])
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

    def _demo_year(self, slug: str, phrase: str, incidents: int) -> None:
        """A year of incidents, cases and complaints, sealed under the organisation's key."""
        from vigil.accounts.models import Membership, Organisation
        from vigil.complaints.demo import create_demo_complaints
        from vigil.incidents.demo import create_incidents
        from vigil.vault import keys

        started = time.perf_counter()
        organisation = Organisation.objects.get(slug=slug)
        # One key derivation per organisation; every record is sealed with it afterwards.
        org_private = keys.organisation_private_from_phrase(organisation, phrase)
        coordinator = Membership.objects.get(organisation=organisation, role="coordinator").user
        result = create_incidents(
            organisation,
            org_private,
            incidents,
            seed=sum(slug.encode()),
            fresh_keys=True,  # one data key per record, as real data has
            acting_user=coordinator,
            window_days=_twelve_months(),
        )
        complaints = create_demo_complaints(organisation, org_private)
        from vigil.alerts.demo import create_demo_alert_year
        from vigil.engagement.demo import create_demo_engagement_year

        create_demo_alert_year(organisation)
        create_demo_engagement_year(organisation)
        self.stdout.write(
            f"{slug}: a demo year of {result.events} incidents, {result.cases} cases and "
            f"{complaints} complaints in {time.perf_counter() - started:.1f} s"
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
