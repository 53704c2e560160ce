"""The OpenRosa endpoints, driven as a phone with its device credentials."""

from __future__ import annotations

import hashlib

import pytest
from defusedxml import ElementTree
from django.test import Client

from vigil.conftest import World
from vigil.odk import actions
from vigil.odk.models import Device, EncryptedRecord
from vigil.odk.tests.collect import basic, encrypt_record, post
from vigil.odk.tests.conftest import Phone

BASE = "/odk/svitlo"
BODY = "<acts><act>beaten</act></acts><story>Меня ударили у аптеки</story>"


def _message(response) -> str:
    root = ElementTree.fromstring(response.content)
    assert root.tag == "{http://openrosa.org/http/response}OpenRosaResponse"
    return "".join(root.itertext())


def _sealed(world: World, **kwargs):
    key = actions.current_form_key(world.org)
    return encrypt_record(key.public_key, BODY, version=f"{key.pk}.1", **kwargs)


def test_it_lists_serves_and_describes_the_form(world: World, phone: Phone) -> None:
    client, auth = Client(), basic(phone.username, phone.password)
    listing = client.get(f"{BASE}/formList", headers=auth)
    assert listing.status_code == 200
    assert listing["X-OpenRosa-Version"] == "1.0"
    root = ElementTree.fromstring(listing.content)
    ns = "{http://openrosa.org/xforms/xformsList}"
    download = root.find(f"{ns}xform/{ns}downloadUrl").text
    assert root.find(f"{ns}xform/{ns}formID").text == "vigil_report"
    form = client.get(download.replace("http://testserver", ""), headers=auth)
    assert form.status_code == 200 and form["X-OpenRosa-Version"] == "1.0"
    assert b"base64RsaPublicKey" in form.content
    # Collect re-downloads when this hash changes, so it must be the served bytes'.
    digest = hashlib.md5(form.content).hexdigest()  # noqa: S324 - OpenRosa's choice
    assert root.find(f"{ns}xform/{ns}hash").text == f"md5:{digest}"
    manifest_url = root.find(f"{ns}xform/{ns}manifestUrl").text
    assert (
        client.get(manifest_url.replace("http://testserver", ""), headers=auth).status_code == 200
    )


def test_it_challenges_a_phone_without_credentials_and_never_reads_them_from_the_url(
    world: World, phone: Phone
) -> None:
    response = Client().get(f"{BASE}/formList?username={phone.username}&password={phone.password}")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Basic ")
    assert response["X-OpenRosa-Version"] == "1.0"
    assert "Sign in" in _message(response)


def test_it_answers_head_with_the_accepted_length(world: World, phone: Phone, settings) -> None:
    response = Client().head(f"{BASE}/submission", headers=basic(phone.username, phone.password))
    assert response.status_code == 204
    assert response["X-OpenRosa-Accept-Content-Length"] == str(settings.ODK_MAX_SUBMISSION_BYTES)


def test_it_stores_an_encrypted_record_once(world: World, phone: Phone) -> None:
    sealed = _sealed(world)
    auth = basic(phone.username, phone.password)
    # A phone has no CSRF token: the endpoint must not ask for one.
    phone_client = Client(enforce_csrf_checks=True)
    first = post(phone_client, f"{BASE}/submission", auth, sealed.manifest, sealed.files)
    assert first.status_code == 201, first.content
    again = post(Client(), f"{BASE}/submission", auth, sealed.manifest, sealed.files)
    assert again.status_code == 202
    assert EncryptedRecord.objects.filter(instance_id=sealed.instance_id).count() == 1


def test_it_refuses_a_different_record_under_a_used_instance_id(world: World, phone: Phone) -> None:
    auth = basic(phone.username, phone.password)
    first = _sealed(world)
    post(Client(), f"{BASE}/submission", auth, first.manifest, first.files)
    clash = _sealed(world, instance_id=first.instance_id)
    response = post(Client(), f"{BASE}/submission", auth, clash.manifest, clash.files)
    assert response.status_code == 409
    assert EncryptedRecord.objects.count() == 1


