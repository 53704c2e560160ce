"""The Ugly Mugs consent ladder on the report form (JavaScript off), the hotline form
and the case consent page, stored as append-only decisions per purpose; reports saved
with the old "warn others" tick keep their meaning."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from vigil.cases import consent
from vigil.cases.models import Case, Consent, ConsentPurpose
from vigil.conftest import World
from vigil.intake import actions as intake_actions
from vigil.intake.models import Submission

P = ConsentPurpose


@pytest.fixture(autouse=True)
def _fast_fill(settings: Any) -> None:
    settings.REPORT_MIN_FILL_SECONDS = 0


def _file_report(level: str) -> None:
    client = Client()
    client.post("/report/svitlo/")
    steps = [
        ("what", {"what": ["search"], "story": "Обыскали у метро"}),
        ("when", {"when": "this_week", "region": "UA-30", "place": "transport"}),
        ("who", {"who": "police"}),
        ("help", {}),
        ("consent", {"consents": ["statistics"], "consent_level": level}),
        ("contact", {}),
    ]
    for step, data in steps:
        assert client.post(f"/report/svitlo/{step}/", data).status_code == 302, step
    assert client.post("/report/svitlo/review/", {"website": ""}).status_code == 302


def _accept(world: World, signed_in: Any) -> Case:
    submission = Submission.objects.latest("pk")
    signed_in("caseworker").post(f"/inbox/{submission.pk}/accept/")
    return Case.objects.latest("pk")


def test_it_maps_each_level_to_decisions_per_purpose() -> None:
    assert consent.purposes_of_level("listen") == {
        P.ALERT: False,
        P.POLICE_ANONYMISED: False,
        P.POLICE_ON_BEHALF: False,
        P.POLICE_FULL: False,
    }
    assert consent.purposes_of_level("police_anonymised") == {
        P.ALERT: True,
        P.POLICE_ANONYMISED: True,
        P.POLICE_ON_BEHALF: False,
        P.POLICE_FULL: False,
    }
    assert consent.level_from_decisions({P.ALERT, P.POLICE_ON_BEHALF}) == P.ALERT  # a gap stops


def test_it_records_the_level_chosen_on_the_report_form(world: World, signed_in: Any) -> None:
    _file_report("police_anonymised")
    case = _accept(world, signed_in)
    person = case.client
    assert consent.level_of(person) == P.POLICE_ANONYMISED
    assert consent.has(person, P.STATISTICS) and not consent.has(person, P.POLICE_ON_BEHALF)


def test_it_keeps_the_old_warn_others_tick_of_a_waiting_report(
    world: World, signed_in: Any
) -> None:
    # Saved before the ladder: a list of ticks, one of them the old "warn others".
    intake_actions.submit(
        world.org,
        {
            "what": ["search"],
            "story": "Обыскали",
            "when": "this_week",
            "region": "UA-30",
            "consents": ["statistics", "alert"],
        },
    )
    person = _accept(world, signed_in).client
    assert consent.has(person, P.ALERT) and not consent.has(person, P.POLICE_ANONYMISED)
    assert consent.level_of(person) == P.ALERT


def test_it_offers_the_ladder_on_the_hotline_form(world: World, signed_in: Any) -> None:
    page = signed_in("hotline").get("/hotline/").content.decode()
    for value in consent.LEVEL_VALUES:
        assert f'value="{value}"' in page


def test_it_records_a_level_on_the_case_page_as_new_rows(world: World, signed_in: Any) -> None:
    _file_report("alert")
    case = _accept(world, signed_in)
    before = Consent.objects.filter(person=case.client).count()
    client = signed_in("caseworker")
    page = client.get(f"/cases/{case.pk}/consent/").content.decode()
    assert re.search(r'name="consent_level" value="alert"[^>]*checked', page)
    client.post(f"/cases/{case.pk}/consent/", {"consent_level": "police_full"})
    assert consent.level_of(case.client) == P.POLICE_FULL
    # Only the three changed rungs were added; nothing was overwritten.
    assert Consent.objects.filter(person=case.client).count() == before + 3
    client.post(f"/cases/{case.pk}/consent/", {"consent_level": "listen"})
    assert consent.level_of(case.client) == "listen" and not consent.has(case.client, P.ALERT)
