"""Backup and restore: one archive of sealed data, brought up on a fresh installation."""

from __future__ import annotations

import gzip
import io
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from vigil.accounts.models import Organisation, User
from vigil.audit.checkpoints import checkpoint_path
from vigil.conftest import World, sign_in
from vigil.incidents import actions
from vigil.incidents.models import Event, Evidence
from vigil.vault import backup

NARRATIVE = "Её задержали у аптеки, забрали шприцы и требовали деньги"
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def var(settings: Any, tmp_path: Path) -> Callable[[str], None]:
    """Point media and audit checkpoints at a var directory of their own."""

    def use(name: str) -> None:
        settings.MEDIA_ROOT = str(tmp_path / name / "media")
        settings.AUDIT_CHECKPOINT_DIR = tmp_path / name / "audit-checkpoints"

    use("before")
    return use


def _record_incident(world: World, client: Client) -> tuple[Event, Evidence]:
    caseworker = world["caseworker"]
    created = actions.start_event(caseworker.user, world.org)
    actions.save_event(
        caseworker.user,
        created.event,
        created.key,
        {"title": "Pharmacy stop", "narrative": NARRATIVE},
    )
    upload = SimpleUploadedFile("certificate.pdf", PDF, content_type="application/pdf")
    response = client.post(
        f"/incidents/{created.event.pk}/evidence/new/",
        {"kind": "document", "description": "", "file": upload},
    )
    assert response.status_code == 302, response.content[:1000]
    return created.event, Evidence.objects.get(event=created.event)


def _archive_bytes(path: Path) -> bytes:
    """Every member, uncompressed, as one blob to search."""
    blobs = [gzip.decompress(path.read_bytes())]
    with tarfile.open(path) as archive:
        for member in archive.getmembers():
            handle = archive.extractfile(member)
            if handle is not None:
                blobs.append(handle.read())
    return b"\n".join(blobs)


def test_it_restores_into_an_empty_database_and_she_opens_her_sealed_data(
    world: World, var: Callable[[str], None], tmp_path: Path
) -> None:
    caseworker = Client()
    sign_in(caseworker, world["caseworker"])
    event, evidence = _record_incident(world, caseworker)
    call_command("audit_checkpoint", stdout=io.StringIO())
    assert checkpoint_path().exists()
    archive = tmp_path / "out" / "vigil.tar.gz"
    out = io.StringIO()
    call_command("backup", str(archive), stdout=out)
    assert "database:" in out.getvalue() and "media: 1/1 files" in out.getvalue()
    assert archive.stat().st_mode & 0o777 == 0o600

    # Sealed only: no narrative, no file content, no installation secret.
    blob = _archive_bytes(archive)
    assert NARRATIVE.encode() not in blob
    assert b"Pharmacy stop" not in blob
    assert PDF not in blob and b"/Catalog" not in blob
    for secret in ("SECRET_KEY", "SESSION_KEY_SECRET", "RECEIPT_PEPPER", "RECEIPT_WRAP_PEPPER"):
        value = getattr(settings, secret, "")
        if value:
            assert value.encode() not in blob, secret
    assert world.phrase.encode() not in blob
    assert bytes(world.org_private) not in blob
    assert settings.AUDIT_SIGNING_KEY_FILE.read_bytes() not in blob

    # A fresh installation: empty database (migrated), empty var directory.
    backup.flush()
    assert not Organisation.objects.exists() and not User.objects.exists()
    var("after")
    assert not checkpoint_path().exists()
    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)
    assert "audit log intact" in out.getvalue()
    assert checkpoint_path().exists()

    # She signs in with her password and opens the narrative and the file.
    restored = Client()
    sign_in(restored, world["caseworker"])
    page = restored.get(f"/incidents/{event.pk}/")
    assert page.status_code == 200
    assert NARRATIVE in page.content.decode()
    download: Any = restored.get(f"/incidents/{event.pk}/evidence/{evidence.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    call_command("verify_audit", stdout=io.StringIO())


def test_it_refuses_to_restore_over_an_installation_in_use(
    world: World, var: Callable[[str], None], tmp_path: Path
) -> None:
    archive = tmp_path / "vigil.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    with pytest.raises(CommandError, match="fresh"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert Organisation.objects.filter(pk=world.org.pk).exists()


def test_it_refuses_a_damaged_archive(
    world: World, var: Callable[[str], None], tmp_path: Path
) -> None:
    archive = tmp_path / "vigil.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member)
            content = data.read() if data is not None else b""
            if member.name == backup.DATABASE:
                content = content.replace(b'"accounts.', b'"accounts.', 1) + b" "
            member.size = len(content)
            target.addfile(member, io.BytesIO(content))
    backup.flush()
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(damaged), stdout=io.StringIO())
