from __future__ import annotations

import datetime

from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from vigil.conftest import World
from vigil.odk import actions
from vigil.odk.models import EncryptedRecord
from vigil.odk.tests.collect import basic, encrypt_record, post
from vigil.odk.tests.conftest import Phone


def _send(world: World, phone: Phone) -> EncryptedRecord:
    key = actions.current_form_key(world.org)
    sealed = encrypt_record(key.public_key, "<story>x</story>", version=f"{key.pk}.1")
    auth = basic(phone.username, phone.password)
    post(Client(), "/odk/svitlo/submission", auth, sealed.manifest, sealed.files)
    return EncryptedRecord.objects.get(instance_id=sealed.instance_id)


def test_it_shreds_records_nobody_opened_in_time(world: World, phone: Phone, settings) -> None:
    old, opened, fresh = _send(world, phone), _send(world, phone), _send(world, phone)
    actions.open_record(world.org_private, opened, acting_user=world["caseworker"].user)
    long_ago = timezone.now() - datetime.timedelta(days=settings.SUBMISSION_EXPIRY_DAYS + 1)
    EncryptedRecord.objects.filter(pk__in=[old.pk, opened.pk]).update(received_at=long_ago)
    call_command("expire_odk_records")
    old.refresh_from_db()
    opened.refresh_from_db()
    fresh.refresh_from_db()
    assert old.sealed_key is None and old.sealed is None
    assert opened.sealed_key is not None and fresh.sealed_key is not None
