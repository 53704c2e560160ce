"""A coordinator records a training on a 360 px phone, in Ukrainian."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser

from vigil.conftest import PASSWORD, World, current_code
from vigil.engagement.models import Activity

pytestmark = pytest.mark.browser


@pytest.fixture
def live(live_server: Any, settings: Any, world: World) -> Any:
    settings.SECURE_COOKIES = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    return live_server


def test_it_records_a_training_on_a_phone_in_ukrainian(
    live: Any, browser: Browser, world: World
) -> None:
    coordinator = world["coordinator"]
    phone = browser.new_context(viewport={"width": 360, "height": 740}, locale="uk-UA")
    page = phone.new_page()
    page.goto(f"{live.url}/accounts/login/")
    page.fill("input[name=username]", coordinator.user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.fill("input[name=token]", current_code(coordinator.device))
    page.click("main form button[type=submit]")

    page.goto(f"{live.url}/engagement/")
    assert "Поліція та нагляд" in page.content()
    page.click("text=Записати тренінг")
    assert page.locator("h1").inner_text() == "Новий захід"
    assert page.locator("select[name=activity_type]").input_value() == "in_service"
    page.fill("input[name=date]", "2026-03-12")
    page.fill("input[name=hours]", "6")
    page.select_option("select[name=region]", "UA-30")
    page.fill("input[name=place]", "Навчальний центр поліції")
    page.check("label:has-text('Опіоїдна замісна терапія') input")
    page.fill("input[name=police_middle]", "9")
    page.fill("input[name=police_junior]", "14")
    page.fill("input[name=wud_speakers]", "2")
    page.fill("input[name=pre_test_avg]", "48.5")
    page.fill("input[name=post_test_avg]", "83")
    # Nothing sticks out sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.click("main form button[type=submit]")

    assert "Тренінг: для чинних працівників" in page.locator("h1").inner_text()
    content = page.content()
    assert "Навчальний центр поліції" in content and "Опіоїдна замісна терапія" in content
    activity = Activity.objects.get()
    assert (activity.police_count, activity.wud_speakers, str(activity.post_test_avg)) == (
        23,
        2,
        "83.0",
    )
    assert activity.topics.get().code == "ENG.TOPIC.OST"
    phone.close()
