"""A few demo alerts and members after `make run` (never in production).

Each demo organisation gets one published alert, made from a small demo incident
whose victim agreed to alerts, written by its caseworker and approved by its
lawyer, and two members: one reads the members' page, one receives email.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from vigil.accounts.models import Organisation, User
from vigil.alerts import actions
from vigil.alerts.models import Alert
from vigil.cases import consent
from vigil.incidents import actions as incident_actions
from vigil.vocab.models import Term

TEXTS = {
    "en": (
        "A man in a dark grey car offers women a lift near the central station at night, "
        "then drives them out of town and threatens them with a knife."
    ),
    "ru": (
        "Мужчина на тёмно-серой машине ночью предлагает женщинам подвезти их от центрального "
        "вокзала, потом вывозит за город и угрожает ножом."
    ),
    "uk": (
        "Чоловік у темно-сірій машині вночі пропонує жінкам підвезти їх від центрального "
        "вокзалу, потім вивозить за місто й погрожує ножем."
    ),
}
REGIONS = {"svitlo": "UA-30", "dostyk": "KZ-75"}
CHECKLIST = {"not_identifying": True, "not_private": True, "no_officer_name": True}


def _user(slug: str, role: str) -> User:
    return User.objects.get(username=f"{slug}-{role}")


def create_demo_alerts() -> int:
    made = 0
    for organisation in Organisation.objects.filter(slug__in=list(REGIONS)):
        if Alert.objects.filter(organisation=organisation).exists():
            continue
        made += _demo_alert(organisation)
    return made


# Further alerts of the demo year (days ago, region): an outreach team publishes one
# every month or two, mostly about its own city.
YEAR = {
    "svitlo": [(35, "UA-30"), (70, "UA-32"), (120, "UA-30"), (180, "UA-63"), (250, "UA-30")],
    "dostyk": [(30, "KZ-75"), (80, "KZ-75"), (140, "KZ-19"), (200, "KZ-75"), (300, "KZ-71")],
}


def create_demo_alert_year(organisation: Organisation) -> int:
    """More published alerts over the demo year, so their figures are not all hidden."""
    made = 0
    for days_ago, region in YEAR.get(organisation.slug, []):
        made += _demo_alert(organisation, days_ago=days_ago, region=region, enrol=False)
    return made


def _demo_alert(
    organisation: Organisation, *, days_ago: int = 10, region: str = "", enrol: bool = True
) -> int:
    caseworker = _user(organisation.slug, "caseworker")
    lawyer = _user(organisation.slug, "lawyer")
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    region = region or REGIONS[organisation.slug]
    new = incident_actions.start_event(
        caseworker, organisation, start_date=day, country=organisation.country, region=region
    )
    victim = incident_actions.create_person(caseworker, organisation, None, pseudonym="Demo")
    threats = Term.objects.get(code="ACT.PSY.THREATS", organisation__isnull=True)
    incident_actions.add_act(caseworker, new.event, victim=victim, act_type=threats)
    incident_actions.finish_event(caseworker, new.event)
    consent.record_level(caseworker, victim, "alert")
    alert = actions.create_alert(
        caseworker,
        organisation,
        source_kind="event",
        source_id=new.event.pk,
        region=region,
        period_kind="month",
        day=day,
        victims=[victim],
        act_types=[threats],
        perpetrator_type=Term.objects.filter(code="PERP.CLIENT").first(),
    )
    actions.update_alert(
        caseworker,
        alert.alert,
        alert.key,
        texts=TEXTS,
        identifiers=[
            {"kind": "plate", "value": "AA 0000 ZZ"},
            {"kind": "other", "value": "dark grey sedan / тёмно-серый седан"},
        ],
        act_types=[threats],
        methods=[],
    )
    from vigil.alerts.sanitise import Secrets

    actions.submit(caseworker, alert.alert, alert.key, Secrets())
    membership = lawyer.memberships.get(organisation=organisation)
    actions.approve(lawyer, membership, alert.alert, alert.key, checklist=CHECKLIST)
    actions.publish(caseworker, alert.alert, alert.key)
    if not enrol:
        return 1
    for channel, email in (
        ("page", f"peer@{organisation.slug}.example.org"),
        ("email", f"outreach@{organisation.slug}.example.org"),
    ):
        actions.enrol(
            caseworker,
            organisation,
            group="peer" if channel == "page" else "outreach",
            channel=channel,
            region="",
            language="ru",
            name=f"Demo {channel}",
            email=email,
            phone="",
        )
    return 1
