from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from vigil.intake.actions import expire


class Command(BaseCommand):
    help = "Destroy the keys of reports nobody accepted within SUBMISSION_EXPIRY_DAYS (run daily)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=settings.SUBMISSION_EXPIRY_DAYS)

    def handle(self, *args: Any, **options: Any) -> None:
        count = expire(options["days"])
        self.stdout.write(f"{count} report(s) expired")
