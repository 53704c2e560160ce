"""The reporter's flow through plain form posts (no JavaScript)."""

from __future__ import annotations

import logging
import re

import pytest
from django.test import Client

from vigil.conftest import World
from vigil.intake import actions
from vigil.intake.models import Submission

STORY = "Меня остановили у метро, обыскали сумку и угрожали забрать ребёнка"
BADGE = "КВ-4471"


@pytest.fixture(autouse=True)
def _fast_fill(settings):
    settings.REPORT_MIN_FILL_SECONDS = 0


def file_report(
    client: Client, slug: str = "svitlo", *, badge: str = BADGE, region: str = "UA-30"
) -> str:
    """Walk every step with plain posts; return the receipt digits."""
    client.post(f"/report/{slug}/")
    steps = [
        ("what", {"what": ["search", "children"], "story": STORY}),
        ("when", {"when": "this_week", "region": region, "place": "transport"}),
        ("who", {"who": "police", "uniform": "yes", "badge": badge}),
        ("help", {"needs": ["legal", "ost"]}),
        ("consent", {"consents": ["follow_up", "statistics", "matching"]}),
        ("contact", {"method": "phone", "contact": "+380 50 111 2233"}),
    ]
    for step, data in steps:
        response = client.post(f"/report/{slug}/{step}/", data)
        assert response.status_code == 302, (step, response.content[:2000])
    response = client.post(f"/report/{slug}/review/", {"website": ""})
    assert response["Location"] == "/report/receipt/"
    page = client.get("/report/receipt/").content.decode()
    match = re.search(r'id="receipt">([\d ]+)<', page)
    assert match, page
    return match.group(1).replace(" ", "")


def test_it_files_a_report_through_plain_posts(world: World) -> None:
    client = Client()
    receipt = file_report(client)
    assert len(receipt) == 16
    submission = Submission.objects.get()
    assert submission.organisation == world.org and submission.status == "new"
    # The receipt is stored nowhere; only its keyed Argon2id hash.
    assert receipt not in str(Submission.objects.values_list())
    # Shown once: after confirming, the code is gone from the server.
    response = client.post("/report/receipt/", {"saved": "on"})
    assert "Thank you" in response.content.decode()
    assert client.get("/report/receipt/").status_code == 302


def test_it_insists_the_receipt_is_saved(world: World) -> None:
    client = Client()
    file_report(client)
    response = client.post("/report/receipt/", {})
    assert "Please save your code first" in response.content.decode()


def test_it_keeps_the_draft_on_back_and_on_errors(world: World) -> None:
    client = Client()
    client.post("/report/svitlo/")
    client.post("/report/svitlo/what/", {"what": ["beaten"], "story": STORY})
    # An invalid date on the next step: error shown, typed values kept.
    response = client.post("/report/svitlo/when/", {"when": "date", "place_detail": "Лукьяновка"})
    assert response.status_code == 200
    assert "Enter the date" in response.content.decode()
    assert "Лукьяновка" in response.content.decode()
    # Back from the invalid step keeps it, and the first step shows its answers.
    response = client.post(
        "/report/svitlo/when/", {"when": "date", "place_detail": "Лукьяновка", "back": "1"}
    )
    assert response["Location"] == "/report/svitlo/what/"
    page = client.get("/report/svitlo/what/").content.decode()
    assert STORY in page and 'value="beaten" checked' in page
    assert "Лукьяновка" in client.get("/report/svitlo/when/").content.decode()


def test_it_needs_something_about_what_happened(world: World) -> None:
    client = Client()
    client.post("/report/svitlo/")
    response = client.post("/report/svitlo/what/", {"story": "  "})
    assert "Choose at least one option" in response.content.decode()


def test_it_finds_the_mailbox_by_receipt_and_exchanges_messages(world: World) -> None:
    client = Client()
    receipt = file_report(client)
    reporter = Client()
    grouped = " ".join(receipt[i : i + 4] for i in range(0, 16, 4))
    response = reporter.post("/report/status/", {"receipt": grouped})
    assert response["Location"] == "/report/status/thread/"
    assert "Nobody has read it yet" in reporter.get("/report/status/thread/").content.decode()
    reporter.post("/report/status/thread/", {"body": "Я вспомнила номер машины: АА 1234 ВВ"})
    # The organisation reads it with its key and answers; she reads the answer.
    submission = Submission.objects.get()
    thread_key = actions.staff_thread_key(world.org_private, submission)
    assert "АА 1234 ВВ" in actions.sealing.open_text(thread_key, submission.messages.get().sealed)
    actions.add_message(
        submission, thread_key, "Мы вам позвоним завтра", staff_user=world["caseworker"].user
    )
    assert "Мы вам позвоним завтра" in reporter.get("/report/status/thread/").content.decode()


