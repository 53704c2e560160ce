"""Opening a phone's record: ODK decryption in the inbox, then ordinary triage."""

from __future__ import annotations

import io

from django.test import Client
from PIL import Image

from vigil.cases.models import Case
from vigil.conftest import World
from vigil.incidents.models import Evidence
from vigil.intake import actions as intake_actions
from vigil.intake.models import Submission
from vigil.odk import actions
from vigil.odk.models import Device, EncryptedRecord, RecordStatus
from vigil.odk.tests.collect import basic, encrypt_record, post
from vigil.odk.tests.conftest import Phone

BODY = (
    "<acts><act>beaten</act></acts><acts><act>money</act></acts>"
    "<story>Двое в форме остановили меня у аптеки и забрали деньги</story>"
    "<when>this_week</when><place>ost_site</place>"
    "<perpetrators><who>police</who><uniform>yes</uniform><how_many>2</how_many>"
    "<badge>ЖЕТОН-4471</badge><name>Сержант Колобков</name></perpetrators>"
    "<perpetrators><who>police</who><badge>ЖЕТОН-9000</badge></perpetrators>"
    "<needs>legal medical</needs><urgent>no</urgent><consents>follow_up statistics</consents>"
    "<method>outreach</method>"
)


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def _send(world: World, phone: Phone, body: str = BODY, **kwargs) -> EncryptedRecord:
    key = actions.current_form_key(world.org)
    sealed = encrypt_record(key.public_key, body, version=f"{key.pk}.1", **kwargs)
    response = post(
        Client(),
        "/odk/svitlo/submission",
        basic(phone.username, phone.password),
        sealed.manifest,
        sealed.files,
    )
    assert response.status_code == 201, response.content
    return EncryptedRecord.objects.get(instance_id=sealed.instance_id)


