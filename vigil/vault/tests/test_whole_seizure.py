"""A whole seized system: demo data, then every kind of write through HTTP, then everything
an adversary would take (every table, sessions, tasks, audit, the cache, media, logs) is
searched for the planted strings. A control proves the search finds clear text.
"""

from __future__ import annotations

import logging
import pickle
import re
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from vigil.accounts.models import Organisation, User
from vigil.cases.models import Case
from vigil.complaints.models import GeneratedLetter, LegalAction, OversightBody
from vigil.conftest import current_code
from vigil.incidents.models import Event
from vigil.intake.models import Submission
from vigil.vault.seizure import encodings, seized

DEMO_PASSWORD = "vigil-demo-password"
PLANTED = {
    "story": "Планта Зоряна Вишиванко била в райвідділі",
    "badge": "ЖТН-90417",
    "contact": "+380 93 417 9041",
    "message": "Номер машини планти: ВХ 9041 ЗЗ",
    "file": "Довідка травмпункту планта Вишиванко",
    "hotline": "Подзвонила планта Мирослава Ткачишин",
    "caller": "+380 67 904 1777",
    "title": "Планта-справа Ткачишин",
    "narrative": "Планта розповіла про патрульного Гнатюка",
    "note": "Планта-нотатка: бачилися біля ОСТ-пункту",
    "evidence": "Планта-доказ: фото синців Вишиванко",
}
RECEIPT_RE = re.compile(r'id="receipt">([\d ]+)<')
TICKET_RE = re.compile(r'name="ticket" value="([^"]+)"')


def staff(username: str) -> Client:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    user = User.objects.get(username=username)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    assert device is not None
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    assert (
        client.post(
            "/accounts/login/", {"username": username, "password": DEMO_PASSWORD}
        ).status_code
        == 302
    )
    assert client.post("/accounts/2fa/", {"token": current_code(device)}).status_code == 302
    return client


def report_as_reporter() -> None:
    reporter = Client()
    reporter.post("/report/svitlo/")
    steps = [
        ("what", {"what": ["beaten"], "story": PLANTED["story"]}),
        ("when", {"when": "this_week", "region": "UA-30", "place": "transport"}),
        ("who", {"who": "police", "uniform": "yes", "badge": PLANTED["badge"]}),
        ("help", {"needs": ["legal"]}),
        ("consent", {"consents": ["follow_up", "statistics", "matching"]}),
        ("contact", {"method": "phone", "contact": PLANTED["contact"]}),
    ]
    for step, data in steps:
        assert reporter.post(f"/report/svitlo/{step}/", data).status_code == 302, step
    assert reporter.post("/report/svitlo/review/", {"website": ""}).status_code == 302
    receipt = RECEIPT_RE.search(reporter.get("/report/receipt/").content.decode())
    assert receipt
    reporter.post("/report/receipt/", {"saved": "on"})
    page = reporter.get("/report/status/").content.decode()
    ticket = TICKET_RE.search(page)
    assert ticket
    opened = reporter.post(
        "/report/status/", {"receipt": receipt.group(1), "ticket": ticket.group(1)}
    )
    assert opened.status_code == 302
    reporter.post("/report/status/thread/", {"body": PLANTED["message"]})
    pdf = b"%PDF-1.4\n" + PLANTED["file"].encode() + b"\n%%EOF\n"
    reporter.post("/report/status/files/", {"file": SimpleUploadedFile("d.pdf", pdf)})


