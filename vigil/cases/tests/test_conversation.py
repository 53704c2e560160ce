"""Nothing she says after triage is lost: her mailbox messages reach the case, the
case team is told, and they answer from the case."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from vigil.conftest import World
from vigil.intake.models import Message, Submission

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
LATER = "Сегодня он снова приходил к моему дому"
REPLY = "Мы вам перезвоним сегодня вечером"


@pytest.fixture(autouse=True)
def _settings(settings: Any) -> None:
    settings.REPORT_MIN_FILL_SECONDS = 0
    settings.TASKS = IMMEDIATE


def file_report(client: Client) -> str:
    client.post("/report/svitlo/")
    steps = [
        ("what", {"what": ["beaten"], "story": "Первый рассказ"}),
        ("when", {"when": "today", "region": "UA-30", "place": "street"}),
        ("who", {"who": "police"}),
        ("help", {"needs": ["legal"]}),
        ("consent", {"consents": ["follow_up"]}),
        ("contact", {"method": "phone", "contact": "+380 50 111 2233"}),
    ]
    for step, data in steps:
        assert client.post(f"/report/svitlo/{step}/", data).status_code == 302, step
    client.post("/report/svitlo/review/", {"website": ""})
    page = client.get("/report/receipt/").content.decode()
    match = re.search(r'id="receipt">([\d ]+)<', page)
    assert match
    client.post("/report/receipt/", {"saved": "on"})
    return match.group(1).replace(" ", "")


def write_to_mailbox(receipt: str, body: str) -> None:
    reporter = Client()
    reporter.post("/report/status/", {"receipt": receipt})
    response = reporter.post("/report/status/thread/", {"body": body})
    assert response.status_code in (200, 302)


def test_it_brings_her_later_messages_to_the_case_and_its_team(
    world: World, signed_in: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from vigil.mailtest import smtp_server

    caseworker_user = world["caseworker"].user
    caseworker_user.email = "caseworker@svitlo.example"
    caseworker_user.save(update_fields=["email"])
    receipt = file_report(Client())
    submission = Submission.objects.get()
    caseworker = signed_in("caseworker")
    caseworker.post(f"/inbox/{submission.pk}/accept/")
    submission.refresh_from_db()
    case_url = f"/cases/{submission.case_id}/"

    with smtp_server(settings) as inbox:
        with django_capture_on_commit_callbacks(execute=True):
            write_to_mailbox(receipt, LATER)
        assert Message.objects.filter(author="reporter").count() == 1
        mails = inbox.to("caseworker@svitlo.example")
        assert len(mails) == 1
        body = mails[0].get_content()
        assert case_url in body and LATER not in body

    home = caseworker.get("/").content.decode()
    assert re.search(r"<strong>1</strong> Unread messages from reporters on my cases", home)
    work = caseworker.get("/my-work/").content.decode()
    assert "1 new message from her" in work

    page = caseworker.get(case_url).content.decode()
    assert LATER in page and "Her messages" in page
    assert f"/inbox/{submission.pk}/" in page  # the case links to the conversation
    # Seen on the case: no longer unread anywhere.
    assert not Message.objects.filter(read_by_staff=False).exists()
    assert "new message from her" not in caseworker.get("/my-work/").content.decode()

    response = caseworker.post(f"{case_url}conversation/{submission.pk}/reply/", {"body": REPLY})
    assert response.status_code == 302
    reporter = Client()
    reporter.post("/report/status/", {"receipt": receipt})
    assert REPLY in reporter.get("/report/status/thread/").content.decode()

    event_page = caseworker.get(f"/incidents/{submission.event_id}/").content.decode()
    assert "Her reports and messages" in event_page and "2 messages" in event_page


def test_it_refuses_a_reply_to_a_report_of_another_case(world: World, signed_in: Any) -> None:
    file_report(Client())
    first = Submission.objects.get()
    caseworker = signed_in("caseworker")
    caseworker.post(f"/inbox/{first.pk}/accept/")
    file_report(Client())
    second = Submission.objects.exclude(pk=first.pk).get()
    caseworker.post(f"/inbox/{second.pk}/accept/")
    first.refresh_from_db()
    response = caseworker.post(
        f"/cases/{first.case_id}/conversation/{second.pk}/reply/", {"body": REPLY}
    )
    assert response.status_code == 404
    assert not Message.objects.filter(author="staff").exists()
    other = signed_in("coordinator", other=True)
    response = other.post(f"/cases/{first.case_id}/conversation/{first.pk}/reply/", {"body": REPLY})
    assert response.status_code == 404
