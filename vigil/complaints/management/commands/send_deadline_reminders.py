"""Queue the legal-action deadline reminders (run from cron, e.g. daily at 07:00)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from vigil.complaints.tasks import send_deadline_reminders


class Command(BaseCommand):
    help = "Queue the email reminders about legal actions whose response is due soon or overdue."

    def handle(self, *args: Any, **options: Any) -> None:
        result = send_deadline_reminders.enqueue()
        self.stdout.write(f"queued {result.id} ({result.status})")
