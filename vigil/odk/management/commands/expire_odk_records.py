from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from vigil.odk.tasks import expire_records


class Command(BaseCommand):
    help = "Shred phone records nobody opened within SUBMISSION_EXPIRY_DAYS (run daily)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=settings.SUBMISSION_EXPIRY_DAYS)

    def handle(self, *args: Any, **options: Any) -> None:
        count = expire_records.call(options["days"])
        self.stdout.write(f"{count} phone record(s) expired")