def staff_writes() -> None:
    hotline = staff("svitlo-hotline")
    hotline_data = {
        "what-what": ["beaten"],
        "what-story": PLANTED["hotline"],
        "when-when": "today",
        "when-region": "UA-30",
        "caller-caller_number": PLANTED["caller"],
        "caller-keep_number": "on",
    }
    assert (
        "Read this code to the caller" in hotline.post("/hotline/", hotline_data).content.decode()
    )

    caseworker = staff("svitlo-caseworker")
    org = Organisation.objects.get(slug="svitlo")
    for submission in Submission.objects.filter(organisation=org, status="new").order_by("-pk")[:2]:
        assert caseworker.post(f"/inbox/{submission.pk}/accept/").status_code == 302

    assert caseworker.post("/incidents/new/", {"source_channel": "outreach"}).status_code == 302
    event = Event.objects.filter(organisation=org).latest("pk")
    basics = {
        "title": PLANTED["title"],
        "start_date": "2025-03-14",
        "start_precision": "exact",
        "region": "UA-30",
        "source_channel": "outreach",
        "summary": PLANTED["title"],
        "narrative": PLANTED["narrative"],
        "nav": "next",
    }
    assert caseworker.post(f"/incidents/{event.pk}/wizard/basics/", basics).status_code == 302
    evidence = b"%PDF-1.4\n" + PLANTED["evidence"].encode() + b"\n%%EOF\n"
    caseworker.post(
        f"/incidents/{event.pk}/evidence/new/",
        {
            "kind": "document",
            "description": PLANTED["evidence"],
            "file": SimpleUploadedFile("e.pdf", evidence, content_type="application/pdf"),
        },
    )

    case = Case.objects.filter(organisation=org, status="active").order_by("pk").first() or (
        Case.objects.filter(organisation=org).order_by("pk").first()
    )
    assert case is not None
    assert caseworker.post(f"/cases/{case.pk}/notes/", {"body": PLANTED["note"]}).status_code == 302
    caseworker.post(
        f"/cases/{case.pk}/consent/",
        {"purpose": "follow_up", "body": "", "decision": "granted"},
    )

    lawyer = staff("svitlo-lawyer")
    body = OversightBody.objects.get(slug="ua-kyiv-police-internal-security")
    created = lawyer.post(
        f"/cases/{case.pk}/legal-actions/new/",
        {"action_type": "complaint", "body": body.pk, "notes": PLANTED["note"]},
    )
    assert created.status_code == 302, created.content.decode()[:3000]
    action = LegalAction.objects.filter(organisation=org).latest("pk")
    before = GeneratedLetter.objects.count()
    lawyer.post(
        f"/complaints/actions/{action.pk}/letters/", {"language": "uk", "formats": ["docx", "pdf"]}
    )
    assert GeneratedLetter.objects.count() == before + 2


def cache_bytes() -> bytes:
    # LocMemCache keeps pickled values in the process; Redis would hold the same bytes.
    store = getattr(cache, "_cache", {})
    return b"".join(pickle.dumps(key) + bytes(value) for key, value in store.items())


def _reference_data() -> None:
    """Data migrations' rows, gone when an earlier transactional test flushed the tables."""
    from vigil.complaints import loader
    from vigil.complaints.models import Holiday, LegalGround

    if not OversightBody.objects.exists():
        loader.load_bodies(OversightBody)
        loader.load_grounds(LegalGround)
        loader.load_holidays(Holiday)


@pytest.fixture
def everything(transactional_db: None, tmp_path: Path, settings, caplog):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.REPORT_MIN_FILL_SECONDS = 0
    caplog.set_level(logging.DEBUG)
    _reference_data()
    call_command("demo_data", "--small", force=True, verbosity=0)
    report_as_reporter()
    staff_writes()
    logs = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records).encode(
        "utf-8", "backslashreplace"
    )
    return seized() + b"\n" + cache_bytes() + b"\n" + logs


def test_a_whole_seized_system_holds_no_planted_string(everything: bytes) -> None:
    assert len(everything) > 100_000  # a real dump of a populated system
    assert b"django_session" in everything or b"session_data" in everything
    found = [
        name for name, text in PLANTED.items() for form in encodings(text) if form in everything
    ]
    assert found == []

    # Control: the same search finds a planted string once it is stored in the clear.
    Organisation.objects.filter(slug="svitlo").update(city=PLANTED["badge"] + " у відкритому полі")
    assert any(form in seized() for form in encodings(PLANTED["badge"]))
