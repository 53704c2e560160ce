"""Demo organisations and staff for `make run`. Never use these in production."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from vigil.accounts import actions
from vigil.accounts.models import Organisation, Role, User

DEMO_PASSWORD = "vigil-demo-password"  # noqa: S105 - printed demo credential, by design

ORGANISATIONS = [
    ("svitlo", "Svitlo Harm Reduction", "UA", "Kyiv", ["uk", "ru", "en"]),
    ("dostyk", "Dostyk Street Lawyers", "KZ", "Almaty", ["ru", "en"]),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    organisation: str
    role: str
    totp_secret: str


def _demo_key(username: str) -> bytes:
    # Deterministic so that repeated `make run` keeps the same authenticator entries.
    return hashlib.sha256(f"vigil-demo-totp:{username}".encode()).digest()[:20]


def create_demo() -> tuple[list[DemoUser], dict[str, str]]:
    """Create the demo set if missing. Returns users and new recovery phrases."""
    users: list[DemoUser] = []
    phrases: dict[str, str] = {}
    with transaction.atomic():
        for slug, name, country, city, languages in ORGANISATIONS:
            organisation = Organisation.objects.filter(slug=slug).first()
            private = None
            if organisation is None:
                created = actions.create_organisation(
                    None, name=name, slug=slug, country=country, languages=languages
                )
                organisation, private = created.organisation, created.private_key
                organisation.city = city
                organisation.save(update_fields=["city"])
                phrases[slug] = created.recovery_phrase
            for role in Role.values:
                users.append(_demo_member(organisation, role, private))
    return users, phrases


def _demo_member(organisation: Organisation, role: str, private: bytes | None) -> DemoUser:
    username = f"{organisation.slug}-{role.replace('_', '-')}"
    if private is not None and not User.objects.filter(username=username).exists():
        member = actions.add_member(
            None,
            organisation,
            username=username,
            role=role,
            password=DEMO_PASSWORD,
            org_private=private,
        )
        user = member.membership.user
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])
        TOTPDevice.objects.create(
            user=user, name="demo", confirmed=True, key=_demo_key(username).hex()
        )
    secret = base64.b32encode(_demo_key(username)).decode()
    return DemoUser(username, organisation.name, role, secret)
