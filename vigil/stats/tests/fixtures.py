"""A small, hand-countable data set for the statistics tests.

Organisation A (the world's first organisation, UA):

=====  ========  =======  ==========  ======  ============  =============================
event  status    consent  start       region  place         acts (victim: act type)
=====  ========  =======  ==========  ======  ============  =============================
E1     recorded  yes      2025-01-10  UA-32   street        P1 rape, P1 beating, P2 beating
E2     recorded  yes      2025-01-20  UA-32   police stn.   P2 bribe
E3     recorded  yes      2025-03-05  UA-46   street        P3 beating, P3 bribe
E4     recorded  no       2025-02-01  UA-32   street        P4 rape
E5     draft     yes      2025-02-01  UA-32   street        P5 beating
=====  ========  =======  ==========  ======  ============  =============================

Perpetrators: E1 patrol police; E2 drug police; E3 patrol and drug police.
Victims: P1 uses drugs (+HIV), 25-34; P2 sex worker, 18-24; P3 OST client (+HIV), 35-44.
Cases: C1 (P1, E1) psychosocial 2025-01-11, legal advice 2025-01-12;
       C2 (P3, E3) referral 2025-03-05, outcome resolved fully;
       C3 (P4, E4) legal advice (no consent: never counted).
Organisation B (KZ): E6 2025-01-15 KZ-19 P6 beating; E7 = E1 reported again
(P7 rape), both marked with the shared reference "SV-2025-001".
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from vigil.accounts.models import Organisation, User
from vigil.cases import actions as case_actions
from vigil.cases.consent import record_consent
from vigil.cases.models import Case, ConsentPurpose
from vigil.conftest import World
from vigil.incidents import actions as incident_actions
from vigil.incidents.models import Event, Person, SourceChannel
from vigil.stats import actions as stats_actions
from vigil.vault import sealing
from vigil.vocab.models import Term

INDEX_KEY = b"i" * 32
D = datetime.date


def term(code: str) -> Term:
    return Term.objects.get(code=code)


@dataclass
class Data:
    events: dict[str, Event]
    people: dict[str, Person]


def make_person(
    user: User, org: Organisation, name: str, primary: str, extra: list[str], age: str
) -> Person:
    return incident_actions.create_person(
        user,
        org,
        INDEX_KEY,
        pseudonym=name,
        sealed={"legal_name": f"Legal {name} Secretname", "phone": "+380501112233"},
        primary_group=term(primary),
        age_band=age,
        characteristics=[term(primary), *[term(c) for c in extra]],
    )


def make_event(
    user: User,
    org: Organisation,
    *,
    start: datetime.date,
    region: str,
    place: str,
    channel: str = SourceChannel.OUTREACH,
    acts: list[tuple[Person, str]],
    perpetrators: list[str] = (),  # type: ignore[assignment]
    record: bool = True,
) -> Event:
    new = incident_actions.start_event(
        user,
        org,
        start_date=start,
        country=org.country,
        region=region,
        place_type=term(place),
        source_channel=channel,
    )
    event = new.event
    incident_actions.save_event(
        user, event, new.key, {"title": "Night raid", "narrative": "Secret narrative text"}
    )
    for victim, act_type in acts:
        incident_actions.add_act(user, event, victim=victim, act_type=term(act_type))
    for code in perpetrators:
        incident_actions.add_perpetrator(
            user,
            event,
            new.key,
            INDEX_KEY,
            perpetrator_type=term(code),
            sealed={"name": "Officer Badgename", "badge": "B-777"},
        )
    if record:
        incident_actions.finish_event(user, event)
    assert sealing.open_json(new.key, event.sealed, {})["narrative"]
    return event


def consent(user: User, *people: Person) -> None:
    for person in people:
        record_consent(user, person, ConsentPurpose.STATISTICS, True)


def build(world: World) -> Data:
    a_user = world["caseworker"].user
    a = world.org
    p1 = make_person(a_user, a, "Ivanna", "CHAR.USES_DRUGS", ["CHAR.HIV"], "25-34")
    p2 = make_person(a_user, a, "Oksana", "CHAR.SEX_WORKER", [], "18-24")
    p3 = make_person(a_user, a, "Marta", "CHAR.OST_CLIENT", ["CHAR.HIV"], "35-44")
    p4 = make_person(a_user, a, "Halyna", "CHAR.USES_DRUGS", [], "25-34")
    p5 = make_person(a_user, a, "Daryna", "CHAR.USES_DRUGS", [], "25-34")
    e1 = make_event(
        a_user,
        a,
        start=D(2025, 1, 10),
        region="UA-32",
        place="PLACE.STREET",
        acts=[(p1, "ACT.SEX.RAPE"), (p1, "ACT.PHYS.BEATING"), (p2, "ACT.PHYS.BEATING")],
        perpetrators=["PERP.POLICE.PATROL"],
    )
    e2 = make_event(
        a_user,
        a,
        start=D(2025, 1, 20),
        region="UA-32",
        place="PLACE.POLICE_STATION",
        channel=SourceChannel.HOTLINE,
        acts=[(p2, "ACT.EXT.BRIBE")],
        perpetrators=["PERP.POLICE.DRUG"],
    )
    e3 = make_event(
        a_user,
        a,
        start=D(2025, 3, 5),
        region="UA-46",
        place="PLACE.STREET",
        acts=[(p3, "ACT.PHYS.BEATING"), (p3, "ACT.EXT.BRIBE")],
        perpetrators=["PERP.POLICE.PATROL", "PERP.POLICE.DRUG"],
    )
    e4 = make_event(
        a_user,
        a,
        start=D(2025, 2, 1),
        region="UA-32",
        place="PLACE.STREET",
        acts=[(p4, "ACT.SEX.RAPE")],
    )
    e5 = make_event(
        a_user,
        a,
        start=D(2025, 2, 1),
        region="UA-32",
        place="PLACE.STREET",
        acts=[(p5, "ACT.PHYS.BEATING")],
        record=False,
    )
    consent(a_user, p1, p2, p3, p5)  # P4 never consents

    c1 = case_actions.open_case(a_user, p1, [e1])
    case_actions.add_intervention(
        a_user, c1.case, c1.key, intervention_type=term("INTV.PSYCHOSOCIAL"), date=D(2025, 1, 11)
    )
    case_actions.add_intervention(
        a_user, c1.case, c1.key, intervention_type=term("INTV.LEGAL_ADVICE"), date=D(2025, 1, 12)
    )
    c2 = case_actions.open_case(a_user, p3, [e3])
    case_actions.add_intervention(
        a_user, c2.case, c2.key, intervention_type=term("INTV.REFERRAL"), date=D(2025, 3, 5)
    )
    Case.objects.filter(pk=c2.case.pk).update(outcome=term("OUTC.RESOLVED_FULLY"))
    c3 = case_actions.open_case(a_user, p4, [e4])
    case_actions.add_intervention(
        a_user, c3.case, c3.key, intervention_type=term("INTV.LEGAL_ADVICE"), date=D(2025, 2, 2)
    )

    b_user = world.others["caseworker"].user
    b = world.other_org
    p6 = make_person(b_user, b, "Aigul", "CHAR.USES_DRUGS", [], "25-34")
    p7 = make_person(b_user, b, "Ivanna B", "CHAR.USES_DRUGS", ["CHAR.HIV"], "25-34")
    e6 = make_event(
        b_user,
        b,
        start=D(2025, 1, 15),
        region="KZ-19",
        place="PLACE.STREET",
        acts=[(p6, "ACT.PHYS.BEATING")],
    )
    e7 = make_event(
        b_user,
        b,
        start=D(2025, 1, 10),
        region="KZ-19",
        place="PLACE.STREET",
        acts=[(p7, "ACT.SEX.RAPE")],
    )
    consent(b_user, p6, p7)
    stats_actions.mark_cross_report(
        world["coordinator"].user, world["coordinator"].membership, e1, "SV-2025-001"
    )
    stats_actions.mark_cross_report(
        world.others["coordinator"].user,
        world.others["coordinator"].membership,
        e7,
        " sv-2025-001 ",
    )
    for e in (e1, e2, e3, e4, e5, e6, e7):
        e.refresh_from_db()
    return Data(
        {"E1": e1, "E2": e2, "E3": e3, "E4": e4, "E5": e5, "E6": e6, "E7": e7},
        {"P1": p1, "P2": p2, "P3": p3, "P4": p4, "P5": p5, "P6": p6, "P7": p7},
    )
