"""No report without its receipt: the code survives a crash between storing and showing."""

from __future__ import annotations

import re
from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.test import Client

from vigil.accounts import session_store
from vigil.conftest import World
from vigil.intake.models import PendingReceipt, Submission

STEPS = [
    ("what", {"what": ["search"], "story": "Остановили у метро и обыскали сумку"}),
    ("when", {"when": "this_week", "region": "UA-30", "place": "transport"}),
    ("who", {"who": "police", "uniform": "yes"}),
    ("help", {"needs": ["legal"]}),
    ("consent", {"consents": ["follow_up"]}),
    ("contact", {"method": "phone", "contact": "+380 50 111 2233"}),
]


class Crash(BaseException):
    """Stands for kill -9: not an Exception, so no handler turns it into a page."""


@pytest.fixture(autouse=True)
def _fast_fill(settings):
    settings.REPORT_MIN_FILL_SECONDS = 0


def _fill(client: Client) -> None:
    client.post("/report/svitlo/")
    for step, data in STEPS:
        response = client.post(f"/report/svitlo/{step}/", data)
        assert response.status_code == 302, (step, response.content[:1000])


def _restarted(old: Client) -> Client:
    """A fresh process: nothing in memory, only the browser's cookies."""
    for cache in caches.all():
        cache.clear()
    fresh = Client()
    for name, morsel in old.cookies.items():
        fresh.cookies[name] = morsel.value
    return fresh


def _shown(client: Client) -> str:
    response = client.get("/report/receipt/")
    assert response.status_code == 200, response.get("Location")
    assert (
        response["Cache-Control"].startswith("no-store") or "no-store" in response["Cache-Control"]
    )
    match = re.search(r'id="receipt">([\d ]+)<', response.content.decode())
    assert match
    return match.group(1).replace(" ", "")


def test_it_shows_the_receipt_after_a_crash_before_the_answer(world: World) -> None:
    browser = Client()
    _fill(browser)
    # The server dies after the report is committed, before the session is
    # saved and before any answer reaches her browser.
    with (
        mock.patch.object(session_store.SessionStore, "save", side_effect=Crash),
        pytest.raises(Crash),
    ):
        browser.post("/report/svitlo/review/", {"website": ""})
    assert Submission.objects.count() == 1

    after = _restarted(browser)
    receipt = _shown(after)
    assert len(receipt) == 16
    # Reloading shows the same code; going back to the review page does not
    # file the report twice.
    assert _shown(after) == receipt
    review = after.post("/report/svitlo/review/", {"website": ""})
    assert review["Location"] == "/report/receipt/"
    assert Submission.objects.count() == 1
    # It is the code of her report: it opens her mailbox.
    mailbox = Client().post("/report/status/", {"receipt": receipt})
    assert mailbox["Location"] == "/report/status/thread/"


def test_it_shows_the_same_receipt_after_a_restart_until_she_saved_it(world: World) -> None:
    browser = Client()
    _fill(browser)
    response = browser.post("/report/svitlo/review/", {"website": ""})
    assert response["Location"] == "/report/receipt/"
    receipt = _shown(browser)

    after = _restarted(browser)
    assert _shown(after) == receipt
    assert _shown(_restarted(after)) == receipt

    # Not yet confirmed: the form insists, and the code is still there.
    after.post("/report/receipt/", {})
    assert _shown(after) == receipt
    thanks = after.post("/report/receipt/", {"saved": "on"})
    assert thanks.status_code == 200 and "Thank you" in thanks.content.decode()
    assert PendingReceipt.objects.count() == 0
    assert after.get("/report/receipt/").status_code == 302
    assert _restarted(after).get("/report/receipt/").status_code == 302


def test_it_keeps_the_waiting_receipt_unreadable_without_her_browser(world: World) -> None:
    browser = Client()
    _fill(browser)
    browser.post("/report/svitlo/review/", {"website": ""})
    receipt = _shown(browser)
    stored = " ".join(
        repr(row) for row in PendingReceipt.objects.values_list("lookup", "sealed")
    ) + " ".join(repr(row) for row in Session.objects.values_list("session_data"))
    assert PendingReceipt.objects.count() == 1
    assert receipt not in stored
    assert receipt.encode() not in b"".join(bytes(p.sealed) for p in PendingReceipt.objects.all())
    # Another browser (no cookie key) is sent to the mailbox sign-in instead.
    assert Client().get("/report/receipt/")["Location"] == "/report/status/"


def test_it_forgets_a_receipt_past_its_time(world: World, settings) -> None:
    browser = Client()
    _fill(browser)
    browser.post("/report/svitlo/review/", {"website": ""})
    PendingReceipt.objects.update(expires_at="2000-01-01T00:00:00Z")
    assert browser.get("/report/receipt/").status_code == 302
