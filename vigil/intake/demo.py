"""Demo reports waiting in the inbox after `make run` (never in production)."""

from __future__ import annotations

from vigil.accounts.models import Organisation
from vigil.intake import actions
from vigil.intake.models import Submission

REPORTS = {
    "UA": [
        {
            "what": ["search", "children"],
            "story": (
                "Мене зупинили біля метро Лук'янівська двоє поліцейських, обшукали сумку, "
                "сміялися з того, що я на замісній терапії, і казали, що заберуть дитину."
            ),
            "when": "this_week",
            "region": "UA-30",
            "place": "transport",
            "who": "police",
            "uniform": "yes",
            "badge": "0471-КВ",
            "needs": ["legal"],
            "consents": ["follow_up", "statistics", "matching"],
            "method": "messenger",
            "contact": "@olena_demo",
        },
        {
            "what": ["money", "detained"],
            "story": (
                "Меня продержали в отделении всю ночь и отпустили, только когда подруга "
                "принесла деньги. Метадон не дали."
            ),
            "when": "this_month",
            "region": "UA-63",
            "place": "police_station",
            "who": "police",
            "needs": ["ost", "legal"],
            "consents": ["statistics"],
        },
    ],
    "KZ": [
        {
            "what": ["planted", "informant"],
            "story": (
                "Подкинули пакетик при досмотре и сказали, что отпустят, если буду сообщать, "
                "кто из знакомых употребляет."
            ),
            "when": "earlier",
            "region": "KZ-75",
            "place": "street",
            "who": "police",
            "vehicle": "123 ABC 02",
            "needs": ["legal"],
            "consents": ["statistics", "follow_up"],
            "method": "phone",
            "contact": "+7 700 000 0000",
        },
    ],
}


def create_demo_reports() -> int:
    """Submit the demo reports of each demo organisation once; return how many were new."""
    created = 0
    for organisation in Organisation.objects.filter(slug__in=["svitlo", "dostyk"]):
        if Submission.objects.filter(organisation=organisation).exists():
            continue
        for report in REPORTS.get(organisation.country, []):
            actions.submit(organisation, report)
            created += 1
    return created
