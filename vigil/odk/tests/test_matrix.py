from __future__ import annotations

from django.test import Client

from vigil.conftest import World
from vigil.odk import actions
from vigil.odk.models import EncryptedRecord
from vigil.odk.tests.collect import basic, encrypt_record, post
from vigil.odk.tests.conftest import Phone
from vigil.tests_matrix import Row, run_matrix

# columns: anon coordinator caseworker lawyer hotline analyst referral police_liaison
#          network_analyst other_org
ROWS: list[Row] = [
    ("GET", "/odk/devices/", "302 200 403 403 403 403 403 403 403 200"),
    ("POST", "/odk/devices/", "302 200 403 403 403 403 403 403 403 200"),
    ("POST", "/odk/devices/{device}/revoke/", "302 302 403 403 403 403 403 403 403 404"),
    ("POST", "/odk/key/rotate/", "302 302 403 403 403 403 403 403 403 302"),
    ("GET", "/odk/records/", "302 200 200 200 403 403 403 403 403 200"),
    ("POST", "/odk/records/{record}/open/", "302 302 302 302 403 403 403 403 403 404"),
    # Phones only: a staff session is no phone credential.
    ("GET", "/odk/svitlo/formList", "401 401 401 401 401 401 401 401 401 401"),
    ("GET", "/odk/svitlo/forms/vigil_report.xml", "401 401 401 401 401 401 401 401 401 401"),
    ("GET", "/odk/svitlo/forms/vigil_report/manifest", "401 401 401 401 401 401 401 401 401 401"),
    ("POST", "/odk/svitlo/submission", "401 401 401 401 401 401 401 401 401 401"),
]


def test_it_matches_the_odk_matrix(world: World, phone: Phone) -> None:
    key = actions.current_form_key(world.org)
    sealed = encrypt_record(key.public_key, "<story>x</story>", version=f"{key.pk}.1")
    auth = basic(phone.username, phone.password)
    assert (
        post(Client(), "/odk/svitlo/submission", auth, sealed.manifest, sealed.files).status_code
        == 201
    )
    record = EncryptedRecord.objects.get()
    failures = run_matrix(world, ROWS, lambda: {"device": phone.device_pk, "record": record.pk})
    assert failures == []
