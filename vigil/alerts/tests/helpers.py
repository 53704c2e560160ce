"""Builders for the alerts tests: a source incident with her details planted in it,
and alerts at each stage of the pipeline."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from vigil.accounts.models import User
from vigil.alerts import actions, sanitise
from vigil.alerts.models import Alert
from vigil.cases import consent
from vigil.conftest import World
from vigil.incidents import actions as incident_actions
from vigil.incidents.models import Event, Person
from vigil.vault import crypto
from vigil.vocab.models import Term

# Planted in the source incident; none of it may reach an alert, email, SMS or digest.
HER_NAME = "Оксана Мельничук"
HER_PSEUDONYM = "Ластівка"
HER_PHONE = "+380 97 555 12 34"
HER_ADDRESS = "вул. Січових Стрільців 17, кв. 4"
PLACE_DETAIL = "біля аптеки на розі Ярославової"
EXACT_DATE = datetime.date(2026, 10, 13)
NARRATIVE = (
    "Він зупинив мене біля аптеки на Подолі, забрав мій телефон і погрожував викликати "
    "наряд, якщо я не поїду з ним до гаражів за вокзалом"
)
PLANTED = [
    HER_NAME,
    HER_PSEUDONYM,
    HER_PHONE,
    "975551234",
    HER_ADDRESS,
    PLACE_DETAIL,
    "2026-10-13",
    "13.10.2026",
    NARRATIVE[:60],
]

OFFENDER_PHONE = "+380671234567"
OFFENDER_PLATE = "AK1234KA"  # Latin letters; the checker is asked in Cyrillic
OFFENDER_BADGE = "4471"

TEXTS = {
    "en": "A man in a grey car offers lifts near the station at night and then threatens women.",
    "ru": "Мужчина на серой машине ночью предлагает подвезти у вокзала, потом угрожает женщинам.",
    "uk": "Чоловік у сірій машині вночі пропонує підвезти біля вокзалу, потім погрожує жінкам.",
}


def term(code: str) -> Term:
    return Term.objects.get(code=code)


@dataclass
class Source:
    event: Event
    key: bytes
    victim: Person


def make_source(
    world: World,
    *,
    alert_consent: bool = True,
    police_consent: bool = False,
    other: bool = False,
    start: datetime.date = EXACT_DATE,
    statistics: bool = False,
) -> Source:
    persona = (world.others if other else world.people)["caseworker"]
    user, org = persona.user, persona.organisation
    new = incident_actions.start_event(
        user,
        org,
        start_date=start,
        country="UA",
        region="UA-30",
        place_type=term("PLACE.STREET"),
    )
    incident_actions.save_event(
        user,
        new.event,
        new.key,
        {
            "title": "Поділ",
            "summary": NARRATIVE,
            "narrative": NARRATIVE,
            "place_detail": PLACE_DETAIL,
        },
    )
    victim = incident_actions.create_person(
        user,
        org,
        None,
        pseudonym=HER_PSEUDONYM,
        sealed={"legal_name": HER_NAME, "phone": HER_PHONE, "address": HER_ADDRESS},
    )
    act = incident_actions.add_act(
        user,
        new.event,
        victim=victim,
        act_type=term("ACT.PSY.THREATS"),
        methods=[term("MTH.WEAPON_THREAT")],
    )
    incident_actions.add_perpetrator(
        user,
        new.event,
        new.key,
        crypto.new_key(),
        perpetrator_type=term("PERP.CLIENT"),
        sealed={"plate": OFFENDER_PLATE, "phone": OFFENDER_PHONE},
        acts=[act],
    )
    incident_actions.finish_event(user, new.event)
    if alert_consent:
        consent.record_level(user, victim, "police_anonymised" if police_consent else "alert")
    elif police_consent:
        raise ValueError("the ladder has no police sharing without an alert")
    if statistics:
        consent.record_consent(user, victim, "statistics", True)
    return Source(new.event, new.key, victim)


def secrets_of(source: Source, world: World) -> sanitise.Secrets:
    """What reads.secrets_of finds, built here from what we planted."""
    return sanitise.Secrets(
        names=[HER_NAME, HER_PSEUDONYM],
        contacts=[HER_PHONE],
        places=[HER_ADDRESS, PLACE_DETAIL],
        dates=[EXACT_DATE],
        narratives=[NARRATIVE],
    )


def draft(
    world: World,
    source: Source,
    *,
    author: str = "caseworker",
    identifiers: list[dict[str, str]] | None = None,
) -> tuple[Alert, bytes]:
    user: User = world[author].user
    new = actions.create_alert(
        user,
        world.org,
        source_kind="event",
        source_id=source.event.pk,
        region="UA-30",
        period_kind="month",
        day=source.event.start_date or EXACT_DATE,
        victims=[source.victim],
        perpetrator_type=term("PERP.CLIENT"),
        act_types=[term("ACT.PSY.THREATS")],
    )
    actions.update_alert(
        user,
        new.alert,
        new.key,
        texts=TEXTS,
        identifiers=identifiers
        if identifiers is not None
        else [
            {"kind": "phone", "value": OFFENDER_PHONE},
            {"kind": "plate", "value": OFFENDER_PLATE},
            {"kind": "other", "value": "сірий седан, наклейка на задньому склі"},
        ],
        act_types=[term("ACT.PSY.THREATS")],
        methods=[term("MTH.WEAPON_THREAT")],
    )
    return new.alert, new.key


ALL_TICKED = {"not_identifying": True, "not_private": True, "no_officer_name": True}


def published(world: World, source: Source | None = None, **kwargs: object) -> Alert:
    source = source or make_source(world)
    alert, key = draft(world, source, **kwargs)  # type: ignore[arg-type]
    actions.submit(world["caseworker"].user, alert, key, secrets_of(source, world))
    lawyer = world["lawyer"]
    actions.approve(
        lawyer.user,
        lawyer.membership,
        alert,
        key,
        checklist=ALL_TICKED,
        police_reason="He uses the badge to threaten women at night; members need it.",
    )
    actions.publish(world["caseworker"].user, alert, key)
    alert.refresh_from_db()
    return alert


def alert_key(world: World, alert: Alert) -> bytes:
    return crypto.unseal(world.org_private, bytes(alert.sealed_key or b""))


def released_text(alert: Alert) -> str:
    """Everything a member's copy of the alert holds, as one string."""
    from vigil.alerts import keys

    if not alert.released:
        return ""
    return str(
        crypto.decrypt_json(keys.release_key(alert.organisation_id), bytes(alert.released or b""))
    )
