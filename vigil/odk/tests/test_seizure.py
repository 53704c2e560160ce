"""A seized server reveals neither a phone's report nor the form's private key."""

from __future__ import annotations

import base64

import pytest
from django.test import Client

from vigil.accounts import actions as account_actions
from vigil.conftest import make_persona
from vigil.odk import actions, envelope
from vigil.odk.models import EncryptedRecord, FormKey
from vigil.odk.tests.collect import basic, encrypt_record, post
from vigil.vault import crypto
from vigil.vault.seizure import encodings, seized

STORY = "Оперативник Дроздов избил её у обменного пункта шприцев"
BADGE = "ЖЕТОН-7781-ДР"


@pytest.fixture
def planted(transactional_db: None, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    created = account_actions.create_organisation(
        None, name="Svitlo", slug="svitlo", country="UA", languages=["uk"]
    )
    coordinator = make_persona(created.organisation, "coordinator", created.private_key, "coord")
    issued = actions.issue_device(created.organisation, "phone 1", acting_user=coordinator.user)
    key = actions.current_form_key(created.organisation)
    body = (
        f"<acts><act>beaten</act></acts><story>{STORY}</story>"
        f"<perpetrators><badge>{BADGE}</badge></perpetrators>"
    )
    sealed = encrypt_record(key.public_key, body, version=f"{key.pk}.1")
    auth = basic(issued.device.username, issued.password)
    response = post(Client(), "/odk/svitlo/submission", auth, sealed.manifest, sealed.files)
    assert response.status_code == 201
    waiting = encrypt_record(key.public_key, body, version=f"{key.pk}.1")
    post(Client(), "/odk/svitlo/submission", auth, waiting.manifest, waiting.files)
    row = EncryptedRecord.objects.get(instance_id=sealed.instance_id)
    actions.open_record(created.private_key, row, acting_user=coordinator.user)
    pem = crypto.unseal(created.private_key, bytes(FormKey.objects.get().sealed_private))
    return {"pem": pem, "password": issued.password, "username": issued.device.username}


def test_it_keeps_phone_reports_and_the_form_key_out_of_a_seized_server(planted) -> None:
    dump = seized()
    assert planted["username"].encode() in dump  # the scan sees clear fields
    for text in (STORY, BADGE, "Дроздов", planted["password"]):
        for form in encodings(text):
            assert form not in dump, text
    body = b"".join(planted["pem"].splitlines()[1:-1])
    assert body[:64] not in dump
    der_private = base64.b64decode(body)
    assert der_private not in dump
    assert envelope.public_key_base64(planted["pem"]).encode() in dump  # public, by design
