"""Changes that can hurt reporters ask for the password and a fresh code, and are announced."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from docx import Document

from vigil.accounts.models import Membership, Role
from vigil.accounts.stepup import STEP_UP_AT
from vigil.audit.models import AuditEvent
from vigil.complaints.models import LetterTemplate
from vigil.conftest import PASSWORD, Persona, World, current_code, make_persona, sign_in
from vigil.mailtest import Inbox, body_of, smtp_server

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
HOTLINE = "+380 44 555 0199"
INTRO = "Пишіть нам уночі, ми відповімо до ранку"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def inbox(settings: Any) -> Iterator[Inbox]:
    settings.TASKS = IMMEDIATE
    with smtp_server(settings) as handler:
        yield handler


@pytest.fixture
def coordinators(world: World) -> list[Persona]:
    """Two coordinators with email addresses, and one of another organisation."""
    second = make_persona(world.org, Role.COORDINATOR, world.org_private, "a-coordinator-2")
    people = [world["coordinator"], second, world.others["coordinator"]]
    for index, persona in enumerate(people):
        persona.user.email = f"coordinator{index}@example.org"
        persona.user.save()
    world["caseworker"].user.email = "caseworker@example.org"
    world["caseworker"].user.save()
    return people


def _next_code(persona: Persona) -> str:
    # A code from a later time step than the one used at sign-in.
    TOTPDevice.objects.filter(pk=persona.device.pk).update(last_t=-1)
    persona.device.refresh_from_db()
    return current_code(persona.device)


def _code_of_last_use(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = device.last_t * device.step + device.t0
    return f"{totp.token():06d}"


def _step_up(client: Client, persona: Persona, next_url: str) -> None:
    response = client.post(
        "/accounts/step-up/",
        {"password": PASSWORD, "token": _next_code(persona), "next": next_url},
    )
    assert response.status_code == 302 and response["Location"] == next_url


def _asks_step_up(response: Any, next_url: str) -> bool:
    return response.status_code == 302 and response["Location"].startswith(
        "/accounts/step-up/?next=" + next_url.replace("/", "%2F")
    )


def _announced(inbox: Inbox, coordinators: list[Persona], words: str) -> str:
    mine = {p.user.email for p in coordinators[:2]}
    assert {rcpt[0] for rcpt, _m in inbox.received} == mine  # not the other org, not staff
    bodies = [body_of(message) for _r, message in inbox.received]
    assert all(words in body for body in bodies), bodies
    return bodies[0]


def _coordinator_client(world: World) -> Client:
    client = Client()
    sign_in(client, world["coordinator"])
    return client


def test_the_public_page_needs_step_up_and_is_announced(
    world: World, coordinators: list[Persona], inbox: Inbox
) -> None:
    client = _coordinator_client(world)
    url = "/org/public-page/"
    data = {"hotline": HOTLINE, "intro_uk": INTRO}
    assert _asks_step_up(client.get(url), url)
    assert _asks_step_up(client.post(url, data), url)
    world.org.refresh_from_db()
    assert HOTLINE not in str(world.org.settings)
    assert inbox.received == []

    _step_up(client, world["coordinator"], url)
    assert client.get(url).status_code == 200
    assert client.post(url, data).status_code == 302
    world.org.refresh_from_db()
    assert world.org.settings["public"]["hotline"] == HOTLINE
    body = _announced(inbox, coordinators, "public reporting page")
    assert HOTLINE not in body and INTRO not in body
    assert "a-coordinator" in body  # who did it


def _docx(text: str) -> bytes:
    document = Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_letter_templates_need_step_up_and_are_announced(
    world: World, coordinators: list[Persona], inbox: Inbox
) -> None:
    client = _coordinator_client(world)
    url = "/complaints/templates/police_internal/ru/"

    def upload() -> Any:
        content = _docx("ЖАЛОБА {{ victim_name }}")
        return client.post(url, {"file": SimpleUploadedFile("t.docx", content, DOCX_MIME)})

    assert _asks_step_up(upload(), url)
    assert not LetterTemplate.objects.filter(organisation=world.org).exists()
    reset = "/complaints/templates/police_internal/ru/reset/"
    assert _asks_step_up(client.post(reset), "/complaints/templates/")

    _step_up(client, world["coordinator"], url)
    assert upload().status_code == 302
    assert LetterTemplate.objects.filter(organisation=world.org).exists()
    body = _announced(inbox, coordinators, "letter template")
    assert "police_internal/ru" in body and "ЖАЛОБА" not in body
    assert client.post(reset).status_code == 302
    assert not LetterTemplate.objects.filter(organisation=world.org).exists()
    assert len(inbox.received) == 4


def test_adding_members_and_coordinators_needs_step_up_and_is_announced(
    world: World, coordinators: list[Persona], inbox: Inbox
) -> None:
    client = _coordinator_client(world)
    url = "/accounts/org/members/new/"
    data = {"username": "new-coordinator", "role": "coordinator"}
    assert _asks_step_up(client.post(url, data), url)
    # Members sign in as "<organisation>.<name>" (a name is unique per organisation).
    username = f"{world.org.slug}.new-coordinator"
    assert not Membership.objects.filter(user__username=username).exists()

    _step_up(client, world["coordinator"], url)
    assert client.post(url, data).status_code == 200
    assert Membership.objects.get(user__username=username).role == "coordinator"
    body = _announced(inbox, coordinators, "a new member")
    assert "new-coordinator (coordinator)" in body

    # Promoting an existing member to coordinator is the same kind of change.
    lawyer = world["lawyer"].membership
    detail = f"/accounts/org/members/{lawyer.pk}/"
    session = client.session
    session[STEP_UP_AT] = int(time.time()) - 6 * 60  # past the five minutes
    session.save()
    assert client.get(detail).status_code == 200  # looking needs no step-up
    assert _asks_step_up(client.post(detail, {"role": "coordinator"}), detail)
    lawyer.refresh_from_db()
    assert lawyer.role == "lawyer"


def test_changing_key_grants_needs_step_up_and_is_announced(
    world: World, coordinators: list[Persona], inbox: Inbox
) -> None:
    client = _coordinator_client(world)
    member = world["caseworker"].membership
    detail = f"/accounts/org/members/{member.pk}/"
    revoke = f"{detail}revoke/"
    assert _asks_step_up(client.post(revoke), detail)
    assert hasattr(Membership.objects.get(pk=member.pk), "grant")

    _step_up(client, world["coordinator"], detail)
    assert client.post(revoke).status_code == 302
    assert not hasattr(Membership.objects.get(pk=member.pk), "grant")
    body = _announced(inbox, coordinators, "access to sealed data")
    assert "a-caseworker: revoke" in body
    assert client.post(f"{detail}grant/").status_code == 302
    assert hasattr(Membership.objects.get(pk=member.pk), "grant")
    assert AuditEvent.objects.filter(action="account.step_up").count() == 1


def test_step_up_refuses_a_wrong_password_or_a_reused_code(world: World) -> None:
    client = _coordinator_client(world)
    persona = world["coordinator"]
    persona.device.refresh_from_db()
    page = "/org/public-page/"

    def attempt(password: str, token: str) -> None:
        response = client.post(
            "/accounts/step-up/", {"password": password, "token": token, "next": page}
        )
        assert response.status_code == 200
        assert "not correct" in response.content.decode()

    attempt(PASSWORD, _code_of_last_use(persona.device))  # the sign-in's code, again
    attempt("wrong password here", _next_code(persona))
    assert _asks_step_up(client.get(page), page)


def test_repeated_step_up_failures_end_the_session(world: World, settings: Any) -> None:
    settings.STEP_UP_MAX_FAILURES = 3
    client = _coordinator_client(world)
    for _attempt in range(3):
        client.post("/accounts/step-up/", {"password": "guess guess guess", "token": "123456"})
    response = client.get("/org/public-page/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_step_up_goes_back_only_to_this_site(world: World) -> None:
    client = _coordinator_client(world)
    response = client.post(
        "/accounts/step-up/",
        {
            "password": PASSWORD,
            "token": _next_code(world["coordinator"]),
            "next": "https://evil.example/",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/"
