from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from vigil.stats.report import purge_expired


class Command(BaseCommand):
    help = "Delete generated advocacy reports older than STATS_REPORT_KEEP_DAYS (run daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{purge_expired()} report(s) deleted")
