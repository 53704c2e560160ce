"""Builders for the officers tests: incidents with perpetrators, consent, legal actions."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from vigil.cases import actions as case_actions
from vigil.cases import consent
from vigil.cases.models import ConsentPurpose
from vigil.complaints import actions as complaint_actions
from vigil.complaints.models import LegalAction, OversightBody
from vigil.conftest import World
from vigil.incidents import actions as incident_actions
from vigil.incidents.models import Act, Event, Person
from vigil.vault import crypto
from vigil.vocab.models import Term

KYIV_INTERNAL = "ua-kyiv-police-internal-security"


def term(code: str) -> Term:
    return Term.objects.get(code=code)


@dataclass
class Made:
    event: Event
    key: bytes
    victim: Person
    acts: list[Act]


def incident(
    world: World,
    officers: list[dict[str, str]],
    *,
    region: str = "UA-30",
    matching: bool | None = True,
    other: bool = False,
    act: str = "ACT.PHYS.BEATING",
    start: datetime.date | None = None,
    title: str = "Metro",
) -> Made:
    """A recorded incident whose perpetrators carry the given sealed identifiers."""
    persona = (world.others if other else world.people)["caseworker"]
    user, org = persona.user, persona.organisation
    private = world.org_private if not other else None
    index_key = crypto.blind_index_key(private) if private else crypto.new_key()
    new = incident_actions.start_event(
        user,
        org,
        start_date=start or datetime.date(2025, 3, 14),
        country=org.country,
        region=region,
    )
    incident_actions.save_event(user, new.event, new.key, {"title": title})
    victim = incident_actions.create_person(user, org, index_key, pseudonym="Lilia")
    acts = [incident_actions.add_act(user, new.event, victim=victim, act_type=term(act))]
    for values in officers:
        incident_actions.add_perpetrator(
            user,
            new.event,
            new.key,
            index_key,
            perpetrator_type=term("PERP.POLICE.PATROL"),
            sealed=values,
            acts=acts,
        )
    incident_actions.finish_event(user, new.event)
    if matching is not None:
        consent.record_consent(user, victim, ConsentPurpose.MATCHING, matching)
    return Made(new.event, new.key, victim, acts)


def complaint_with_outcome(world: World, made: Made, outcome: str) -> LegalAction:
    """A complaint about the incident's acts, answered, with an outcome."""
    lawyer = world["lawyer"].user
    caseworker = world["caseworker"].user
    opened = case_actions.open_case(caseworker, made.victim, [made.event], [caseworker, lawyer])
    consent.record_consent(
        caseworker, made.victim, ConsentPurpose.SHARE_IDENTIFIED, True, body=KYIV_INTERNAL
    )
    action = complaint_actions.create_action(
        lawyer,
        opened.case,
        opened.key,
        complaint_actions.Draft(
            action_type="complaint",
            body=OversightBody.objects.get(slug=KYIV_INTERNAL),
            acts=made.acts,
            grounds=[],
            lawyer=lawyer,
            notes="",
        ),
    )
    complaint_actions.file_action(
        lawyer,
        action,
        opened.key,
        submitted_on=datetime.date(2025, 4, 1),
        channel="post",
        reference="№ 1",
    )
    complaint_actions.record_response(
        lawyer,
        action,
        opened.key,
        response_on=datetime.date(2025, 5, 1),
        response="favourable",
        outcomes=[outcome],
        summary="",
    )
    action.refresh_from_db()
    return action
