"""A reporter files a report in Georgian and in Kazakh, JavaScript off, on a 360 px phone.

The receipt page must be in her language: the page's own language and the
catalogue's translation of its heading (so the test fails while the catalogue of
the language lacks it)."""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from playwright.sync_api import Browser

from vigil.conftest import World

pytestmark = pytest.mark.browser

STORIES = {
    "ka": "მეტროსთან გამაჩერეს, გამჩხრიკეს და ბავშვის წაყვანით დამემუქრნენ",
    "kk": "Метро жанында тоқтатып, тінтті, баламды алып кетеміз деп қорқытты",
}


@pytest.fixture
def live(live_server, settings, world: World):
    settings.REPORT_MIN_FILL_SECONDS = 0
    settings.SECURE_COOKIES = False  # plain http on localhost in the test
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    return live_server


def in_language(language: str, text: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


@pytest.mark.parametrize("language", ["ka", "kk"])
def test_she_files_a_report_in_her_language_without_javascript(
    live, browser: Browser, world: World, language: str
) -> None:
    heading = in_language(language, "Your report was sent")
    assert heading != "Your report was sent", f"no {language} translation in the catalogue"
    phone = browser.new_context(
        java_script_enabled=False, viewport={"width": 360, "height": 740}, locale="en-GB"
    )
    page = phone.new_page()
    page.goto(f"{live.url}/report/svitlo/")
    page.select_option("#lang-select", language)
    page.click("form.lang button[type=submit]")
    assert page.get_attribute("html", "lang") == language
    page.click("main form button[type=submit]")
    page.check("input[name=what][value=search]")
    page.fill("textarea[name=story]", STORIES[language])
    page.click("button[name=next]")
    page.check("input[name=when][value=this_week]")
    page.select_option("select[name=region]", "UA-30")
    page.click("button[name=next]")
    page.click("button[name=next]")  # who
    page.click("button[name=next]")  # help
    page.click("button[name=next]")  # consent
    page.click("button[name=next]")  # contact
    assert STORIES[language] in page.content()  # the review reads her words back
    page.click("main form button[type=submit]:not(.secondary)")
    assert re.fullmatch(r"\d{4} \d{4} \d{4} \d{4}", page.inner_text("#receipt"))
    assert page.get_attribute("html", "lang") == language
    assert page.inner_text("main h1") == heading
    # Her letters fit a 360 px screen: nothing scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    phone.close()
