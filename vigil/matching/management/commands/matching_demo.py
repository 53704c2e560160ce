"""Demo only: a local matching service folder wired to the demo organisations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from vigil.matching.demo import create_demo_matching


class Command(BaseCommand):
    help = "Demo only: set up a local matching service for the demo organisations."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="run without DEBUG")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError("demo matching is for DEBUG installs; pass --force to insist")
        folder = Path(settings.VAR_DIR) / "matchsvc"
        self.stdout.write(create_demo_matching(folder))