def test_it_refuses_an_unencrypted_record(world: World, phone: Phone) -> None:
    plain = (
        b'<data id="vigil_report"><story>open text</story>'
        b"<meta><instanceID>uuid:1</instanceID></meta></data>"
    )
    response = post(
        Client(), f"{BASE}/submission", basic(phone.username, phone.password), plain, {}
    )
    assert response.status_code == 400
    assert "encrypted records only" in _message(response)
    assert not EncryptedRecord.objects.exists()


def test_it_refuses_a_record_whose_files_do_not_match_its_manifest(
    world: World, phone: Phone
) -> None:
    sealed = _sealed(world)
    response = post(
        Client(), f"{BASE}/submission", basic(phone.username, phone.password), sealed.manifest, {}
    )
    assert response.status_code == 400
    assert not EncryptedRecord.objects.exists()


def test_it_refuses_an_oversized_record(world: World, phone: Phone, settings) -> None:
    settings.ODK_MAX_SUBMISSION_BYTES = 2048
    sealed = _sealed(world, media=[("photo.jpg", b"\xff" * 4096)])
    response = post(
        Client(),
        f"{BASE}/submission",
        basic(phone.username, phone.password),
        sealed.manifest,
        sealed.files,
    )
    assert response.status_code == 413
    assert "too large" in _message(response)
    assert not EncryptedRecord.objects.exists()


def test_it_refuses_a_revoked_phone(world: World, phone: Phone) -> None:
    actions.revoke_device(
        Device.objects.get(pk=phone.device_pk), acting_user=world["coordinator"].user
    )
    sealed = _sealed(world)
    auth = basic(phone.username, phone.password)
    assert (
        post(Client(), f"{BASE}/submission", auth, sealed.manifest, sealed.files).status_code == 401
    )
    assert Client().get(f"{BASE}/formList", headers=auth).status_code == 401
    assert not EncryptedRecord.objects.exists()


def test_it_refuses_a_wrong_password_and_another_organisations_phone(
    world: World, phone: Phone
) -> None:
    assert (
        Client().get(f"{BASE}/formList", headers=basic(phone.username, "guess")).status_code == 401
    )
    other = actions.issue_device(world.other_org, "x", acting_user=world.others["coordinator"].user)
    auth = basic(other.device.username, other.password)
    assert Client().get(f"{BASE}/formList", headers=auth).status_code == 401
    assert Client().get("/odk/dostyk/formList", headers=auth).status_code == 200


def test_it_rate_limits_a_phone_and_wrong_sign_ins(world: World, phone: Phone, settings) -> None:
    settings.ODK_DEVICE_LIMIT_PER_MINUTE = 2
    settings.ODK_AUTH_FAILURES_PER_MINUTE = 3
    auth = basic(phone.username, phone.password)
    codes = [Client().head(f"{BASE}/submission", headers=auth).status_code for _ in range(3)]
    assert codes == [204, 204, 429]
    for _ in range(3):
        Client().get(f"{BASE}/formList", headers=basic(phone.username, "wrong"))
    # Even the right password waits: guessing is slowed for the whole organisation.
    other = actions.issue_device(world.org, "phone 2", acting_user=world["coordinator"].user)
    response = Client().get(
        f"{BASE}/formList", headers=basic(other.device.username, other.password)
    )
    assert response.status_code == 429


def test_it_answers_an_unknown_organisation_in_openrosa_terms(world: World, phone: Phone) -> None:
    response = Client().get("/odk/nowhere/formList", headers=basic(phone.username, phone.password))
    assert response.status_code == 404
    assert response["X-OpenRosa-Version"] == "1.0"


@pytest.mark.parametrize("method", ["put", "delete"])
def test_it_allows_only_openrosa_methods(world: World, phone: Phone, method: str) -> None:
    response = getattr(Client(), method)(
        f"{BASE}/submission", headers=basic(phone.username, phone.password)
    )
    assert response.status_code == 405


def test_it_serves_the_new_public_key_after_a_rotation(world: World, phone: Phone) -> None:
    auth = basic(phone.username, phone.password)
    before = Client().get(f"{BASE}/forms/vigil_report.xml", headers=auth).content
    new_key = actions.create_form_key(world.org, acting_user=world["coordinator"].user)
    after = Client().get(f"{BASE}/forms/vigil_report.xml", headers=auth).content
    assert new_key.public_key.encode() in after
    assert new_key.public_key.encode() not in before
