"""Queue the task-reminder job (run from cron, e.g. daily at 07:00)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from vigil.cases.tasks import send_task_reminders


class Command(BaseCommand):
    help = "Queue the email reminders for tasks due tomorrow or overdue."

    def handle(self, *args: Any, **options: Any) -> None:
        result = send_task_reminders.enqueue()
        self.stdout.write(f"queued {result.id} ({result.status})")
