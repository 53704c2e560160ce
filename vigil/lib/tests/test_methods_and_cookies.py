"""Every URL refuses methods no view serves; the CSRF cookie dies with the browser."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from vigil.conftest import World, sign_in


def all_routes(
    resolvers: list[URLPattern | URLResolver] | None = None, prefix: str = ""
) -> list[str]:
    """Every URL pattern of the project, with 1 for each argument."""
    routes: list[str] = []
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            routes += all_routes(entry.url_patterns, route)
        else:
            routes.append(route)
    return routes


def concrete(route: str) -> str:
    url = re.sub(r"<(?:int:)?[\w]+>", "1", route.lstrip("^").rstrip("$"))
    return "/" + re.sub(r"<\w+:\w+>", "x", url)


@pytest.mark.parametrize("method", ["TRACE", "OPTIONS", "PUT", "DELETE", "PATCH"])
def test_it_refuses_other_methods_than_get_and_post_everywhere(world: World, method: str) -> None:
    anonymous, staff = Client(), Client()
    sign_in(staff, world["coordinator"])
    routes = all_routes()
    assert len(routes) > 50  # the walk reached every app

    wrong = [
        f"{who} {method} {concrete(route)}: {response.status_code}"
        for route in routes
        for who, client in (("anon", anonymous), ("coordinator", staff))
        if (response := client.generic(method, concrete(route))).status_code != 405
    ]

    assert wrong == []


def test_the_public_csrf_cookie_lives_only_for_the_browser_session(db: None) -> None:
    response = Client().get("/report/")

    cookie = response.cookies["csrftoken"]
    assert cookie.value
    assert not cookie["max-age"] and not cookie["expires"]
