"""Letters and letter templates leave through the verified download path: checked, audited."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.storage import default_storage

from vigil.audit.models import AuditEvent
from vigil.complaints.models import GeneratedLetter, LetterTemplate
from vigil.complaints.tests.helpers import make_action, make_case
from vigil.conftest import World


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def _letter(world: World, signed_in):
    action = make_action(world, make_case(world))
    lawyer = signed_in("lawyer")
    response = lawyer.post(
        f"/complaints/actions/{action.pk}/letters/", {"language": "ru", "formats": ["docx"]}
    )
    assert response.status_code == 302
    return lawyer, GeneratedLetter.objects.get(action=action)


def test_a_letter_download_is_verified_and_audited_once(world: World, signed_in) -> None:
    lawyer, letter = _letter(world, signed_in)
    before = AuditEvent.objects.count()

    response = lawyer.get(f"/complaints/letters/{letter.pk}/")
    content = b"".join(response.streaming_content)

    assert response.status_code == 200
    assert content.startswith(b"PK") and len(content) == letter.size
    events = list(AuditEvent.objects.order_by("pk")[before:])
    assert [e.action for e in events] == ["letter.download"]


def test_a_flipped_byte_in_a_stored_letter_gives_a_clear_error(world: World, signed_in) -> None:
    lawyer, letter = _letter(world, signed_in)
    path = Path(default_storage.path(letter.stored_name))
    stored = bytearray(path.read_bytes())
    stored[len(stored) // 2] ^= 1
    path.write_bytes(bytes(stored))

    response = lawyer.get(f"/complaints/letters/{letter.pk}/")

    assert response.status_code == 410
    assert "File damaged" in response.content.decode()
    assert not AuditEvent.objects.filter(action="letter.download").exists()
    assert AuditEvent.objects.filter(action="file.damaged", target_id=str(letter.pk)).count() == 1


def test_a_template_download_is_verified_and_audited_once(world: World, signed_in) -> None:
    coordinator = signed_in("coordinator")
    before = AuditEvent.objects.count()

    response = coordinator.get("/complaints/templates/police_internal/ru/download/")

    shared = LetterTemplate.objects.get(
        organisation__isnull=True, body_type="police_internal", language="ru"
    )
    assert b"".join(response.streaming_content) == bytes(shared.content)
    events = list(AuditEvent.objects.order_by("pk")[before:])
    assert [(e.action, e.data) for e in events] == [("file.download", {"kind": "letter_template"})]


def test_a_template_altered_in_the_database_is_not_sent(world: World, signed_in) -> None:
    shared = LetterTemplate.objects.get(
        organisation__isnull=True, body_type="police_internal", language="ru"
    )
    content = bytearray(bytes(shared.content))
    content[len(content) // 2] ^= 1
    LetterTemplate.objects.filter(pk=shared.pk).update(content=bytes(content))

    response = signed_in("coordinator").get("/complaints/templates/police_internal/ru/download/")

    assert response.status_code == 410
    assert "File damaged" in response.content.decode()
    assert AuditEvent.objects.filter(action="file.damaged").count() == 1
