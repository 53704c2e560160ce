"""Partners through HTTP: register, contacts (sealed), history with legal actions, agreements."""

from __future__ import annotations

from typing import Any

import pytest

from vigil.audit.models import AuditEvent
from vigil.complaints.models import LegalAction
from vigil.conftest import World
from vigil.engagement.models import Agreement, ContactLog, Partner, PartnerContact
from vigil.engagement.tests.helpers import (
    CONTACT_NAME,
    key_of,
    local_body,
    make_legal_action,
    make_partner,
    raw,
    upload,
)
from vigil.vault import sealing


def test_it_creates_a_partner_from_a_new_institution_and_lists_it(
    world: World, signed_in: Any
) -> None:
    client = signed_in("coordinator")
    response = client.post(
        "/engagement/partners/new/",
        {
            "new_name": "Temirtau city police, women's safety unit",
            "kind": "police_unit",
            "since": "2024-05-01",
            "participants": [world["police_liaison"].membership.pk],
        },
    )
    assert response.status_code == 302, response.content[:800]
    partner = Partner.objects.get()
    # The institution went into the shared directory machinery as a local body.
    assert partner.body.organisation_id == world.org.pk
    assert partner.body.body_type == "police_internal"
    assert list(partner.participants.all()) == [world["police_liaison"].membership]
    listing = client.get("/engagement/partners/")
    assert "Temirtau city police" in listing.content.decode()


def test_it_refuses_a_partner_form_without_an_institution(signed_in: Any) -> None:
    response = signed_in("caseworker").post("/engagement/partners/new/", {"kind": "npm"})
    assert response.status_code == 400
    assert not Partner.objects.exists()


def test_it_edits_a_partner(world: World, signed_in: Any) -> None:
    partner = make_partner(world, liaison=True)
    client = signed_in("lawyer")
    assert client.get(f"/engagement/partners/{partner.pk}/edit/").status_code == 200
    response = client.post(
        f"/engagement/partners/{partner.pk}/edit/", {"kind": "ombudsman", "since": ""}
    )
    assert response.status_code == 302
    partner.refresh_from_db()
    assert (partner.kind, partner.is_active, partner.participants.count()) == (
        "ombudsman",
        False,
        0,
    )


def test_it_seals_contact_names_and_keeps_rank_in_clear_only_when_chosen(
    world: World, signed_in: Any
) -> None:
    partner = make_partner(world)
    client = signed_in("coordinator")
    base = {"name": CONTACT_NAME, "rank": "Major", "unit": "Women's safety", "phone": "+7 701"}
    assert client.post(f"/engagement/partners/{partner.pk}/contacts/new/", base).status_code == 302
    sealed_rank = PartnerContact.objects.get()
    assert (sealed_rank.rank, sealed_rank.unit) == ("", "")
    assert CONTACT_NAME.encode() not in raw(sealed_rank.sealed)
    page = client.get(f"/engagement/partners/{partner.pk}/").content.decode()
    assert CONTACT_NAME in page and "Major" in page

    response = client.post(
        f"/engagement/contacts/{sealed_rank.pk}/edit/",
        {**base, "rank_in_clear": "on", "is_active": "on"},
    )
    assert response.status_code == 302
    sealed_rank.refresh_from_db()
    assert (sealed_rank.rank, sealed_rank.unit) == ("Major", "Women's safety")


def test_it_records_a_legal_action_sent_to_the_partner_and_links_to_it(
    world: World, signed_in: Any
) -> None:
    partner = make_partner(world)
    action = make_legal_action(world, partner.body)
    client = signed_in("lawyer")
    form = client.get(f"/engagement/partners/{partner.pk}/history/new/").content.decode()
    assert action.code in form  # offered: it is addressed to the partner's body
    response = client.post(
        f"/engagement/partners/{partner.pk}/history/new/",
        {"kind": "legal_action", "date": "2026-01-15", "legal_action": action.pk},
    )
    assert response.status_code == 302
    assert ContactLog.objects.get().legal_action == action
    page = client.get(f"/engagement/partners/{partner.pk}/").content.decode()
    assert f"/complaints/actions/{action.pk}/" in page


