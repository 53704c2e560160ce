"""A police liaison on a 360 px phone, in Russian, submits a referral in a few taps."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser

from vigil.conftest import PASSWORD, World, current_code
from vigil.referrals.actions import CODE_ALPHABET
from vigil.referrals.models import Programme, Referral

pytestmark = pytest.mark.browser


@pytest.fixture
def live(live_server: Any, settings: Any, world: World) -> Any:
    settings.SECURE_COOKIES = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    return live_server


def test_it_lets_a_liaison_refer_in_russian_on_a_phone_in_under_ten_inputs(
    live: Any, browser: Browser, world: World, programme: Programme
) -> None:
    liaison = world["police_liaison"]
    phone = browser.new_context(viewport={"width": 360, "height": 740}, locale="ru-RU")
    page = phone.new_page()
    page.goto(f"{live.url}/accounts/login/")
    page.fill("input[name=username]", liaison.user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.fill("input[name=token]", current_code(liaison.device))
    page.click("main form button[type=submit]")

    page.goto(f"{live.url}/referrals/police/new/")
    assert "Новое направление" in page.content()  # the form speaks Russian
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, "the form must not scroll sideways on a phone"
    inputs = [
        lambda: page.check("input[name=route][value=custody]"),
        lambda: page.fill("input[name=district]", "Подол"),
        lambda: page.check("input[name=reasons][value=possession]"),
        lambda: page.check("input[name=contact_agreed]"),
        lambda: page.click("main form button[type=submit]"),
    ]
    for step in inputs:
        step()
    assert len(inputs) < 10

    content = page.content()
    assert "Направление получено" in content
    code = page.inner_text("#referral-code").replace(" ", "")
    assert re.fullmatch(f"[{CODE_ALPHABET}]{{8}}", code)
    referral = Referral.objects.get()
    assert referral.code == code and referral.district == "Подол"
    assert referral.reasons == ["possession"] and referral.contact_agreed
    phone.close()
