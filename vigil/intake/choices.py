"""Plain-language choices for reporters, each mapped to a vocabulary term.

A woman reporting at night on a phone should not have to know what
"arbitrary detention" means; the form speaks her words, and triage stores the
coded term so statistics stay comparable.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vigil.cases.models import ConsentPurpose


@dataclass(frozen=True)
class Choice:
    key: str
    label: Promise
    explanation: Promise
    code: str  # vocabulary term code ("" when there is none)


WHAT = [
    Choice(
        "beaten",
        _("They hit or beat me"),
        _("Punches, kicks, blows with a baton or other objects."),
        "ACT.PHYS.BEATING",
    ),
    Choice(
        "sexual",
        _("They touched me sexually or forced sex"),
        _("Any sexual act or touching you did not want, including a strip search by men."),
        "ACT.SEX",
    ),
    Choice(
        "favours",
        _("They demanded sex or favours"),
        _("For example: 'sleep with me and we will let you go'."),
        "ACT.EXT.FAVOURS",
    ),
    Choice(
        "money",
        _("They demanded money or took my things"),
        _("A bribe to let you go, or they took your money, phone or documents."),
        "ACT.EXT.BRIBE",
    ),
    Choice(
        "search",
        _("They stopped or searched me without reason"),
        _("Stopped in the street or metro, bag or clothes searched."),
        "ACT.DET.SEARCH",
    ),
    Choice(
        "detained",
        _("They took me to the station or held me without grounds"),
        _("Held in a station, car or cell without a clear reason."),
        "ACT.DET.ARBITRARY",
    ),
    Choice(
        "planted",
        _("They planted drugs or made up a case"),
        _("Drugs or evidence put on you, or a case invented against you or your partner."),
        "ACT.DET.PLANTING",
    ),
    Choice(
        "informant",
        _("They pushed me to confess or to inform on others"),
        _("Pressure to sign a confession or to work for them."),
        "ACT.DET.COERCED_CONFESSION",
    ),
    Choice(
        "threats",
        _("They threatened or frightened me"),
        _("Threats of prison, violence or telling others about you."),
        "ACT.PSY.THREATS",
    ),
    Choice(
        "children",
        _("They threatened to take my children away"),
        _("Threats to call social services or to take away custody."),
        "ACT.PSY.THREAT_CHILDREN",
    ),
    Choice(
        "insults",
        _("They insulted or humiliated me"),
        _("Insults about drug use, methadone or HIV, being made to undress, being filmed."),
        "ACT.PSY.HUMILIATION",
    ),
    Choice(
        "ost",
        _("I could not get my OST or medicines"),
        _("No methadone or buprenorphine, HIV or TB medicines, or withdrawal in custody."),
        "ACT.HEALTH.OST_INTERRUPTION",
    ),
    Choice(
        "syringes",
        _("They took my syringes or naloxone"),
        _("Clean needles, syringes or naloxone taken or destroyed."),
        "ACT.HEALTH.CONFISCATION",
    ),
    Choice(
        "no_lawyer",
        _("They refused me a lawyer or a phone call"),
        _("You asked for a lawyer or to call someone and they said no."),
        "ACT.DET.NO_LAWYER",
    ),
    Choice(
        "status",
        _("They told others that I use drugs or have HIV"),
        _("Your status told to family, neighbours or an employer."),
        "ACT.PRIV.STATUS_DISCLOSURE",
    ),
]

WHO_KIND = [
    ("police", _("Police"), "PERP.POLICE"),
    ("other_official", _("Another official (prison, court, doctor)"), "PERP.STATE"),
    ("not_police", _("Not police (someone else)"), "PERP.NONSTATE"),
    ("unsure", _("I am not sure"), "PERP.UNKNOWN"),
]

UNIFORM = [("yes", _("In uniform")), ("no", _("In plain clothes")), ("unknown", _("I don't know"))]

PLACES = [
    ("street", _("In the street"), "PLACE.STREET"),
    ("transport", _("Metro, bus or station"), "PLACE.TRANSPORT"),
    ("police_station", _("At a police station"), "PLACE.POLICE_STATION"),
    ("police_car", _("In a police car"), "PLACE.POLICE_VEHICLE"),
    ("home", _("At home"), "PLACE.HOME"),
    ("ost_site", _("Near an OST site, pharmacy or needle exchange"), "PLACE.OST_SITE"),
    ("other", _("Somewhere else"), "PLACE.OTHER"),
]

WHEN = [
    ("today", _("Today")),
    ("this_week", _("In the last few days")),
    ("this_month", _("In the last month")),
    ("earlier", _("Earlier")),
    ("date", _("I know the date")),
]

NEEDS = [
    ("legal", _("A lawyer or legal advice"), "NEED.LEGAL"),
    ("medical", _("A doctor, or a record of my injuries"), "NEED.MEDICAL"),
    ("shelter", _("A safe place to stay"), "NEED.SHELTER"),
    ("ost", _("Help to keep my OST or medicines"), "NEED.OST_CONTINUITY"),
    ("children", _("Help about my children"), "NEED.CHILDREN"),
    ("talk", _("Someone to talk to"), "NEED.PSYCHOSOCIAL"),
    ("other", _("Something else"), "NEED.OTHER"),
]

CONSENTS = [
    (ConsentPurpose.FOLLOW_UP, _("You may contact me")),
    (
        ConsentPurpose.STATISTICS,
        _("You may count what happened in anonymous statistics (no names)"),
    ),
    (ConsentPurpose.MATCHING, _("You may check whether the same officer hurt other women")),
]

# Reports saved before the consent ladder carry these two ticks instead of a level
# (``consent_level``); they keep their meaning when read or accepted.
LEGACY_CONSENTS = [
    (
        ConsentPurpose.ALERT,
        _("You may warn other women about this person, without saying who I am"),
    ),
    (
        ConsentPurpose.POLICE_ANONYMISED,
        _("You may tell the police what happened without my name, so they can act"),
    ),
]

CONTACT_METHODS = [
    ("phone", _("Phone call")),
    ("sms", _("SMS")),
    ("messenger", _("Signal, Telegram or WhatsApp")),
    ("email", _("Email")),
    ("outreach", _("Through an outreach worker I know")),
]


def label_of(options: list, key: str) -> str:
    for option in options:
        if (option.key if isinstance(option, Choice) else option[0]) == key:
            return str(option.label if isinstance(option, Choice) else option[1])
    return key
