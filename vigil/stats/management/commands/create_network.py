"""Create a network whose analysts are the host organisation's network analysts."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vigil.accounts.models import Organisation
from vigil.stats import actions
from vigil.stats.models import Network


class Command(BaseCommand):
    help = "Create a statistics network hosted by an organisation (its secretariat)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="short name of the network, e.g. eeca")
        parser.add_argument("name", help="full name of the network")
        parser.add_argument("--host", required=True, help="short name of the host organisation")

    def handle(self, *args: Any, **options: Any) -> None:
        host = Organisation.objects.filter(slug=options["host"]).first()
        if host is None:
            raise CommandError(f"no organisation with short name {options['host']!r}")
        if Network.objects.filter(slug=options["slug"]).exists():
            raise CommandError(f"a network {options['slug']!r} exists already")
        network = actions.create_network(None, host, name=options["name"], slug=options["slug"])
        self.stdout.write(f"Network {network.slug} created, hosted by {host.slug}.")
