"""Files the reporter adds from her mailbox: checked, stripped, sealed, carried into evidence."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from vigil.conftest import World
from vigil.incidents.models import Evidence
from vigil.intake.models import Attachment, Submission
from vigil.intake.tests.test_public_report import file_report
from vigil.vault import crypto, sealing


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path):
    settings.REPORT_MIN_FILL_SECONDS = 0
    settings.MEDIA_ROOT = str(tmp_path)


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), (200, 30, 30))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (50.0, 27.0, 0.0), 3: "E", 4: (30.0, 31.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def _mailbox_client(receipt: str) -> Client:
    client = Client()
    client.post("/report/status/", {"receipt": receipt})
    return client


def test_it_adds_a_photo_without_its_location(world: World) -> None:
    reporter = _mailbox_client(file_report(Client()))
    photo = _jpeg_with_gps()
    assert Image.open(io.BytesIO(photo)).getexif().get_ifd(0x8825)
    response = reporter.post(
        "/report/status/files/", {"file": SimpleUploadedFile("bruise.jpg", photo)}
    )
    assert response.status_code == 302
    assert "Your file was added" in reporter.get("/report/status/thread/").content.decode()
    attachment = Attachment.objects.get()
    key = crypto.unseal(world.org_private, bytes(Submission.objects.get().sealed_key or b""))
    stored = b"".join(sealing.open_file(key, attachment.stored_name))
    assert not Image.open(io.BytesIO(stored)).getexif().get_ifd(0x8825)
    assert crypto.sha256_hex(stored) == attachment.sha256


def test_it_refuses_a_disguised_program_and_says_so(world: World) -> None:
    reporter = _mailbox_client(file_report(Client()))
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00" + b"\x00" * 2000)
    reporter.post("/report/status/files/", {"file": fake})
    page = reporter.get("/report/status/thread/").content.decode()
    assert "Windows program" in page
    assert Attachment.objects.count() == 0


def test_it_refuses_a_file_over_the_limit(world: World, settings) -> None:
    settings.REPORT_MAX_BYTES = 2048
    reporter = _mailbox_client(file_report(Client()))
    reporter.post(
        "/report/status/files/", {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4\n" + b"x" * 5000)}
    )
    assert "too large" in reporter.get("/report/status/thread/").content.decode()
    assert Attachment.objects.count() == 0


def test_it_carries_files_into_evidence_on_acceptance(world: World, signed_in) -> None:
    reporter = _mailbox_client(file_report(Client()))
    pdf = b"%PDF-1.4\n% certificate from the trauma unit\n%%EOF\n"
    reporter.post("/report/status/files/", {"file": SimpleUploadedFile("справка.pdf", pdf)})
    caseworker = signed_in("caseworker")
    submission = Submission.objects.get()
    attachment = Attachment.objects.get()
    download = caseworker.get(f"/inbox/{submission.pk}/files/{attachment.pk}/")
    assert b"".join(download.streaming_content) == pdf
    caseworker.post(f"/inbox/{submission.pk}/accept/")
    evidence = Evidence.objects.get()
    assert evidence.sha256 == crypto.sha256_hex(pdf) and evidence.kind == "document"
    event_key = crypto.unseal(world.org_private, bytes(evidence.event.sealed_key or b""))
    assert b"".join(sealing.open_file(event_key, evidence.stored_name)) == pdf
