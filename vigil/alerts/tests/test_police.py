"""Police sharing: the digest holds consenting incidents only and nothing of hers; a
request to link a report is answered only after her decision is recorded."""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.test import Client

from vigil.alerts import keys
from vigil.alerts.models import LinkRequest, LinkStatus
from vigil.alerts.tests.helpers import NARRATIVE, PLANTED, make_source
from vigil.cases import consent
from vigil.cases.models import ConsentPurpose
from vigil.conftest import World

PERIOD = {
    "partner": "Senior inspector, Kyiv police",
    "month_from": "2026-10-01",
    "month_to": "2026-10-31",
}


def _digest(client: Client, fmt: str) -> bytes:
    response = client.post("/alerts/police/digest/", {**PERIOD, "file_format": fmt})
    assert response.status_code == 200, response.content[:300]
    return response.content


def _docx_text(data: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _pdf_text(data: bytes, tmp_path: Any) -> str:
    import shutil
    import subprocess

    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "poppler-utils is installed by `make system-deps`"
    path = tmp_path / "digest.pdf"
    path.write_bytes(data)
    return subprocess.run(  # noqa: S603 (a fixed tool on a file we wrote)
        [pdftotext, str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def test_it_builds_the_digest_only_from_consenting_incidents(
    world: World, signed_in: Any, tmp_path: Any
) -> None:
    yes = make_source(world, police_consent=True)
    alert_only = make_source(world)  # agreed to an alert, not to the police
    refused = make_source(world, alert_consent=False)
    later = make_source(world, police_consent=True, start=datetime.date(2026, 12, 2))
    withdrawn = make_source(world, police_consent=True)
    consent.record_consent(
        world["caseworker"].user, withdrawn.victim, ConsentPurpose.POLICE_ANONYMISED, False
    )
    client = signed_in("lawyer")
    ref = keys.digest_reference(world.org.pk, yes.event.pk)
    others = [alert_only, refused, later, withdrawn]
    texts = [
        _digest(client, "csv").decode("utf-8-sig"),
        _docx_text(_digest(client, "docx")),
        _pdf_text(_digest(client, "pdf"), tmp_path),
    ]
    for text in texts:
        assert ref in text and "2026-10" in text
        for source in others:
            assert keys.digest_reference(world.org.pk, source.event.pk) not in text
        for secret in [*PLANTED, NARRATIVE[:30]]:
            assert secret not in text
        assert str(yes.event.code) not in text  # the internal number stays inside


def test_it_answers_a_link_request_only_after_her_decision(world: World, signed_in: Any) -> None:
    source = make_source(world, police_consent=True)
    client = signed_in("caseworker")
    reference = keys.digest_reference(world.org.pk, source.event.pk)
    response = client.post(
        "/alerts/police/requests/",
        {
            "partner": "Inspector Petrenko",
            "reference": reference.lower(),
            "request_text": "Please link this entry to the victim's statement.",
            "received_at": "2026-11-20",
        },
    )
    row = LinkRequest.objects.get()
    assert response["Location"] == f"/alerts/police/requests/{row.pk}/"
    client.post(f"/alerts/police/requests/{row.pk}/answer/", {"answer": "Shared."})
    row.refresh_from_db()
    assert row.status == LinkStatus.AWAITING  # refused: no decision yet
    assert not consent.has(source.victim, ConsentPurpose.POLICE_FULL)
    client.post(f"/alerts/police/requests/{row.pk}/decision/", {"decision": "granted"})
    row.refresh_from_db()
    assert row.status == LinkStatus.DECIDED and row.decision_granted is True
    assert consent.has(source.victim, ConsentPurpose.POLICE_FULL)
    client.post(f"/alerts/police/requests/{row.pk}/answer/", {"answer": "Shared with consent."})
    row.refresh_from_db()
    assert row.status == LinkStatus.ANSWERED
    page = client.get(f"/alerts/police/requests/{row.pk}/").content.decode()
    assert "Inspector Petrenko" in page and "Shared with consent." in page


def test_it_cannot_decide_for_an_unknown_reference(world: World, signed_in: Any) -> None:
    client = signed_in("caseworker")
    client.post(
        "/alerts/police/requests/",
        {
            "partner": "X",
            "reference": "R-0000000000",
            "request_text": "Link it.",
            "received_at": "2026-11-20",
        },
    )
    row = LinkRequest.objects.get()
    client.post(f"/alerts/police/requests/{row.pk}/decision/", {"decision": "granted"})
    row.refresh_from_db()
    assert row.status == LinkStatus.AWAITING
