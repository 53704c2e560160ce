"""Every answer she gives is kept and shown: on her review page, on triage, and in the
incident, also when her report is merged into an existing one."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from vigil.conftest import World
from vigil.incidents.models import Event, Perpetrator
from vigil.intake.models import Submission
from vigil.vault import crypto

ANSWERS: dict[str, dict[str, Any]] = {
    "what": {"what": ["beaten"], "story": "Они били меня в машине"},
    "when": {"when": "today", "region": "UA-30", "place": "street"},
    "who": {
        "who": "police",
        "how_many": "3",
        "badge": "0099187",
        "vehicle": "АА 7771 КХ",
        "description": "Высокий, со шрамом на руке",
    },
    "help": {"needs": ["legal"], "urgent": "on"},
    "consent": {"consents": ["follow_up"]},
    "contact": {"method": "phone", "contact": "+380 50 111 2233", "safe_times": "после 19:00"},
}
SHOWN = ["3", "0099187", "АА 7771 КХ", "Высокий, со шрамом на руке", "после 19:00"]


@pytest.fixture(autouse=True)
def _fast(settings: Any) -> None:
    settings.REPORT_MIN_FILL_SECONDS = 0


def walk(client: Client, answers: dict[str, dict[str, Any]]) -> str:
    client.post("/report/svitlo/")
    for step, data in answers.items():
        assert client.post(f"/report/svitlo/{step}/", data).status_code == 302, step
    return client.get("/report/svitlo/review/").content.decode()


def test_it_shows_every_answer_on_review_and_triage(world: World, signed_in: Any) -> None:
    client = Client()
    review = walk(client, ANSWERS)
    for value in SHOWN:
        assert value in review, value
    for label in ("How many were there", "Anything else about them", "Safe times to contact"):
        assert label in review, label
    assert "In danger right now" in review
    client.post("/report/svitlo/review/", {"website": ""})
    detail = signed_in("caseworker").get(f"/inbox/{Submission.objects.get().pk}/")
    for value in SHOWN:
        assert value in detail.content.decode(), value


def test_it_keeps_the_badge_searchable_when_a_report_is_merged(
    world: World, signed_in: Any
) -> None:
    first = Client()
    walk(first, {**ANSWERS, "who": {"who": "police"}})
    first.post("/report/svitlo/review/", {"website": ""})
    second = Client()
    walk(second, ANSWERS)
    second.post("/report/svitlo/review/", {"website": ""})
    one, two = Submission.objects.order_by("pk")
    caseworker = signed_in("caseworker")
    caseworker.post(f"/inbox/{one.pk}/accept/")
    event = Event.objects.get()
    before = Perpetrator.objects.filter(event=event).count()
    caseworker.post(f"/inbox/{two.pk}/merge/", {"event_number": event.number})
    assert Perpetrator.objects.filter(event=event).count() == before + 1
    index_key = crypto.blind_index_key(world.org_private)
    expected = crypto.blind_index(index_key, "badge", "0099187")
    assert Perpetrator.objects.filter(event=event, badge_bidx=expected).exists()
    page = caseworker.post("/search/", {"q": "0099187"}).content.decode()
    assert event.code in page
