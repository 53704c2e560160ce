from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vigil.accounts import actions


class Command(BaseCommand):
    help = (
        "Create an organisation with its key pair and a first coordinator. "
        "Prints the recovery phrase and the coordinator's temporary password once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")
        parser.add_argument("--slug", required=True)
        parser.add_argument("--country", required=True, help="ISO 3166-1 alpha-2 code")
        parser.add_argument("--languages", default="ru,en")
        parser.add_argument(
            "--coordinator", required=True, help="username of the first coordinator"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from vigil.accounts.models import User

        if User.objects.filter(username=options["coordinator"]).exists():
            raise CommandError(f"user {options['coordinator']} exists; choose a new username")
        created = actions.create_organisation(
            None,
            name=options["name"],
            slug=options["slug"],
            country=options["country"],
            languages=[x.strip() for x in options["languages"].split(",") if x.strip()],
        )
        member = actions.add_member(
            None,
            created.organisation,
            username=options["coordinator"],
            role="coordinator",
            org_private=created.private_key,
        )
        self.stdout.write(self.style.WARNING("Print this recovery phrase and keep it offline:"))
        self.stdout.write(created.recovery_phrase)
        self.stdout.write(
            f"Coordinator {options['coordinator']} temporary password: {member.temporary_password}"
        )
