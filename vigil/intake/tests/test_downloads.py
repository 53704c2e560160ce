"""A reporter's file leaves through the verified download path: checked, audited."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from vigil.audit.models import AuditEvent
from vigil.conftest import World
from vigil.intake.models import Attachment, Submission
from vigil.intake.tests.test_public_report import file_report

PDF = b"%PDF-1.4\n" + b"her medical certificate " * 400


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path):
    settings.REPORT_MIN_FILL_SECONDS = 0
    settings.MEDIA_ROOT = str(tmp_path)


def _attachment() -> Attachment:
    reporter = Client()
    receipt = file_report(reporter)
    reporter.post("/report/status/", {"receipt": receipt})
    reporter.post("/report/status/files/", {"file": SimpleUploadedFile("cert.pdf", PDF)})
    return Attachment.objects.get()


def test_a_reporters_file_download_is_verified_and_audited_once(world: World, signed_in) -> None:
    item = _attachment()
    caseworker = signed_in("caseworker")
    before = AuditEvent.objects.count()

    response = caseworker.get(f"/inbox/{Submission.objects.get().pk}/files/{item.pk}/")

    assert b"".join(response.streaming_content) == PDF
    assert [e.action for e in AuditEvent.objects.order_by("pk")[before:]] == ["attachment.download"]


def test_a_flipped_byte_in_a_reporters_file_gives_a_clear_error(world: World, signed_in) -> None:
    item = _attachment()
    path = Path(default_storage.path(item.stored_name))
    stored = bytearray(path.read_bytes())
    stored[len(stored) // 2] ^= 1
    path.write_bytes(bytes(stored))

    response = signed_in("caseworker").get(f"/inbox/{Submission.objects.get().pk}/files/{item.pk}/")

    assert response.status_code == 410
    page = response.content.decode()
    assert "File damaged" in page and "her medical certificate" not in page
    assert not AuditEvent.objects.filter(action="attachment.download").exists()
    assert AuditEvent.objects.filter(action="file.damaged", target_id=str(item.pk)).count() == 1
