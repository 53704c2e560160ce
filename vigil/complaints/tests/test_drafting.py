"""Drafting a legal action through HTTP: choices limited to the case and organisation."""

from __future__ import annotations

import pytest

from vigil.audit.models import AuditEvent
from vigil.complaints import actions
from vigil.complaints.models import ActionStatus, LegalAction, LegalGround
from vigil.complaints.tests.helpers import body, make_action, make_case
from vigil.conftest import World
from vigil.incidents import actions as incident_actions
from vigil.incidents.models import Act
from vigil.vocab.models import Term


def ground(code: str) -> LegalGround:
    return LegalGround.objects.get(code=code)


def test_a_caseworker_drafts_an_action_on_the_case(world: World, signed_in) -> None:
    made = make_case(world, acts=("ACT.DET.SEARCH", "ACT.PRIV.STIGMA_INSULTS"))
    client = signed_in("caseworker")
    form = client.get(f"/cases/{made.case.pk}/legal-actions/new/").content.decode()
    assert "Internal security office in Kyiv" in form
    assert "Prosecutor&#x27;s office of Almaty" not in form  # another country
    assert "Criminal Code of Kazakhstan" not in form
    assert "Search without grounds" in form

    response = client.post(
        f"/cases/{made.case.pk}/legal-actions/new/",
        {
            "action_type": "complaint",
            "body": body().pk,
            "acts": [made.acts[0].pk],
            "rights": [ground("ECHR.3").pk, ground("ECHR.8").pk],
            "provisions": [ground("UA.CC.365").pk],
            "lawyer": world["lawyer"].user.pk,
            "notes": "call her before filing",
        },
    )
    action = LegalAction.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/complaints/actions/{action.pk}/"
    assert action.status == ActionStatus.DRAFT and action.region == "UA-30"
    assert list(action.acts.all()) == [made.acts[0]]
    assert {g.code for g in action.grounds.all()} == {"ECHR.3", "ECHR.8", "UA.CC.365"}
    assert b"call her before filing" not in bytes(action.sealed or b"")
    assert AuditEvent.objects.filter(action="legal_action.create").exists()
    listing = client.get(f"/cases/{made.case.pk}/legal-actions/").content.decode()
    assert action.code in listing
    detail = client.get(f"/complaints/actions/{action.pk}/").content.decode()
    assert "call her before filing" in detail


def test_acts_of_other_incidents_and_foreign_lawyers_are_refused(world: World, signed_in) -> None:
    made = make_case(world)
    stranger = make_case(world, pseudonym="Other")
    client = signed_in("lawyer")
    url = f"/cases/{made.case.pk}/legal-actions/new/"
    response = client.post(
        url, {"action_type": "complaint", "body": body().pk, "acts": [stranger.acts[0].pk]}
    )
    assert response.status_code == 200 and 'class="error"' in response.content.decode()
    response = client.post(
        url,
        {"action_type": "complaint", "body": body().pk, "lawyer": world["analyst"].user.pk},
    )
    assert response.status_code == 200 and 'class="error"' in response.content.decode()
    assert not LegalAction.objects.exists()
    with pytest.raises(ValueError):
        actions.create_action(
            world["lawyer"].user,
            made.case,
            made.key,
            actions.Draft("complaint", body(), stranger.acts, [], None),
        )


def test_a_draft_can_be_edited_until_it_is_filed(world: World, signed_in) -> None:
    made = make_case(world)
    action = make_action(world, made)
    client = signed_in("lawyer")
    response = client.post(
        f"/complaints/actions/{action.pk}/edit/",
        {"action_type": "investigation", "body": body("ua-kyiv-prosecutor").pk, "notes": "n"},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.action_type == "investigation" and action.body.slug == "ua-kyiv-prosecutor"
    assert action.lawyer is None and list(action.acts.all()) == []
    LegalAction.objects.filter(pk=action.pk).update(status=ActionStatus.SUBMITTED)
    page = client.get(f"/complaints/actions/{action.pk}/edit/", follow=True)
    assert "Only a draft can be changed." in page.content.decode()


def test_the_region_comes_from_the_incident_of_the_acts(world: World) -> None:
    made = make_case(world)
    user = world["caseworker"].user
    odesa = incident_actions.start_event(user, world.org, country="UA", region="UA-51").event
    act = incident_actions.add_act(
        user, odesa, victim=made.client, act_type=Term.objects.get(code="ACT.DET.SEARCH")
    )
    made.case.incidents.add(odesa)
    action = actions.create_action(
        user, made.case, made.key, actions.Draft("complaint", body(), [act], [], None)
    )
    assert action.region == "UA-51"
    assert Act.objects.filter(legal_actions=action).count() == 1
