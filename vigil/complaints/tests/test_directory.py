"""The directory: shared bodies (seeded, read-only), an organisation's own bodies, and
liaison contacts whose personal details are sealed."""

from __future__ import annotations

from django.conf import settings

from vigil.audit.models import AuditEvent
from vigil.complaints import actions
from vigil.complaints.models import (
    Holiday,
    LegalGround,
    LiaisonContact,
    OversightBody,
)
from vigil.complaints.tests.helpers import body
from vigil.conftest import World


def test_the_seeded_directory_has_generic_bodies_for_ukraine_and_kazakhstan(db: None) -> None:
    ombudsman = body("ua-ombudsman")
    assert "Ombudsman of Ukraine" in ombudsman.names["en"]
    assert ombudsman.response_days == 30 and ombudsman.response_unit == "calendar"
    kz = body("kz-almaty-police-internal-security")
    assert kz.region == "KZ-75" and kz.response_unit == "working"
    assert body("un-cedaw").country == "" and body("un-cedaw").response_days is None
    types = set(OversightBody.objects.values_list("body_type", flat=True))
    assert {"police_internal", "prosecutor", "ombudsman", "npm", "un_cedaw", "health"} <= types
    assert LegalGround.objects.filter(code__in=["ECHR.3", "UA.CC.127", "KZ.CC.146"]).count() == 3
    assert Holiday.objects.filter(country="UA", date__year=2026).exists()
    assert Holiday.objects.filter(country="KZ", date__year=2026).exists()


def test_everyone_on_the_case_team_reads_the_directory(world: World, signed_in) -> None:
    page = signed_in("caseworker").get("/complaints/bodies/?country=KZ")
    text = page.content.decode()
    assert "Internal security department of the Police Department of Almaty" in text
    assert "Ombudsman of Ukraine" not in text  # filtered to Kazakhstan (and international)
    assert "CEDAW Committee" in text


def test_all_countries_lists_every_body_under_its_country_heading(world: World, signed_in) -> None:
    text = signed_in("caseworker").get("/complaints/bodies/").content.decode()
    headings = [text.index(f'<h2 id="country-{code}">') for code in ("KZ", "UA", "intl")]
    assert headings == sorted(headings)  # by country name, international last
    kz, ua, intl = (text[start:] for start in headings)
    assert "Kazakhstan" in kz[:80] and "Ukraine" in ua[:80]
    assert kz.index("Prosecutor&#x27;s office of Almaty") < kz.index('id="country-UA"')
    assert ua.index("Ombudsman of Ukraine") < ua.index('id="country-intl"')
    assert "CEDAW Committee" in intl
    client = signed_in("caseworker")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    text = client.get("/complaints/bodies/").content.decode()
    assert "Казахстан" in text and "Украина" in text and ">UA<" not in text


def test_a_coordinator_adds_and_edits_her_own_body(world: World, signed_in) -> None:
    client = signed_in("coordinator")
    response = client.post(
        "/complaints/bodies/new/",
        {
            "name_en": "Metro police department of Kyiv",
            "name_ru": "Управление полиции метрополитена Киева",
            "body_type": "employer",
            "country": "UA",
            "region": "UA-30",
            "response_days": "30",
            "response_unit": "calendar",
            "is_active": "on",
        },
    )
    own = OversightBody.objects.get(organisation=world.org)
    assert response.status_code == 302
    assert own.slug.startswith("svitlo-metro-police")
    assert own.names["ru"] == "Управление полиции метрополитена Киева"
    edit = client.post(
        f"/complaints/bodies/{own.pk}/edit/",
        {
            "name_en": "Metro police of Kyiv",
            "body_type": "employer",
            "country": "UA",
            "region": "KZ-75",  # not a region of Ukraine
            "response_unit": "working",
        },
    )
    assert edit.status_code == 200 and "Choose a region of the body" in edit.content.decode()
    client.post(
        f"/complaints/bodies/{own.pk}/edit/",
        {"name_en": "Metro police of Kyiv", "body_type": "employer", "response_unit": "working"},
    )
    own.refresh_from_db()
    assert own.names == {"en": "Metro police of Kyiv"} and own.is_active is False
    assert own.response_unit == "working" and own.response_days is None
    # Another organisation neither sees it nor can edit it.
    other = signed_in("coordinator", other=True)
    assert other.get(f"/complaints/bodies/{own.pk}/").status_code == 404
    assert "Metro police of Kyiv" not in other.get("/complaints/bodies/").content.decode()


def test_shared_bodies_are_read_only_but_can_be_copied(world: World, signed_in) -> None:
    client = signed_in("coordinator")
    shared = body("ua-kyiv-prosecutor")
    assert client.get(f"/complaints/bodies/{shared.pk}/edit/").status_code == 403
    copy = client.get(f"/complaints/bodies/new/?from={shared.pk}").content.decode()
    assert "Київська міська прокуратура" in copy


def test_liaison_contacts_are_sealed(world: World, signed_in) -> None:
    coordinator = signed_in("coordinator")
    shared = body("ua-kyiv-police")
    response = coordinator.post(
        f"/complaints/bodies/{shared.pk}/liaisons/new/",
        {
            "position": "Senior inspector on violence against women",
            "name": "Ірина Петренко",
            "phone": "+380 44 555 12 34",
            "email": "petrenko@example.org",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    liaison = LiaisonContact.objects.get()
    raw = bytes(liaison.sealed or b"") + bytes(liaison.sealed_key or b"")
    for secret in ("Петренко".encode(), b"555 12 34", b"petrenko@example.org"):
        assert secret not in raw
    assert AuditEvent.objects.filter(action="liaison.add").exists()

    page = signed_in("lawyer").get(f"/complaints/bodies/{shared.pk}/").content.decode()
    assert "Ірина Петренко" in page and "+380 44 555 12 34" in page
    # Another organisation sees the shared body but not this organisation's liaison.
    other = signed_in("coordinator", other=True).get(f"/complaints/bodies/{shared.pk}/")
    assert other.status_code == 200 and "Петренко" not in other.content.decode()

    coordinator.post(
        f"/complaints/liaisons/{liaison.pk}/edit/",
        {"position": "Head of unit", "name": "Ірина Петренко", "phone": ""},
    )
    liaison.refresh_from_db()
    assert liaison.position == "Head of unit" and liaison.is_active is False


def test_a_liaison_needs_no_private_key_to_be_written(world: World) -> None:
    liaison = actions.add_liaison(
        world["coordinator"].user,
        world.org,
        body("ua-ombudsman"),
        position="Regional representative",
        sealed={"name": "Name", "phone": "1"},
    )
    assert liaison.sealed_key and liaison.organisation == world.org
