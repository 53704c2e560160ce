"""Shared builders for the complaints tests: a case with an incident, and legal actions."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from vigil.accounts.models import User
from vigil.cases import actions as case_actions
from vigil.cases import consent
from vigil.cases.models import Case, ConsentPurpose
from vigil.complaints import actions
from vigil.complaints.models import LegalAction, LegalGround, OversightBody
from vigil.conftest import World
from vigil.incidents import actions as incident_actions
from vigil.incidents.models import Act, Event, Person
from vigil.vault import crypto
from vigil.vocab.models import Term

SUMMARY = "Остановили у станции метро и обыскали сумку без оснований."
NARRATIVE = "Сотрудник оскорблял её как клиентку ОЗТ.\nГрозил, что у неё заберут ребёнка."
LEGAL_NAME = "Олена Коваленко"
PLACE = "станция метро «Лукьяновская»"
KYIV_INTERNAL = "ua-kyiv-police-internal-security"


def term(code: str) -> Term:
    return Term.objects.get(code=code)


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


@dataclass
class Made:
    case: Case
    key: bytes
    event: Event
    client: Person
    acts: list[Act]


def make_case(
    world: World,
    *,
    other: bool = False,
    acts: tuple[str, ...] = ("ACT.DET.SEARCH",),
    pseudonym: str = "Lilia",
    legal_name: str = LEGAL_NAME,
    country: str = "UA",
    region: str = "UA-30",
    start: datetime.date | None = None,
    perpetrator: str | None = "PERP.POLICE.TRANSPORT",
    stats_consent: bool = False,
) -> Made:
    persona = (world.others if other else world.people)["caseworker"]
    user, org = persona.user, persona.organisation
    new = incident_actions.start_event(
        user,
        org,
        start_date=start or days_ago(60),
        country=country,
        region=region,
        place_type=term("PLACE.TRANSPORT"),
    )
    incident_actions.save_event(
        user,
        new.event,
        new.key,
        {"title": "Metro", "summary": SUMMARY, "narrative": NARRATIVE, "place_detail": PLACE},
    )
    person = incident_actions.create_person(
        user, org, None, pseudonym=pseudonym, sealed={"legal_name": legal_name}
    )
    rows = [
        incident_actions.add_act(user, new.event, victim=person, act_type=term(code))
        for code in acts
    ]
    if perpetrator:
        incident_actions.add_perpetrator(
            user,
            new.event,
            new.key,
            crypto.new_key(),
            perpetrator_type=term(perpetrator),
            sealed={"unit": "отдел полиции метрополитена", "badge": "0412", "plate": "AA 1234 KB"},
            acts=rows,
        )
    incident_actions.finish_event(user, new.event)
    if stats_consent:
        consent.record_consent(user, person, ConsentPurpose.STATISTICS, True)
    lawyer = (world.others if other else world.people)["lawyer"].user
    opened = case_actions.open_case(user, person, [new.event], [user, lawyer])
    return Made(opened.case, opened.key, new.event, person, rows)


def body(slug: str = KYIV_INTERNAL) -> OversightBody:
    return OversightBody.objects.get(slug=slug)


def make_action(
    world: World,
    made: Made,
    *,
    slug: str = KYIV_INTERNAL,
    lawyer: User | None = None,
    grounds: tuple[str, ...] = ("ECHR.3", "UA.CC.365"),
    action_type: str = "complaint",
) -> LegalAction:
    lawyer = lawyer or world["lawyer"].user
    return actions.create_action(
        lawyer,
        made.case,
        made.key,
        actions.Draft(
            action_type=action_type,
            body=body(slug),
            acts=made.acts,
            grounds=list(LegalGround.objects.filter(code__in=grounds)),
            lawyer=lawyer,
            notes="private team note",
        ),
    )


def share_consent(world: World, made: Made, slug: str = KYIV_INTERNAL, granted: bool = True):
    return consent.record_consent(
        world["caseworker"].user, made.client, ConsentPurpose.SHARE_IDENTIFIED, granted, body=slug
    )


def filed(
    world: World,
    made: Made,
    *,
    submitted_on: datetime.date | None = None,
    slug: str = KYIV_INTERNAL,
    lawyer: User | None = None,
) -> LegalAction:
    """A legal action filed with her consent."""
    share_consent(world, made, slug)
    action = make_action(world, made, slug=slug, lawyer=lawyer)
    return actions.file_action(
        lawyer or world["lawyer"].user,
        action,
        made.key,
        submitted_on=submitted_on or days_ago(10),
        channel="post",
        reference="№ 77/1",
    )
