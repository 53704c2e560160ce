"""Personas and helpers shared by the whole suite.

Two organisations in two countries, one member of every role in each, all
with a confirmed TOTP device, so tests exercise the real sign-in path
(password, then a code computed from the device's key).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from vigil.accounts import actions
from vigil.accounts.models import Membership, Organisation, Role, User

PASSWORD = "correct horse battery staple"


@dataclass
class Persona:
    user: User
    membership: Membership
    device: TOTPDevice

    @property
    def organisation(self) -> Organisation:
        return self.membership.organisation


@dataclass
class World:
    org: Organisation
    other_org: Organisation
    phrase: str
    other_phrase: str
    org_private: bytes
    people: dict[str, Persona]
    others: dict[str, Persona]

    def __getitem__(self, role: str) -> Persona:
        return self.people[role]


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def make_persona(org: Organisation, role: str, private: bytes, username: str) -> Persona:
    member = actions.add_member(
        None, org, username=username, role=role, password=PASSWORD, org_private=private
    )
    user = member.membership.user
    user.must_change_password = False
    user.save(update_fields=["must_change_password"])
    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    return Persona(user, member.membership, device)


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Each test starts with an empty cache: the database is rolled back or flushed
    between tests, and a cached row (a public page's organisation) or counter (rate
    limits) of an earlier test must not leak into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _reference_data(request: pytest.FixtureRequest) -> None:
    """Vocabularies come from a data migration; a transactional test (live
    server, seizure dump) flushes every table afterwards, so restore them."""
    names = set(request.fixturenames)
    marker = request.node.get_closest_marker("django_db")
    if names & {"transactional_db", "live_server"} or (marker and marker.kwargs.get("transaction")):
        request.getfixturevalue("transactional_db")
    elif "db" in names or marker is not None:
        request.getfixturevalue("db")
    else:
        return
    from vigil.vocab.loader import load_terms
    from vigil.vocab.models import Term

    if not Term.objects.filter(organisation__isnull=True).exists():
        load_terms(Term)
        # Lists that other apps' data migrations add (engagement's topics and themes).
        from vigil.engagement.vocabulary import load as load_engagement_terms

        load_engagement_terms(Term)


@pytest.fixture
def world(db: None) -> World:
    first = actions.create_organisation(
        None, name="Svitlo", slug="svitlo", country="UA", languages=["uk", "ru"]
    )
    second = actions.create_organisation(
        None, name="Dostyk", slug="dostyk", country="KZ", languages=["ru"]
    )
    people = {
        role: make_persona(first.organisation, role, first.private_key, f"a-{role}")
        for role in Role.values
    }
    others = {
        role: make_persona(second.organisation, role, second.private_key, f"b-{role}")
        for role in Role.values
    }
    return World(
        first.organisation,
        second.organisation,
        first.recovery_phrase,
        second.recovery_phrase,
        org_private=first.private_key,
        people=people,
        others=others,
    )


def sign_in(client: Client, persona: Persona, password: str = PASSWORD) -> None:
    """Full staff sign-in through HTTP: password, then TOTP."""
    # A TOTP code is single-use per time step; let a persona sign in again.
    TOTPDevice.objects.filter(pk=persona.device.pk).update(last_t=-1)
    response = client.post(
        "/accounts/login/", {"username": persona.user.username, "password": password}
    )
    assert response.status_code == 302, response.content[:500]
    response = client.post("/accounts/2fa/", {"token": current_code(persona.device)})
    assert response.status_code == 302, response.content[:500]


def step_up_session(client: Client) -> None:
    """Mark the client's session as freshly stepped up (tests not about step-up)."""
    from vigil.accounts.stepup import STEP_UP_AT

    session = client.session
    session[STEP_UP_AT] = int(time.time())
    session.save()


@pytest.fixture
def signed_in(world: World) -> Iterator[object]:
    """Factory: a client signed in as the persona of a role (own organisation)."""

    def make(role: str, *, other: bool = False, step_up: bool = False) -> Client:
        client = Client()
        sign_in(client, (world.others if other else world.people)[role])
        if step_up:
            step_up_session(client)
        return client

    yield make


@pytest.fixture
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright, shared by every app's browser tests."""
    import os
    import shutil

    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the
    # test makes between page actions are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=shutil.which("chromium") or "/usr/bin/chromium",
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield launched
        launched.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    # ORM calls made while Playwright's loop ran used their own connection; close
    # it so PostgreSQL can drop the test database at the end.
    connections.close_all()
