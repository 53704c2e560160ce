"""Record an organisation's matching-service token, sealed to its key."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vigil.accounts.models import Organisation
from vigil.matching import actions
from vigil.stats.models import Network


class Command(BaseCommand):
    help = (
        "Make an organisation a member of a network's matching. The token printed by "
        "`python -m matchsvc add-member` is read from standard input (never a command "
        "argument, which would land in the shell history)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("organisation", help="short name of the organisation")
        parser.add_argument("network", help="short name of the network")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        network = Network.objects.filter(slug=options["network"]).first()
        if organisation is None or network is None:
            raise CommandError("no such organisation or network")
        token = sys.stdin.readline().strip()
        if not token.startswith("mo_"):
            raise CommandError("expected a member token (mo_...) on standard input")
        actions.join_network(None, organisation, network, token)
        self.stdout.write(f"{organisation.slug} now matches in {network.slug}.")
