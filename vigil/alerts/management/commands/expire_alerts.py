from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from vigil.alerts.actions import expire_due


class Command(BaseCommand):
    help = "Expire published alerts past their date, destroying their released copy (daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{expire_due()} alert(s) expired")