def test_it_opens_a_collect_record_into_the_inbox_in_russian(
    world: World, phone: Phone, signed_in
) -> None:
    row = _send(world, phone, media=[("photo.png", _photo())])
    assert not Submission.objects.exists()  # nothing readable until a caseworker opens it
    client = signed_in("caseworker")
    client.cookies["django_language"] = "ru"
    response = client.post(f"/odk/records/{row.pk}/open/", follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Двое в форме остановили меня у аптеки" in page
    assert "Меня ударили или избили" in page  # her answer, in the reader's Russian
    assert "ЖЕТОН-4471" in page
    row.refresh_from_db()
    assert row.status == RecordStatus.OPENED and row.submission is not None
    assert row.submission.attachments.count() == 1


def test_it_hands_an_opened_record_to_ordinary_triage(world: World, phone: Phone) -> None:
    row = _send(world, phone)
    caseworker = world["caseworker"].user
    submission = actions.open_record(world.org_private, row, acting_user=caseworker)
    case = intake_actions.accept(caseworker, world.org_private, submission)
    assert Case.objects.filter(pk=case.pk).exists()
    report = intake_actions.sealing.open_json(
        intake_actions.staff_thread_key(world.org_private, submission), submission.sealed
    )
    assert report["what"] == ["beaten", "money"]
    assert report["needs"] == ["legal", "medical"]
    assert report["badge"] == "ЖЕТОН-4471"
    assert "ЖЕТОН-9000" in report["description"]  # the second person is not lost


def test_it_refuses_a_tampered_record_when_opening(world: World, phone: Phone, signed_in) -> None:
    key = actions.current_form_key(world.org)
    sealed = encrypt_record(key.public_key, BODY, version=f"{key.pk}.1")
    enc = bytearray(sealed.files["submission.xml.enc"])
    enc[5] ^= 0x01  # one bit flipped in transit: CFB decrypts it to altered text
    sealed.files["submission.xml.enc"] = bytes(enc)
    auth = basic(phone.username, phone.password)
    # The server cannot read the record, so it cannot tell yet: it stores it.
    assert (
        post(Client(), "/odk/svitlo/submission", auth, sealed.manifest, sealed.files).status_code
        == 201
    )
    row = EncryptedRecord.objects.get()
    response = signed_in("caseworker").post(f"/odk/records/{row.pk}/open/", follow=True)
    assert "cannot be opened" in response.content.decode()
    row.refresh_from_db()
    assert row.status == RecordStatus.UNREADABLE
    assert not Submission.objects.exists()


def test_it_opens_records_sent_before_the_key_was_rotated(world: World, phone: Phone) -> None:
    old = _send(world, phone)
    actions.create_form_key(world.org, acting_user=world["coordinator"].user)
    new = _send(world, phone)
    caseworker = world["caseworker"].user
    for row in (old, new):
        assert actions.open_record(world.org_private, row, acting_user=caseworker).pk


def test_it_accepts_the_sha1_oaep_of_older_collect_versions(world: World, phone: Phone) -> None:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric.padding import MGF1, OAEP

    sha1 = OAEP(mgf=MGF1(algorithm=hashes.SHA1()), algorithm=hashes.SHA1(), label=None)  # noqa: S303
    row = _send(world, phone, oaep=sha1)
    submission = actions.open_record(world.org_private, row, acting_user=world["lawyer"].user)
    assert submission.pk


def test_it_refuses_to_open_another_organisations_record(
    world: World, phone: Phone, signed_in
) -> None:
    row = _send(world, phone)
    assert (
        signed_in("coordinator", other=True).post(f"/odk/records/{row.pk}/open/").status_code == 404
    )
    assert signed_in("analyst").post(f"/odk/records/{row.pk}/open/").status_code == 403
    row.refresh_from_db()
    assert row.status == RecordStatus.WAITING


def test_it_keeps_records_of_a_revoked_phone(world: World, phone: Phone) -> None:
    row = _send(world, phone)
    actions.revoke_device(
        Device.objects.get(pk=phone.device_pk), acting_user=world["coordinator"].user
    )
    assert actions.open_record(world.org_private, row, acting_user=world["caseworker"].user).pk
    assert Evidence.objects.count() == 0


def test_it_opens_a_record_only_once(world: World, phone: Phone) -> None:
    row = _send(world, phone)
    first = actions.open_record(world.org_private, row, acting_user=world["caseworker"].user)
    stale = EncryptedRecord.objects.get(pk=row.pk)
    stale.status = RecordStatus.WAITING  # as a second request read it before the first wrote
    second = actions.open_record(world.org_private, stale, acting_user=world["lawyer"].user)
    assert first.pk == second.pk
    assert Submission.objects.get().channel == "odk"


def test_it_reads_an_instance_shaped_by_the_generated_form(world: World, phone: Phone) -> None:
    """Fill the XForm's own primary instance, as Collect would: form and parser agree."""
    import xml.etree.ElementTree as StdTree

    from defusedxml import ElementTree

    from vigil.odk import xlsform

    key = actions.current_form_key(world.org)
    xml, _warnings = xlsform.xform(world.org, key, "https://v.example/odk/svitlo/submission")
    xf = "{http://www.w3.org/2002/xforms}"
    root = ElementTree.fromstring(xml.encode())
    data = root.find(f"{{http://www.w3.org/1999/xhtml}}head/{xf}model/{xf}instance/{xf}data")
    answers = {"act": "planted", "story": "Подкинули пакет", "badge": "ЖЕТОН-1", "when": "today"}
    for element in data.iter():
        name = element.tag.removeprefix(xf)
        element.attrib.pop("{http://openrosa.org/javarosa}template", None)
        if name in answers:
            element.text = answers[name]
    body = "".join(
        StdTree.tostring(child, encoding="unicode").replace(f' xmlns="{xf[1:-1]}"', "")
        for child in data
        if child.tag.removeprefix(xf) != "meta"
    ).replace("ns0:", "")
    row = _send(world, phone, body=body)
    submission = actions.open_record(world.org_private, row, acting_user=world["caseworker"].user)
    report = intake_actions.sealing.open_json(
        intake_actions.staff_thread_key(world.org_private, submission), submission.sealed
    )
    assert report["what"] == ["planted"]
    assert report["story"] == "Подкинули пакет"
    assert report["badge"] == "ЖЕТОН-1"
    assert report["when"] == "today"
