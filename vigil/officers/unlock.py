"""Opening an organisation's private key on the command line (reindex, register import).

Either the organisation's recovery phrase, or a coordinator's username and
password (her wrapped copy of the organisation key). Secrets are read with
``getpass`` on a terminal, or one per line from standard input when it is not
one (scripts, tests); never from the command line, where ``ps`` and shell
history would keep them.
"""

from __future__ import annotations

import getpass
import sys

from django.core.management.base import CommandError

from vigil import policy
from vigil.accounts.models import Membership, Organisation, User
from vigil.vault import crypto, keys


def _secret(prompt: str) -> str:
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    return sys.stdin.readline().rstrip("\n")


def organisation(slug: str) -> Organisation:
    found = Organisation.objects.filter(slug=slug).first()
    if found is None:
        raise CommandError(f"no organisation {slug!r}")
    return found


def org_private_key(org: Organisation, username: str | None) -> tuple[bytes, User | None]:
    """(private key, the coordinator who unlocked it or None for the recovery phrase)."""
    if username is None:
        phrase = _secret("Recovery phrase of the organisation: ")
        try:
            return keys.organisation_private_from_phrase(org, phrase), None
        except crypto.CryptoError as exc:
            raise CommandError("wrong recovery phrase") from exc
    membership = (
        Membership.objects.select_related("user")
        .filter(organisation=org, user__username=username, is_active=True)
        .first()
    )
    if membership is None or not policy.can_reindex(membership):
        raise CommandError(f"{username!r} is not an active coordinator of {org.slug!r}")
    member_private = keys.unlock_member(membership.user, _secret(f"Password of {username}: "))
    if member_private is None:
        raise CommandError("wrong password")
    opened = keys.unlock_organisations(membership.user, member_private)
    if org.pk not in opened:
        raise CommandError(f"{username!r} holds no key of {org.slug!r}")
    return opened[org.pk], membership.user
