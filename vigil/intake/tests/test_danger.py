"""A report that says "I am in danger right now" is seen: first in the inbox, marked
in words, on her review page with the hotline, on the incident and the case, and by
email to the members on duty at once (a link only)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from vigil.conftest import World
from vigil.intake import actions, choices
from vigil.intake.models import Submission
from vigil.mailtest import smtp_server

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORY = "Он ждёт меня у подъезда прямо сейчас"


@pytest.fixture(autouse=True)
def _fast_fill(settings: Any) -> None:
    settings.REPORT_MIN_FILL_SECONDS = 0
    settings.TASKS = IMMEDIATE


def walk_to_review(client: Client, *, urgent: bool) -> str:
    client.post("/report/svitlo/")
    steps = [
        ("what", {"what": ["beaten"], "story": STORY}),
        ("when", {"when": "today", "region": "UA-30", "place": "street"}),
        ("who", {"who": "police"}),
        ("help", {"needs": ["legal"], **({"urgent": "on"} if urgent else {})}),
        ("consent", {"consents": ["follow_up"]}),
        ("contact", {"method": "phone", "contact": "+380 50 111 2233"}),
    ]
    for step, data in steps:
        assert client.post(f"/report/svitlo/{step}/", data).status_code == 302, step
    return client.get("/report/svitlo/review/").content.decode()


def set_hotline(world: World, number: str) -> None:
    actions.set_public_profile(
        world["coordinator"].user,
        world.org,
        {"hotline": {"uk": number, "ru": number, "en": number}},
    )


def test_it_tells_her_to_call_the_hotline_on_the_review_page(world: World) -> None:
    set_hotline(world, "0 800 500 335")
    page = walk_to_review(Client(), urgent=True)
    assert "You said you are in danger right now." in page
    assert "Call 0 800 500 335 now if you can" in page
    calm = walk_to_review(Client(), urgent=False)
    assert "You said you are in danger right now." not in calm


def test_it_puts_her_first_in_the_inbox_marked_in_words(world: World, signed_in: Any) -> None:
    for urgent in (False, False, True, False):
        client = Client()
        walk_to_review(client, urgent=urgent)
        assert client.post("/report/svitlo/review/", {"website": ""}).status_code == 302
    urgent_one = Submission.objects.get(urgent=True)
    page = signed_in("caseworker").get("/inbox/").content.decode()
    codes = re.findall(r'href="/inbox/(\d+)/"', page)
    assert codes[0] == str(urgent_one.pk)  # first, although it came third
    assert page.count("In danger now") == 1
    # What she told us, to choose what to open first; never her story in the list.
    assert f"<dd>{choices.label_of(choices.WHAT, 'beaten')}</dd>" in page
    assert f"<dd>{choices.label_of(choices.NEEDS, 'legal')}</dd>" in page
    assert "Can be contacted" in page
    assert STORY not in page


def test_it_emails_the_members_on_duty_with_a_link_only(
    world: World, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    for role in ("caseworker", "lawyer", "analyst"):
        user = world[role].user
        user.email = f"{role}@svitlo.example"
        user.save(update_fields=["email"])
    with smtp_server(settings) as inbox:
        client = Client()
        walk_to_review(client, urgent=True)
        # Sent once the report is committed, never for a report that was rolled back.
        with django_capture_on_commit_callbacks(execute=True):
            client.post("/report/svitlo/review/", {"website": ""})
        submission = Submission.objects.get()
        received = inbox.to("caseworker@svitlo.example")
        assert len(received) == 1
        body = received[0].get_content()
        assert f"/inbox/{submission.pk}/" in body
        assert STORY not in body and "+380" not in body
        assert len(inbox.to("lawyer@svitlo.example")) == 1  # lawyers triage too
        assert inbox.to("analyst@svitlo.example") == []  # analysts never see reports
        count = len(inbox.received)
        calm = Client()
        walk_to_review(calm, urgent=False)
        with django_capture_on_commit_callbacks(execute=True):
            calm.post("/report/svitlo/review/", {"website": ""})
        assert len(inbox.received) == count  # no alarm for a report without danger


def test_it_marks_the_incident_and_case_made_from_her_report(world: World, signed_in: Any) -> None:
    client = Client()
    walk_to_review(client, urgent=True)
    client.post("/report/svitlo/review/", {"website": ""})
    submission = Submission.objects.get()
    caseworker = signed_in("caseworker")
    assert caseworker.post(f"/inbox/{submission.pk}/accept/").status_code == 302
    submission.refresh_from_db()
    case_page = caseworker.get(f"/cases/{submission.case_id}/").content.decode()
    assert "she said she was in danger right now" in case_page
    event_page = caseworker.get(f"/incidents/{submission.event_id}/").content.decode()
    assert "she said she was in danger right now" in event_page
