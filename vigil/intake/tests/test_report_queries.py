"""What a complete report costs the database, walked as a browser walks it.

Every request of the no-JavaScript flow, including the GET that follows each
redirect, the receipt page and "I have saved it". The bounds are the counts
after the public pages stopped looking up the organisation on every step;
a page that starts querying again per request shows up here.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from vigil.accounts.models import Organisation
from vigil.conftest import World
from vigil.intake.models import Submission

STEPS: dict[str, dict[str, Any]] = {
    "what": {"what": ["search", "children"], "story": "Меня остановили у метро"},
    "when": {"when": "this_week", "region": "UA-30", "place": "transport"},
    "who": {"who": "police", "uniform": "yes", "badge": "КВ-4471"},
    "help": {"needs": ["legal", "ost"]},
    "consent": {"consents": ["follow_up", "statistics", "matching"]},
    "contact": {"method": "phone", "contact": "+380 50 111 2233"},
}
# A complete walk: 18 requests. The session is read on every request after the
# first and written on every POST that changes it; the review POST stores the
# report (submission, organisation key, audit row and head) and its pending receipt,
# which the receipt page reads and "I have saved it" deletes (so that a crash
# between storing and showing cannot lose the receipt).
MAX_QUERIES_PER_WALK = 41
# A page that only shows something: at most the session read. The review and
# receipt pages also read the pending receipt (a report already sent from this
# browser is not sent twice; the receipt survives a restart).
MAX_QUERIES_PER_GET = 1
MAX_QUERIES_PENDING_PAGES = 2
PENDING_PAGES = ("/report/receipt/", "/report/svitlo/review/")


@pytest.fixture(autouse=True)
def _fast_fill(settings: Any) -> None:
    settings.REPORT_MIN_FILL_SECONDS = 0


TRANSACTION_CONTROL = re.compile(r"\s*(BEGIN|SAVEPOINT|RELEASE|ROLLBACK|COMMIT)\b", re.I)


class Counter:
    def __init__(self) -> None:
        self.by_request: list[tuple[str, str, int]] = []
        self.current = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        # Transaction control differs between a test (savepoints) and a server (BEGIN).
        if not TRANSACTION_CONTROL.match(sql):
            self.current += 1
        return execute(sql, params, many, context)


def walk(client: Client, counter: Counter, slug: str = "svitlo") -> None:
    token = ""

    def send(method: str, path: str, fields: dict[str, Any] | None = None) -> Any:
        counter.current = 0
        if method == "GET":
            response = client.get(path)
        else:
            response = client.post(path, {**(fields or {}), "csrfmiddlewaretoken": token})
        counter.by_request.append((method, path, counter.current))
        return response

    page = send("GET", f"/report/{slug}/")
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert match
    token = match.group(1)
    response = send("POST", f"/report/{slug}/")
    while True:
        assert response.status_code == 302, response.status_code
        location = response["Location"]
        assert send("GET", location).status_code == 200
        step = location.rstrip("/").rsplit("/", 1)[-1]
        if step == "review":
            break
        response = send("POST", location, STEPS[step])
    response = send("POST", location, {"website": ""})
    assert response["Location"] == "/report/receipt/"
    assert re.search(r'id="receipt">[\d ]{19}<', send("GET", "/report/receipt/").content.decode())
    thanks = send("POST", "/report/receipt/", {"saved": "on"})
    assert thanks.status_code == 200 and "Thank you" in thanks.content.decode()


def test_a_complete_browser_walk_stays_within_its_query_budget(world: World) -> None:
    Client(enforce_csrf_checks=True).get("/report/svitlo/")  # as any earlier visitor
    counter = Counter()
    with connection.execute_wrapper(counter):
        walk(Client(enforce_csrf_checks=True), counter)
    assert Submission.objects.filter(organisation=world.org).count() == 1
    assert len(counter.by_request) == 18
    total = sum(n for _m, _p, n in counter.by_request)
    assert total <= MAX_QUERIES_PER_WALK, counter.by_request
    pages = [(path, n) for method, path, n in counter.by_request if method == "GET"]
    assert all(
        n <= (MAX_QUERIES_PENDING_PAGES if path in PENDING_PAGES else MAX_QUERIES_PER_GET)
        for path, n in pages
    ), pages


def test_a_changed_public_page_shows_at_once(world: World) -> None:
    client = Client()
    assert client.get("/report/svitlo/").status_code == 200  # now cached
    org = Organisation.objects.get(pk=world.org.pk)
    org.settings = {**(org.settings or {}), "public": {"intro": {"en": "Open on Sundays"}}}
    org.save()
    assert "Open on Sundays" in client.get("/report/svitlo/").content.decode()
