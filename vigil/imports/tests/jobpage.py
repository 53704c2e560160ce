"""Watching a background job's page in a real browser with JavaScript off."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command


def watch_to_the_end(page: Any, url: str, progress_id: str) -> None:
    """The job's page starts at 0 and reloads itself (a meta refresh, no script); the
    real worker runs the queued job; the page then shows 100 and stops reloading."""
    response = page.goto(url)
    assert response is not None
    assert "script-src" in response.headers["content-security-policy"]
    assert page.get_attribute(f"progress#{progress_id}", "value") == "0"
    with page.expect_navigation(timeout=10_000):
        pass
    page.goto("about:blank")  # no reload while the worker uses the database
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    page.goto(url)
    assert page.get_attribute(f"progress#{progress_id}", "value") == "100"
    assert page.locator('meta[http-equiv="refresh"]').count() == 0
