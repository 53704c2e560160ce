"""The statistics dashboard after the demo year, on a desktop and on a phone.

The screenshots are kept as artefacts under test-results/screenshots/ (not
tracked, so a test run never changes the repository); copy them to docs/img/
for the user guide, or run with VIGIL_SCREENSHOTS=docs/img.
"""

from __future__ import annotations

import os
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser

from vigil.accounts.demo import DEMO_PASSWORD
from vigil.conftest import current_code

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[3]
IMAGES = ROOT / os.environ.get("VIGIL_SCREENSHOTS", "test-results/screenshots")


@pytest.fixture
def live(live_server: Any, settings: Any, transactional_db: None) -> Any:
    settings.SECURE_COOKIES = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    call_command("demo_data", force=True, stdout=StringIO())
    return live_server


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (360, 740)])
def test_the_dashboard_shows_a_year_of_figures_and_the_map(
    live: Any, browser: Browser, width: int, height: int
) -> None:
    username = "svitlo-analyst"
    device = TOTPDevice.objects.get(user__username=username)
    context = browser.new_context(viewport={"width": width, "height": height}, locale="en-GB")
    page = context.new_page()
    page.goto(f"{live.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    page.fill("input[name=token]", current_code(device))
    page.click("main form button[type=submit]")

    page.goto(f"{live.url}/stats/")
    figures = page.locator(".key-figures dd").all_inner_texts()
    assert figures[:3] and all(text.strip().isdigit() for text in figures[:3])
    assert int(figures[0]) > 300  # a year of incidents with consent to statistics
    paths = page.locator("svg.map path[data-region]")
    assert paths.count() == 27  # every region of Ukraine
    shown = [t for t in page.locator("svg.map path title").all_text_contents() if t[-1].isdigit()]
    assert len(shown) >= 20  # a real year: most regions show their number
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    IMAGES.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(IMAGES / f"statistics-dashboard-{width}.png"), full_page=True)
    assert (IMAGES / f"statistics-dashboard-{width}.png").stat().st_size > 10_000
    context.close()
