"""Append a signed checkpoint of the audit head and email it (cron, daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vigil.audit import tasks


class Command(BaseCommand):
    help = (
        "Verify the audit chain, append a signed checkpoint of its head outside the "
        "database and email the head to every coordinator. --queue hands it to the worker."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--queue", action="store_true", help="enqueue the task instead")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["queue"]:
            result = tasks.audit_checkpoint.enqueue()
            self.stdout.write(f"queued {result.id} ({result.status})")
            return
        try:
            sent = tasks.checkpoint_and_notify()
        except tasks.ChainBroken as exc:
            raise CommandError(f"audit log verification failed, no checkpoint: {exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"checkpoint written, {sent} email(s) sent"))
