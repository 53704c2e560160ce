"""An organisation chooses the languages of its public report pages."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.test import Client

from vigil.audit.models import AuditEvent
from vigil.conftest import World


def _switcher(page: str) -> list[str]:
    return re.findall(r'<option value="([a-z]{2})" lang=', page)


def _page_language(page: str) -> str:
    match = re.search(r'<html lang="([a-z-]+)"', page)
    assert match
    return match.group(1)


def test_every_language_is_offered_by_default_and_named_in_itself(world: World) -> None:
    page = Client().get("/report/svitlo/").content.decode()
    assert _switcher(page) == ["en", "ru", "uk", "ro", "ka", "kk", "ky", "be"]
    for name in ("Română", "ქართული", "Қазақша", "Кыргызча", "Беларуская"):
        assert name in page


def test_staff_pages_offer_all_eight_languages(signed_in: Any) -> None:
    page = signed_in("caseworker").get("/").content.decode()
    assert _switcher(page) == [code for code, _name in settings.LANGUAGES]
    assert len(_switcher(page)) == 8


def test_a_coordinator_chooses_the_languages_and_the_pages_follow(
    world: World, signed_in: Any
) -> None:
    coordinator = signed_in("coordinator", step_up=True)
    response = coordinator.post("/org/public-languages/", {"languages": ["ka", "ru"]})
    assert response.status_code == 302
    world.org.refresh_from_db()
    assert world.org.public_languages == ["ru", "ka"]
    event = AuditEvent.objects.filter(action="organisation.public_languages").get()
    assert event.organisation_id == world.org.pk
    assert event.data["languages"] == ["ru", "ka"]

    visitor = Client()
    page = visitor.get("/report/svitlo/", HTTP_ACCEPT_LANGUAGE="ka").content.decode()
    assert _switcher(page) == ["ru", "ka"]
    assert _page_language(page) == "ka"

    # Asked for Ukrainian, which is not offered: her browser's next language is.
    visitor.cookies[settings.LANGUAGE_COOKIE_NAME] = "uk"
    page = visitor.get("/report/svitlo/", HTTP_ACCEPT_LANGUAGE="uk, ka;q=0.8").content.decode()
    assert _page_language(page) == "ka"
    # Nothing she accepts is offered: the organisation's working language (uk, ru) is.
    page = visitor.get("/report/svitlo/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert _page_language(page) == "ru"
    assert _switcher(page) == ["ru", "ka"]


def test_every_language_ticked_means_all_including_later_ones(world: World, signed_in: Any) -> None:
    coordinator = signed_in("coordinator", step_up=True)
    codes = [code for code, _name in settings.LANGUAGES]
    coordinator.post("/org/public-languages/", {"languages": codes})
    world.org.refresh_from_db()
    assert world.org.public_languages == []
    page = coordinator.get("/org/public-languages/").content.decode()
    assert page.count('type="checkbox"') == 8
    assert page.count("checked") == 8


def test_no_language_at_all_is_refused(world: World, signed_in: Any) -> None:
    world.org.public_languages = ["uk"]
    world.org.save()
    coordinator = signed_in("coordinator", step_up=True)
    response = coordinator.post("/org/public-languages/", {})
    assert response.status_code == 200
    assert "Offer at least one language." in response.content.decode()
    world.org.refresh_from_db()
    assert world.org.public_languages == ["uk"]
    assert not AuditEvent.objects.filter(action="organisation.public_languages").exists()


def test_without_a_fresh_step_up_nothing_changes(world: World, signed_in: Any) -> None:
    coordinator = signed_in("coordinator")
    response = coordinator.post("/org/public-languages/", {"languages": ["ro"]})
    assert response.status_code == 302
    world.org.refresh_from_db()
    assert world.org.public_languages == []