def test_it_records_contacts_in_the_history_and_their_response(
    world: World, signed_in: Any
) -> None:
    partner = make_partner(world)
    client = signed_in("coordinator")
    response = client.post(
        f"/engagement/partners/{partner.pk}/history/new/",
        {"kind": "meeting", "date": "2026-01-15", "notes": "Agreed to receive cases"},
    )
    assert response.status_code == 302
    entry = ContactLog.objects.get()
    response = client.post(
        f"/engagement/history/{entry.pk}/edit/",
        {"kind": "meeting", "date": "2026-01-15", "response": "acted", "response_on": "2026-02-01"},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.response == "acted"
    page = client.get(f"/engagement/partners/{partner.pk}/").content.decode()
    assert "Acted on it" in page


def test_it_refuses_a_legal_action_entry_without_the_action(world: World, signed_in: Any) -> None:
    partner = make_partner(world)
    response = signed_in("lawyer").post(
        f"/engagement/partners/{partner.pk}/history/new/",
        {"kind": "legal_action", "date": "2026-01-15"},
    )
    assert response.status_code == 400
    assert not ContactLog.objects.exists()


def test_it_stores_agreements_sealed_and_audits_verified_downloads(
    world: World, signed_in: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    partner = make_partner(world)
    client = signed_in("coordinator")
    response = client.post(
        f"/engagement/partners/{partner.pk}/agreements/new/",
        {"kind": "mou", "title": "MoU 2026", "signed_on": "2026-01-10", "file": upload()},
    )
    assert response.status_code == 302, response.content[:800]
    agreement = Agreement.objects.get()
    assert b"memorandum" not in (tmp_path / agreement.stored_name).read_bytes()
    download = client.get(f"/engagement/agreements/{agreement.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 memorandum"
    assert AuditEvent.objects.filter(action="engagement.file_download").count() == 1
    edit = client.post(
        f"/engagement/agreements/{agreement.pk}/edit/",
        {"kind": "protocol", "title": "Protocol 2026", "signed_on": "2026-01-11"},
    )
    assert edit.status_code == 302
    agreement.refresh_from_db()
    assert (agreement.kind, str(agreement.signed_on)) == ("protocol", "2026-01-11")
    assert "Protocol 2026" in client.get(f"/engagement/partners/{partner.pk}/").content.decode()

    # Swap the stored file for another sealed under the same key: caught, not sent.
    other = sealing.store_file(key_of(world, agreement), [b"forged"])
    Agreement.objects.filter(pk=agreement.pk).update(stored_name=other.name)
    assert client.get(f"/engagement/agreements/{agreement.pk}/").status_code == 410
    assert AuditEvent.objects.filter(action="engagement.file_damaged").count() == 1


def test_it_shows_the_liaison_only_the_partnerships_she_takes_part_in(
    world: World, signed_in: Any
) -> None:
    hers = make_partner(world, liaison=True, name="Her unit")
    other = make_partner(world, name="Another unit")
    client = signed_in("police_liaison")
    listing = client.get("/engagement/partners/").content.decode()
    assert "Her unit" in listing and "Another unit" not in listing
    assert client.get(f"/engagement/partners/{hers.pk}/").status_code == 200
    assert client.get(f"/engagement/partners/{other.pk}/").status_code == 404
    # No contact persons, history or files on her page.
    assert "Contact persons" not in client.get(f"/engagement/partners/{hers.pk}/").content.decode()


def test_it_links_a_legal_action_only_to_its_own_body(world: World) -> None:
    from vigil.engagement import actions

    partner = make_partner(world)
    action = LegalAction(organisation=world.org, body=local_body(world, "Elsewhere"))
    with pytest.raises(ValueError, match="another body"):
        actions.log_contact(
            acting_user=world["coordinator"].user,
            partner=partner,
            kind="legal_action",
            date=partner.since,  # type: ignore[arg-type]
            legal_action=action,
        )