def test_it_limits_submissions_per_session_and_keeps_the_draft(world: World, settings) -> None:
    settings.REPORT_SESSION_LIMIT_PER_HOUR = 1
    client = Client()
    file_report(client)
    client.post("/report/receipt/", {"saved": "on"})
    client.post("/report/svitlo/")
    client.post("/report/svitlo/what/", {"what": ["beaten"], "story": "второй раз"})
    response = client.post("/report/svitlo/review/", {"website": ""})
    assert response.status_code == 429
    assert "Please wait an hour" in response.content.decode()
    assert "второй раз" in response.content.decode()  # the review still shows her answers
    assert Submission.objects.count() == 1


def test_it_refuses_a_filled_honeypot_and_a_too_fast_form(world: World, settings) -> None:
    client = Client()
    client.post("/report/svitlo/")
    client.post("/report/svitlo/what/", {"what": ["beaten"]})
    response = client.post("/report/svitlo/review/", {"website": "http://spam"})
    assert "leave the last field empty" in response.content.decode()
    settings.REPORT_MIN_FILL_SECONDS = 3600
    response = client.post("/report/svitlo/review/", {"website": ""})
    assert "That was very fast" in response.content.decode()
    assert Submission.objects.count() == 0


def test_it_logs_no_client_address(world: World, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django.request")
    # django.request does not propagate to the root logger; listen to it directly.
    for name in ("django.request", "django.server", "axes"):
        logging.getLogger(name).addHandler(caplog.handler)
    try:
        client = Client(
            REMOTE_ADDR="198.51.100.23",
            HTTP_USER_AGENT="SecretPhone/1.0",
            HTTP_REFERER="http://ref.example/",
            HTTP_X_FORWARDED_FOR="198.51.100.24",
        )
        receipt = file_report(client)
        client.post("/report/status/", {"receipt": receipt})
        client.get("/report/status/thread/")
        client.post("/report/status/", {"receipt": "0000000000000000"})
        client.get("/report/nope-org/")  # Django logs a warning for the 404
    finally:
        for name in ("django.request", "django.server", "axes"):
            logging.getLogger(name).removeHandler(caplog.handler)
    assert any("Not Found" in r.getMessage() for r in caplog.records)  # the check has teeth
    for record in caplog.records:
        request = getattr(record, "request", None)
        meta = str(getattr(request, "META", {}))
        text = f"{record.getMessage()} {record.__dict__} {meta}"
        for value in ("198.51.100.23", "198.51.100.24", "SecretPhone", "ref.example"):
            assert value not in text


def test_it_references_no_external_url_on_public_pages(world: World) -> None:
    client = Client()
    client.post("/report/svitlo/")
    pages = [
        "/report/",
        "/report/svitlo/",
        "/report/svitlo/what/",
        "/report/svitlo/when/",
        "/report/status/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert not re.search(r"(src|href|action)=\"(https?:)?//", html), url
        assert "no-store" in response["Cache-Control"]
        assert "/accounts/" not in html  # no staff links on reporter pages
    assert client.get("/report/exit/").status_code == 302


def test_it_leaves_nothing_behind_on_quick_exit(world: World) -> None:
    client = Client()
    client.post("/report/svitlo/")
    client.post("/report/svitlo/what/", {"what": ["beaten"], "story": STORY})
    response = client.get("/report/exit/")
    assert response.status_code == 302 and response["Location"].startswith("http")
    assert "cookies" in response["Clear-Site-Data"]
    # Back on the form, the draft is gone.
    assert STORY not in client.get("/report/svitlo/what/", follow=True).content.decode()


def test_switching_language_mid_step_keeps_what_she_typed(world: World) -> None:
    """The switcher posts the step's form (no JavaScript needed): nothing typed is lost."""
    client = Client()
    client.post("/report/svitlo/")
    page = client.get("/report/svitlo/what/").content.decode()
    assert 'form="step-form"' in page and 'id="step-form"' in page
    response = client.post(
        "/report/svitlo/what/",
        {"what": ["beaten"], "story": STORY, "switch_language": "uk", "switch_language_go": "1"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/report/svitlo/what/"
    page = client.get(response["Location"]).content.decode()
    assert '<html lang="uk">' in page
    assert "Що сталося" in page  # the step's title, now in Ukrainian
    assert STORY in page and 'value="beaten" checked' in page
    # A plain save carries the current language along and is not taken as a switch.
    response = client.post(
        "/report/svitlo/what/", {"what": ["beaten"], "story": STORY, "switch_language": "uk"}
    )
    assert response["Location"] == "/report/svitlo/when/"
