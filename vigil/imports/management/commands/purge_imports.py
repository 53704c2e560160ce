"""Queue the purge of abandoned import uploads (run daily from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from vigil.imports.tasks import purge_abandoned_imports


class Command(BaseCommand):
    help = "Queue the destruction of uploaded files of imports left unfinished."

    def handle(self, *args: Any, **options: Any) -> None:
        result = purge_abandoned_imports.enqueue()
        self.stdout.write(f"queued {result.id}")
