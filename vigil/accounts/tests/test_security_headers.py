from __future__ import annotations

import pytest
from django.test import Client

from vigil.conftest import World


def _assert_headers(response) -> None:
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "no-store" in response.headers["Cache-Control"]


@pytest.mark.django_db
def test_it_sends_security_headers_on_anonymous_pages() -> None:
    response = Client().get("/accounts/login/")
    assert response.status_code == 200
    _assert_headers(response)


def test_it_sends_security_headers_on_staff_pages(world: World, signed_in) -> None:
    response = signed_in("coordinator").get("/accounts/org/members/")
    assert response.status_code == 200
    _assert_headers(response)


def test_it_marks_the_vault_cookie_strict_and_http_only(world: World) -> None:
    from vigil.conftest import sign_in

    client = Client()
    sign_in(client, world["caseworker"])
    cookie = client.cookies["vigil_vault"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Strict"


@pytest.mark.django_db
def test_it_has_no_inline_script_or_style_on_pages(world: World, signed_in) -> None:
    pages = [Client().get("/accounts/login/"), signed_in("coordinator").get("/")]
    for response in pages:
        html = response.content.decode()
        assert "<script>" not in html and "style=" not in html and "<style" not in html
        assert "http://" not in html.replace("http://www.w3.org", "")
        assert "https://" not in html
