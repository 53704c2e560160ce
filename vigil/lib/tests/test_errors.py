"""Designed error pages: in her language, the staff menu for members, the neutral
public layout on reporter pages, and a 500 page that needs no database."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import include, path

from vigil.conftest import World


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("planted failure")


urlpatterns = [path("boom/", boom), path("report/boom/", boom), path("", include("vigil.urls"))]
handler500 = "vigil.lib.errors.server_error"


def test_it_shows_a_staff_404_with_the_menu_in_her_language(world: World, signed_in: Any) -> None:
    client: Client = signed_in("caseworker")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "uk"
    response = client.get("/cases/999999/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Сторінку не знайдено" in page
    assert 'class="main-nav"' in page  # she can go on working from here
    assert "Quick exit" not in page and "Швидкий вихід" not in page


def test_it_shows_a_staff_403_that_says_why_in_words(world: World, signed_in: Any) -> None:
    response = signed_in("analyst").get("/inbox/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Your role does not give access to this page." in page
    assert 'class="main-nav"' in page


def test_it_shows_the_neutral_public_layout_to_a_reporter(world: World) -> None:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    response = client.get("/report/no-such-organisation/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Страница не найдена" in page
    assert 'class="main-nav"' not in page and "/accounts/" not in page
    assert 'href="/report/"' in page  # back to the start of a report, not the staff login


@pytest.mark.urls("vigil.lib.tests.test_errors")
def test_it_shows_a_designed_500_without_touching_the_database(
    world: World, signed_in: Any, django_assert_num_queries: Any
) -> None:
    client = Client(raise_request_exception=False)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "uk"
    with django_assert_num_queries(0):
        response = client.get("/report/boom/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "Щось пішло не так на нашому боці" in page
    assert "planted failure" not in page and "Traceback" not in page
