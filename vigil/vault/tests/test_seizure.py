"""A seized database and media folder reveal no planted secret."""

from __future__ import annotations

import base64

import pytest
from django.test import Client

from vigil.accounts import actions
from vigil.conftest import PASSWORD, make_persona, sign_in
from vigil.vault import keys, sealing
from vigil.vault.seizure import database_bytes, encodings, seized

SECRET_FILE_TEXT = "Фото синяков, Оксана Ковальчук, жетон 4471-КВ"


@pytest.fixture
def planted(transactional_db: None, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    created = actions.create_organisation(
        None, name="Svitlo", slug="svitlo", country="UA", languages=["uk"]
    )
    persona = make_persona(created.organisation, "coordinator", created.private_key, "coord")
    key, _sealed = sealing.new_data_key(created.organisation)
    stored = sealing.store_file(key, [SECRET_FILE_TEXT.encode()] * 100)
    client = Client()
    sign_in(client, persona)  # leaves a live session with the vault blob in the DB
    return {
        "phrase": created.recovery_phrase,
        "org_private": created.private_key,
        "member_private": keys.unlock_member(persona.user, PASSWORD),
        "file": stored,
        "client": client,
    }


def test_it_stores_no_key_phrase_password_or_file_text_in_the_clear(planted) -> None:
    dump = seized()
    assert len(dump) > 10_000  # the dump is real, not empty
    assert b"svitlo" in dump.lower()  # and clear fields are in it, as the threat model says
    for secret in (planted["org_private"], planted["member_private"]):
        for form in (secret, secret.hex().encode(), base64.b64encode(secret)):
            assert form not in dump
    for text in (planted["phrase"], PASSWORD, SECRET_FILE_TEXT, "Оксана"):
        for form in encodings(text):
            assert form not in dump, text
    assert planted["file"].sha256 in str(planted["file"])  # the hash is what we keep


def test_it_finds_a_planted_string_when_one_is_stored_in_the_clear(planted) -> None:
    # Proves the scan can fail: the same search finds a value stored unsealed.
    from vigil.accounts.models import Organisation

    Organisation.objects.filter(slug="svitlo").update(city="Жетон-4471-КВ-видно")
    assert any(form in database_bytes() for form in encodings("Жетон-4471-КВ-видно"))
