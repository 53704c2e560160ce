from __future__ import annotations

import time

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.test import Client, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from vigil.accounts import actions
from vigil.accounts.middleware import LAST_SEEN, LOGIN_AT
from vigil.accounts.session_store import stored_key
from vigil.conftest import PASSWORD, World, current_code, sign_in

DATA_PAGES = ["/", "/accounts/org/members/", "/accounts/org/audit/", "/accounts/org/recover/"]


def _password_step(client: Client, username: str, password: str = PASSWORD):
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        headers={"user-agent": "Mozilla/5.0 TestPhone"},
        REMOTE_ADDR="203.0.113.7",
    )


def test_it_signs_in_with_password_and_totp(world: World) -> None:
    client = Client()
    response = _password_step(client, "a-caseworker")
    assert response["Location"] == "/accounts/2fa/"
    assert client.get("/").status_code == 302  # password alone opens nothing
    response = client.post("/accounts/2fa/", {"token": current_code(world["caseworker"].device)})
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_it_rejects_a_wrong_totp_code_with_a_clear_error(world: World) -> None:
    client = Client()
    _password_step(client, "a-caseworker")
    response = client.post("/accounts/2fa/", {"token": "000000"})
    assert response.status_code == 200
    assert "This code is not valid" in response.content.decode()
    assert client.get("/").status_code == 302


def test_it_sends_a_user_without_a_device_to_enrolment_from_every_data_page(world: World) -> None:
    TOTPDevice.objects.filter(user=world["lawyer"].user).delete()
    client = Client()
    assert _password_step(client, "a-lawyer")["Location"] == "/accounts/2fa/setup/"
    for url in DATA_PAGES:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == "/accounts/2fa/setup/", url


def test_it_enrols_a_totp_device(world: World) -> None:
    TOTPDevice.objects.filter(user=world["lawyer"].user).delete()
    client = Client()
    _password_step(client, "a-lawyer")
    page = client.get("/accounts/2fa/setup/")
    assert page.status_code == 200 and b"<svg" in page.content
    device = TOTPDevice.objects.get(user=world["lawyer"].user, confirmed=False)
    response = client.post("/accounts/2fa/setup/", {"token": f"{totp(device.bin_key):06d}"})
    assert response["Location"] == "/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200


def test_it_locks_an_account_after_repeated_bad_passwords(world: World) -> None:
    client = Client()
    for _ in range(4):
        response = _password_step(client, "a-lawyer", "wrong password!!")
        assert response.status_code == 200
        assert "Username or password is not correct" in response.content.decode()
    response = _password_step(client, "a-lawyer", "wrong password!!")
    assert response.status_code == 429
    # Now even the right password is refused, from any client.
    response = _password_step(Client(), "a-lawyer")
    assert response.status_code == 429
    assert "locked" in response.content.decode()
    # Other accounts are unaffected; no client address was stored.
    assert _password_step(Client(), "a-caseworker").status_code == 302
    attempt = AccessAttempt.objects.get(username="a-lawyer")
    assert not attempt.ip_address
    assert "TestPhone" not in attempt.user_agent
    assert "203.0.113.7" not in str(AccessAttempt.objects.values_list())


@override_settings(SESSION_IDLE_SECONDS=60)
def test_it_ends_an_idle_session_on_the_server(world: World) -> None:
    client = Client()
    sign_in(client, world["caseworker"])
    session_key = client.session.session_key
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 61
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Session.objects.filter(session_key=stored_key(session_key or "")).exists()


def test_it_ends_a_session_past_its_absolute_lifetime(world: World, settings) -> None:
    client = Client()
    sign_in(client, world["caseworker"])
    session = client.session
    session[LOGIN_AT] = int(time.time()) - settings.SESSION_COOKIE_AGE - 1
    session.save()
    assert client.get("/").status_code == 302


def test_it_destroys_the_session_at_logout(world: World) -> None:
    client = Client()
    sign_in(client, world["caseworker"])
    session_key = client.session.session_key
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert not Session.objects.filter(session_key=stored_key(session_key or "")).exists()
    assert client.cookies["vigil_vault"].value == ""
    assert client.get("/").status_code == 302


