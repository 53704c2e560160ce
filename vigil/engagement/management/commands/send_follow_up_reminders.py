"""Queue the engagement follow-up reminders (run from cron, e.g. daily at 07:10)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from vigil.engagement.tasks import send_follow_up_reminders


class Command(BaseCommand):
    help = "Queue the email reminders about community suggestions and recommendations due."

    def handle(self, *args: Any, **options: Any) -> None:
        result = send_follow_up_reminders.enqueue()
        self.stdout.write(f"queued {result.id} ({result.status})")
