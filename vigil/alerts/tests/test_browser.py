"""A member on a 360 px phone, in Russian, signs in with the emailed link and reads the
latest alerts."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser

from vigil.alerts import actions
from vigil.alerts.tests.helpers import OFFENDER_PLATE, PLANTED, TEXTS, published
from vigil.conftest import World
from vigil.mailtest import body_of, smtp_server

pytestmark = pytest.mark.browser


def test_a_member_reads_the_latest_alerts_on_a_phone_in_russian(
    live_server: Any, browser: Browser, world: World, settings: Any
) -> None:
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.ALERTS_SITE_URL = live_server.url
    published(world)
    actions.enrol(
        world["caseworker"].user,
        world.org,
        group="peer",
        channel="page",
        region="",
        language="ru",
        name="Марина",
        email="marina@example.org",
        phone="",
    )
    with smtp_server(settings) as inbox:
        phone = browser.new_context(
            viewport={"width": 360, "height": 740}, locale="ru-RU", java_script_enabled=False
        )
        page = phone.new_page()
        external: list[str] = []
        page.on(
            "request",
            lambda r: None if r.url.startswith(live_server.url) else external.append(r.url),
        )
        page.goto(f"{live_server.url}/members/")
        page.select_option("#lang-select", "ru")
        page.click("form.lang button[type=submit]")
        page.fill("input[name=email]", "marina@example.org")
        page.click("main form button[type=submit]")
        (message,) = inbox.to("marina@example.org")
        link = re.search(r"http\S+/members/enter/\S+/", body_of(message))
        assert link is not None
        page.goto(link.group(0))
        page.click("main form button[type=submit]")
    content = page.content()
    assert "Последние уведомления" in content  # the interface speaks Russian
    assert TEXTS["ru"] in content and OFFENDER_PLATE in content
    for secret in PLANTED:
        assert secret not in content
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert external == []
    phone.close()
