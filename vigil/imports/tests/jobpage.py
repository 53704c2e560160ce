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


def coordinator_page(
    world: Any, settings: Any, live_server: Any, browser: Any, **context_options: Any
) -> tuple[Any, list[str]]:
    """A coordinator signed in (password, then TOTP) in a browser with JavaScript off,
    over plain http on localhost, the worker on the database backend; and the console
    messages (CSP violations land there)."""
    from vigil.conftest import PASSWORD, current_code

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.SECURE_COOKIES = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    page = browser.new_context(java_script_enabled=False, **context_options).new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", world["coordinator"].user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.fill("input[name=token]", current_code(world["coordinator"].device))
    page.click("main form button[type=submit]")
    return page, console
