"""No report without its receipt: the code survives a crash between storing and showing."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.test import Client

from vigil.accounts import session_store
from vigil.conftest import World
from vigil.intake.models import PendingReceipt, Submission

STEPS: list[tuple[str, dict[str, Any]]] = [
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


# --- a real server, killed with SIGKILL and started again ---------------------------------------

ROOT = Path(__file__).resolve().parents[3]
SETUP = """
from vigil.accounts import actions
from vigil.vocab.loader import load_terms
from vigil.vocab.models import Term
if not Term.objects.exists():
    load_terms(Term)
actions.create_organisation(None, name="Svitlo", slug="svitlo", country="UA", languages=["uk"])
"""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class Browser:
    """Plain form posts with a cookie jar, as a browser with JavaScript off."""

    def __init__(self, port: int) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def get(self, path: str) -> tuple[int, str, str]:
        return self._open(urllib.request.Request(self.base + path))  # noqa: S310 - http://127.0.0.1 only

    def post(self, path: str, data: dict[str, Any]) -> tuple[int, str, str]:
        token = next(c.value for c in self.jar if c.name == "csrftoken")
        fields = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}, doseq=True)
        request = urllib.request.Request(self.base + path, data=fields.encode())  # noqa: S310 - http://127.0.0.1 only
        return self._open(request)

    def _open(self, request: urllib.request.Request) -> tuple[int, str, str]:
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode(), ""
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(), exc.headers.get("Location", "")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn with fixed arguments
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            # Recent gunicorn opens a control socket under $HOME; a second server
            # (the restart) must not trip over the first one's.
            "--no-control-socket",
            "vigil.wsgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        # Its own process group: a kill takes the master and its worker at once, as
        # a crash of the machine would (an orphaned worker would keep the port).
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        # Ready when a page is served (a bound port alone may not have a worker yet).
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/report/", timeout=5):
                return server
        except urllib.error.HTTPError:
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise AssertionError("the server did not start")


def test_it_shows_the_same_receipt_after_the_server_is_killed_and_restarted(
    tmp_path: Path,
) -> None:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'live.sqlite3'}",
        VIGIL_VAR_DIR=str(tmp_path),
        VIGIL_TESTING="1",
        SECURE_COOKIES="0",
        REPORT_MIN_FILL_SECONDS="0",
    )
    for args in (["migrate", "-v0"], ["shell", "-c", SETUP]):
        subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, timeout=600
        )
    port = _free_port()
    server = _serve(env, port)
    try:
        browser = Browser(port)
        assert browser.get("/report/svitlo/")[0] == 200
        assert browser.post("/report/svitlo/", {})[0] == 302
        for step, data in STEPS:
            assert browser.post(f"/report/svitlo/{step}/", data)[0] == 302, step
        status, _body, location = browser.post("/report/svitlo/review/", {"website": ""})
        assert (status, location) == (302, "/report/receipt/")
        status, page, _ = browser.get("/report/receipt/")
        first = re.search(r'id="receipt">([\d ]+)<', page)
        assert status == 200 and first
    finally:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=30)

    server = _serve(env, port)
    try:
        status, page, _ = browser.get("/report/receipt/")
        again = re.search(r'id="receipt">([\d ]+)<', page)
        assert status == 200 and again and again.group(1) == first.group(1)
        status, page, _ = browser.post("/report/receipt/", {"saved": "on"})
        assert status == 200 and "Thank you" in page
        assert browser.get("/report/receipt/")[:1] == (302,)
    finally:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=30)
    with sqlite3.connect(tmp_path / "live.sqlite3") as db:
        assert db.execute("SELECT COUNT(*) FROM intake_submission").fetchone() == (1,)
        assert db.execute("SELECT COUNT(*) FROM intake_pendingreceipt").fetchone() == (0,)
