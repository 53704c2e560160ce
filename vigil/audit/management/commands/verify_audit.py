from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from vigil.audit.log import verify
from vigil.audit.models import AuditEvent


class Command(BaseCommand):
    help = "Verify the hash chain of the audit log; exit non-zero on any broken link."

    def handle(self, *args: Any, **options: Any) -> None:
        problems = list(verify())
        for problem in problems:
            self.stderr.write(f"event {problem.seq}: {problem.message}")
        if problems:
            raise CommandError(f"audit log verification failed: {len(problems)} problem(s)")
        count = AuditEvent.objects.count()
        self.stdout.write(self.style.SUCCESS(f"audit log intact: {count} events"))
