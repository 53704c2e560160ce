from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from vigil.vault import backup


class Command(BaseCommand):
    help = (
        "Restore a backup archive into a fresh installation (migrated, no organisations), "
        "then verify the audit chain."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="an archive written by manage.py backup")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace the data of an installation that is not empty",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = backup.restore(Path(options["archive"]), self._say, force=options["force"])
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self._say("audit: verifying the chain against the restored checkpoints")
        call_command("verify_audit", stdout=self.stdout, stderr=self.stderr)
        self.stdout.write(
            self.style.SUCCESS(f"restored: {summary.objects} objects, {summary.files} files")
        )

    def _say(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()
