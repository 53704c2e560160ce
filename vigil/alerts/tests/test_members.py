"""The members' page: sign-in by emailed link (real SMTP), reading alerts, and sending
alerts by email (real SMTP) and SMS (a real HTTP gateway on loopback)."""

from __future__ import annotations

import datetime
import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from vigil.alerts import actions, dispatch
from vigil.alerts.models import Dispatch, DispatchStatus, MemberLink
from vigil.alerts.tests.helpers import (
    OFFENDER_PHONE,
    OFFENDER_PLATE,
    PLANTED,
    TEXTS,
    published,
    released_text,
)
from vigil.conftest import World
from vigil.mailtest import Inbox, body_of, free_port, smtp_server

MEMBER_EMAIL = "peer.member@example.org"
MEMBER_PHONE = "+380501112233"


class Gateway:
    """A real HTTP server on a free loopback port that keeps what is posted to it."""

    def __init__(self) -> None:
        self.posts: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        received = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                received.posts.append(json.loads(self.rfile.read(length)))
                received.headers.append(dict(self.headers))
                self.send_response(202)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/send"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway(settings: Any) -> Iterator[Gateway]:
    running = Gateway()
    settings.ALERTS_SMS_BACKEND = "http"
    settings.ALERTS_SMS_URL = running.url
    settings.ALERTS_SMS_TOKEN = "gateway-token"
    yield running
    running.stop()


@pytest.fixture
def inbox(settings: Any) -> Iterator[Inbox]:
    with smtp_server(settings) as received:
        yield received


def _enrol(
    world: World, channel: str, *, email: str = "", phone: str = "", region: str = ""
) -> Any:
    return actions.enrol(
        world["caseworker"].user,
        world.org,
        group="peer",
        channel=channel,
        region=region,
        language="ru",
        name="Марина",
        email=email,
        phone=phone,
    )


def _signed_in_member(world: World, inbox: Inbox) -> Client:
    _enrol(world, "page", email=MEMBER_EMAIL)
    client = Client()
    assert client.get("/members/")["Location"] == "/members/sign-in/"
    client.post("/members/sign-in/", {"email": MEMBER_EMAIL.upper()})
    (message,) = inbox.to(MEMBER_EMAIL.upper())  # the address as she typed it
    link = re.search(r"http\S+/members/enter/(\S+)/", body_of(message))
    assert link is not None
    token = link.group(1)
    assert not MemberLink.objects.filter(token_hash=token).exists()  # stored hashed only
    assert client.get(f"/members/enter/{token}/").status_code == 200  # a button, not spent
    assert client.post(f"/members/enter/{token}/").status_code == 302
    assert Client().post(f"/members/enter/{token}/").status_code == 400  # single use
    return client


def test_it_signs_a_member_in_by_emailed_link_and_shows_the_alerts(
    world: World, inbox: Inbox
) -> None:
    published(world)
    client = _signed_in_member(world, inbox)
    page = client.get("/members/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert TEXTS["ru"] in page and OFFENDER_PLATE in page
    for secret in PLANTED:
        assert secret not in page


def test_it_does_not_let_a_copied_session_act_as_the_member(world: World, inbox: Inbox) -> None:
    client = _signed_in_member(world, inbox)
    copy = Client()
    copy.cookies["vigil_session"] = client.cookies["vigil_session"].value
    assert copy.get("/members/").status_code == 302


def test_it_refuses_an_expired_link_and_says_nothing_about_unknown_addresses(
    world: World, inbox: Inbox
) -> None:
    _enrol(world, "page", email=MEMBER_EMAIL)
    client = Client()
    unknown = client.post("/members/sign-in/", {"email": "nobody@example.org"})
    known = client.post("/members/sign-in/", {"email": MEMBER_EMAIL})

    def without_tokens(content: bytes) -> str:
        return re.sub(r'value="[^"]{40,}"', "", content.decode())

    assert without_tokens(unknown.content) == without_tokens(known.content)
    assert len(inbox.received) == 1
    token = re.search(r"/members/enter/(\S+)/", body_of(inbox.received[0][1])).group(1)  # type: ignore[union-attr]
    MemberLink.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.post(f"/members/enter/{token}/").status_code == 400


def test_it_sends_discreet_email_and_sms_through_a_background_job(
    world: World,
    inbox: Inbox,
    gateway: Gateway,
    signed_in: Any,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    alert = published(world)
    _enrol(world, "email", email=MEMBER_EMAIL)
    _enrol(world, "sms", phone=MEMBER_PHONE, region="UA-30")
    _enrol(world, "sms", phone="+380509999999", region="UA-46")  # another region: not sent
    _enrol(world, "page", email="page.only@example.org")  # reads the page: not sent
    gone = _enrol(world, "email", email="gone@example.org")
    actions.deactivate(world["coordinator"].user, gone)
    caseworker = signed_in("caseworker")
    with django_capture_on_commit_callbacks(execute=True):
        response = caseworker.post(f"/alerts/{alert.pk}/send/")
    job = Dispatch.objects.get()
    assert response["Location"] == f"/alerts/dispatches/{job.pk}/"
    assert job.total == 2 and job.status == DispatchStatus.QUEUED
    from django_tasks_db.models import DBTaskResult

    (task,) = DBTaskResult.objects.all()
    assert task.args_kwargs == {"args": [job.pk], "kwargs": {}}  # an id, never an address
    assert MEMBER_EMAIL.encode() not in bytes(job.sealed_batch or b"")
    assert dispatch.run(job.pk) == "done"
    job.refresh_from_db()
    assert (job.sent, job.failed, job.sealed_batch) == (2, 0, None)
    (email,) = inbox.to(MEMBER_EMAIL)
    (sms,) = gateway.posts
    assert sms["to"] == MEMBER_PHONE
    assert gateway.headers[0]["Authorization"] == "Bearer gateway-token"
    assert not inbox.to("gone@example.org") and not inbox.to("page.only@example.org")
    assert "/members/" in body_of(email) and "/members/" in sms["text"]
    for body in (body_of(email), str(email["Subject"]), sms["text"]):
        for secret in [*PLANTED, *TEXTS.values(), OFFENDER_PHONE, OFFENDER_PLATE]:
            assert secret not in body
    assert "новое уведомление" in sms["text"].lower() or "new notice" in sms["text"].lower()
    progress = caseworker.get(f"/alerts/dispatches/{job.pk}/").content.decode()
    assert "2" in progress and 'value="100"' in progress


def test_it_fails_a_stale_batch_and_wipes_it(world: World, settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    alert = published(world)
    job = actions.prepare_dispatch(
        world["caseworker"].user, alert, [{"channel": "sms", "address": "+1", "language": "ru"}]
    )
    Dispatch.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=2)
    )
    assert dispatch.run(job.pk) == "failed"
    job.refresh_from_db()
    assert job.sealed_batch is None and job.sent == 0


def test_the_released_copy_holds_no_planted_string(world: World) -> None:
    copy = released_text(published(world))
    assert TEXTS["uk"] in copy
    for secret in PLANTED:
        assert secret not in copy
