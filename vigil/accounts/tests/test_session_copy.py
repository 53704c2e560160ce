"""A copy of the sessions table is not a live session."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client, override_settings

from vigil.accounts.middleware import LAST_SEEN
from vigil.accounts.session_store import stored_key
from vigil.conftest import World, sign_in

STAFF_PAGES = ("/", "/accounts/org/members/", "/accounts/org/audit/", "/inbox/", "/incidents/")


def _signed_in_row(client: Client) -> Session:
    return Session.objects.get(session_key=stored_key(client.session.session_key or ""))


def test_it_refuses_a_session_row_copied_from_the_database(world: World) -> None:
    genuine = Client()
    sign_in(genuine, world["coordinator"])
    row = _signed_in_row(genuine)
    # What a dump gives: the key column and the data column, nothing else.
    assert genuine.cookies[settings.SESSION_COOKIE_NAME].value != row.session_key
    attacker = Client()
    attacker.cookies[settings.SESSION_COOKIE_NAME] = row.session_key
    for page in STAFF_PAGES:
        response = attacker.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith("/accounts/login/"), page
    # The genuine cookie still works, and the failed attempts did not end it.
    assert genuine.get("/accounts/org/members/").status_code == 200
    assert Session.objects.filter(pk=row.pk).exists()


def test_it_refuses_the_row_even_with_the_vault_cookie(world: World) -> None:
    # An attacker who also stole the vault cookie still lacks the session cookie.
    genuine = Client()
    sign_in(genuine, world["coordinator"])
    row = _signed_in_row(genuine)
    attacker = Client()
    attacker.cookies[settings.SESSION_COOKIE_NAME] = row.session_key
    attacker.cookies[settings.VAULT_COOKIE_NAME] = genuine.cookies[settings.VAULT_COOKIE_NAME].value
    assert attacker.get("/accounts/org/members/").status_code == 302


def test_it_keys_rows_with_a_secret_outside_the_database(world: World) -> None:
    client = Client()
    sign_in(client, world["caseworker"])
    key = client.session.session_key or ""
    row = _signed_in_row(client)
    with override_settings(SESSION_KEY_SECRET="another-secret-another-secret-another"):
        assert stored_key(key) != row.session_key
        # Without the right secret even the genuine cookie opens nothing.
        assert client.get("/incidents/").status_code == 302
    assert not Session.objects.filter(session_key=key).exists()


def test_logout_and_idle_timeout_still_delete_the_row(world: World) -> None:
    client = Client()
    sign_in(client, world["caseworker"])
    row = _signed_in_row(client)
    assert client.post("/accounts/logout/").status_code == 302
    assert not Session.objects.filter(pk=row.pk).exists()

    sign_in(client, world["caseworker"])
    row = _signed_in_row(client)
    session = client.session
    session[LAST_SEEN] = int(time.time()) - settings.SESSION_IDLE_SECONDS - 1
    session.save()
    assert client.get("/incidents/").status_code == 302
    assert not Session.objects.filter(pk=row.pk).exists()