def test_it_does_not_log_out_on_get(world: World) -> None:
    client = Client()
    sign_in(client, world["caseworker"])
    assert client.get("/accounts/logout/").status_code == 405


@pytest.mark.parametrize(
    ("new", "error"),
    [
        ("short-pass", "too short"),
        ("password1234", "too common"),
        ("12345678901234", "entirely numeric"),
    ],
)
def test_it_enforces_the_password_policy(world: World, signed_in, new: str, error: str) -> None:
    client = signed_in("caseworker")
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 200
    assert error in response.content.decode()


def test_it_changes_the_password_and_keeps_the_keys(world: World, signed_in) -> None:
    client = signed_in("caseworker")
    new = "violet river under the bridge"
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    fresh = Client()
    sign_in(fresh, world["caseworker"], password=new)
    assert b"Sealed data unlocked" in fresh.get("/").content


def test_it_lets_a_coordinator_reset_a_password(world: World, signed_in) -> None:
    coordinator = signed_in("coordinator", step_up=True)
    response = coordinator.post(
        f"/accounts/org/members/{world['lawyer'].membership.pk}/reset-password/"
    )
    assert response.status_code == 200
    temporary = response.context["password"]
    client = Client()
    sign_in(client, world["lawyer"], password=temporary)
    # The temporary password must be replaced before any data page opens.
    assert client.get("/")["Location"] == "/accounts/password/"
    new = "my own long passphrase 2026"
    client.post(
        "/accounts/password/",
        {"old_password": temporary, "new_password1": new, "new_password2": new},
    )
    page = client.get("/")
    assert page.status_code == 200 and b"Sealed data unlocked" in page.content


def test_it_lets_a_coordinator_add_a_member_who_then_enrols(world: World, signed_in) -> None:
    coordinator = signed_in("coordinator", step_up=True)
    response = coordinator.post(
        "/accounts/org/members/new/", {"username": "olena", "email": "", "role": "caseworker"}
    )
    assert response.status_code == 200 and response.context["granted"] is True
    temporary = response.context["password"]
    client = Client()
    response = _password_step(client, "svitlo.olena", temporary)
    assert response["Location"] == "/accounts/2fa/setup/"


def test_it_refuses_a_taken_username_with_a_clear_error(world: World, signed_in) -> None:
    coordinator = signed_in("coordinator", step_up=True)
    coordinator.post("/accounts/org/members/new/", {"username": "olena", "role": "lawyer"})
    response = coordinator.post(
        "/accounts/org/members/new/", {"username": "OLENA", "role": "lawyer"}
    )
    assert response.status_code == 200
    assert "This username is taken." in response.content.decode()


def test_it_revokes_keys_when_a_role_loses_key_access(world: World, signed_in) -> None:
    coordinator = signed_in("coordinator", step_up=True)
    member = world["caseworker"].membership
    coordinator.post(f"/accounts/org/members/{member.pk}/", {"role": "analyst"})
    member.refresh_from_db()
    assert member.role == "analyst" and not hasattr(member, "grant")


def test_it_stops_a_deactivated_member(world: World, signed_in) -> None:
    client = signed_in("lawyer")
    actions.set_active(world["coordinator"].user, world["lawyer"].membership, False)
    assert client.get("/").status_code == 403


def test_it_says_what_is_missing_when_the_code_is_left_empty(world: World) -> None:
    client = Client()
    _password_step(client, "a-caseworker")
    response = client.post("/accounts/2fa/", {})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()


def test_adding_a_member_does_not_reveal_another_organisations_username(
    world: World, signed_in
) -> None:
    taken_elsewhere = world.others["lawyer"].user.username
    response = signed_in("coordinator", step_up=True).post(
        "/accounts/org/members/new/", {"username": taken_elsewhere, "role": "lawyer"}
    )

    # The same outcome as for a name no one uses: an account in her own namespace.
    assert response.status_code == 200
    assert "taken" not in response.content.decode()
    assert response.context["member"].user.username == f"svitlo.{taken_elsewhere}"
    assert response.context["member"].organisation == world.org
