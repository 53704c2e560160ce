from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from vigil.vault import backup


class Command(BaseCommand):
    help = (
        "Write one backup archive (database rows, sealed media, audit checkpoints). "
        "It holds sealed data only: useless without the organisations' keys."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", help="archive to write, e.g. /backups/vigil-2026-12-06.tar.gz")

    def handle(self, *args: Any, **options: Any) -> None:
        summary = backup.create(Path(options["out"]), self._say)
        self.stdout.write(
            self.style.SUCCESS(
                f"backup written: {summary.objects} objects, {summary.files} files, "
                f"{summary.size} bytes"
            )
        )

    def _say(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()
