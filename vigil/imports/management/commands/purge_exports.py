"""Queue the purge of expired records exports (run hourly from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from vigil.imports.tasks import purge_exports


class Command(BaseCommand):
    help = (
        "Queue the destruction of records export files past EXPORT_KEEP_HOURS, and wipe the "
        "key of exports whose worker died or never came."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = purge_exports.enqueue()
        self.stdout.write(f"queued {result.id}")
