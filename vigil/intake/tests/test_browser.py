"""A reporter in Russian, JavaScript off, on a 360 px phone; then the caseworker."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser

from vigil.conftest import PASSWORD, World, current_code

pytestmark = pytest.mark.browser


@pytest.fixture
def live(live_server, settings, world: World):
    settings.REPORT_MIN_FILL_SECONDS = 0
    settings.SECURE_COOKIES = False  # plain http on localhost in the test
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    return live_server


def test_it_files_a_report_in_russian_without_javascript_and_reaches_the_inbox(
    live, browser: Browser, world: World, tmp_path
) -> None:
    phone = browser.new_context(
        java_script_enabled=False, viewport={"width": 360, "height": 740}, locale="ru-RU"
    )
    page = phone.new_page()
    external: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(live.url) else external.append(r.url))
    page.goto(f"{live.url}/report/svitlo/")
    page.select_option("#lang-select", "ru")
    page.click("form.lang button[type=submit]")
    assert "Начать" in page.content()  # the page speaks Russian
    page.click("main form button[type=submit]")
    page.check("input[name=what][value=search]")
    page.check("input[name=what][value=children]")
    page.fill(
        "textarea[name=story]",
        "Остановили у метро Лукьяновская, обыскали, угрожали забрать ребёнка",
    )
    page.click("button[name=next]")
    page.check("input[name=when][value=this_week]")
    page.select_option("select[name=region]", "UA-30")
    page.click("button[name=next]")
    page.fill("input[name=badge]", "4471")
    page.click("button[name=next]")  # who
    page.click("button[name=next]")  # help
    page.check("input[name=consents][value=statistics]")
    page.click("button[name=next]")  # consent
    page.click("button[name=next]")  # contact
    assert "Лукьяновская" in page.content()  # the review reads everything back
    page.screenshot(path=str(tmp_path / "review.png"), full_page=True)
    page.click("main form button[type=submit]:not(.secondary)")
    receipt = page.inner_text("#receipt")
    assert re.fullmatch(r"\d{4} \d{4} \d{4} \d{4}", receipt)
    # Fits a 360 px screen: nothing scrolls sideways (evaluated by the driver, not the page).
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.check("input[name=saved]")
    page.click("main form button[type=submit]")
    assert external == []
    # She can open her mailbox with the code.
    page.goto(f"{live.url}/report/status/")
    page.fill("input[name=receipt]", receipt)
    page.click("main form button[type=submit]")
    assert "/report/status/thread/" in page.url
    phone.close()

    # The caseworker signs in (password, then TOTP) and finds it in the inbox.
    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    staff = desk.new_page()
    staff.goto(f"{live.url}/accounts/login/")
    staff.fill("input[name=username]", world["caseworker"].user.username)
    staff.fill("input[name=password]", PASSWORD)
    staff.click("main form button[type=submit]")
    staff.fill("input[name=token]", current_code(world["caseworker"].device))
    staff.click("main form button[type=submit]")
    staff.goto(f"{live.url}/inbox/")
    staff.click("table a")
    assert "Лукьяновская" in staff.content()
    desk.close()
