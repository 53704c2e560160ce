"""Appoint a network's counsel: a fresh key pair sealed to her member key."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vigil.accounts.models import User
from vigil.matching import actions
from vigil.stats.models import Network
from vigil.vault.models import MemberKey


class Command(BaseCommand):
    help = (
        "Appoint the counsel of a network's matching. The counsel token printed by "
        "`python -m matchsvc add-network` is read from standard input."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="the counsel's Vigil user name")
        parser.add_argument("network", help="short name of the network")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        network = Network.objects.filter(slug=options["network"]).first()
        if user is None or network is None:
            raise CommandError("no such user or network")
        if not MemberKey.objects.filter(user=user).exists():
            raise CommandError("this user has no key yet: she must sign in once first")
        if not user.memberships.filter(organisation=network.host, is_active=True).exists():
            raise CommandError("the counsel must be a member of the network's host organisation")
        token = sys.stdin.readline().strip()
        if not token.startswith("mc_"):
            raise CommandError("expected a counsel token (mc_...) on standard input")
        actions.appoint_counsel(None, user, network, token)
        self.stdout.write(f"{user.username} is now counsel of {network.slug}.")
