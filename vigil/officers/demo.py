"""Demo repeat officers and an imported complaint register (never in production).

Runs for a demo organisation just created (its recovery phrase is at hand):
three officers who recur across incidents whose victims consented to
matching (typed differently each time, as people do), two of them together,
and a small published register that names one of them again.
"""

from __future__ import annotations

import datetime

from vigil.accounts.models import Organisation, User
from vigil.cases import consent
from vigil.cases.models import ConsentPurpose
from vigil.incidents import actions as incident_actions
from vigil.officers import actions, jobs
from vigil.vault import crypto, keys
from vigil.vocab.models import Term

# Per country: (region, act, perpetrators' sealed identifiers) per incident.
INCIDENTS: dict[str, list[tuple[str, str, list[dict[str, str]]]]] = {
    "UA": [
        ("UA-30", "ACT.PHYS.BEATING", [{"badge": "АВ 0471", "name": "Гаврилюк Петро"}]),
        ("UA-30", "ACT.DET.SEARCH", [{"badge": "ab-0471"}, {"name": "Шевчук Олег"}]),
        ("UA-30", "ACT.DET.STOP", [{"name": "Havryliuk Petro"}, {"name": "Shevchuk Oleh"}]),
        ("UA-30", "ACT.PHYS.BEATING", [{"badge": "AB0471", "plate": "АА 1234 ВХ"}]),
        ("UA-63", "ACT.DET.STOP", [{"plate": "AA1234BX", "phone": "067 123 4567"}]),
        ("UA-63", "ACT.DET.SEARCH", [{"phone": "+380671234567"}]),
    ],
    "KZ": [
        ("KZ-75", "ACT.DET.SEARCH", [{"badge": "Қ-1205", "name": "Қасымов Ерлан"}]),
        ("KZ-75", "ACT.PHYS.BEATING", [{"badge": "K1205"}, {"name": "Ахметов Болат"}]),
        ("KZ-75", "ACT.DET.STOP", [{"name": "Kasymov Erlan"}, {"name": "Akhmetov Bolat"}]),
    ],
}
REGISTERS: dict[str, str] = {
    "UA": (
        "ПІБ;Жетон;Область;Дата скарги;Категорія;Рішення\n"
        "Гаврилюк Петро;АВ-0471;Київ;14.02.2023;побиття;підтверджено\n"
        "Гаврилюк П.;0471-АВ;UA-30;02.09.2023;вимагання;не підтверджено\n"
        "Мельник Ігор;3310;UA-46;11.11.2023;образи;необґрунтована\n"
        "Мельник Ігор;3310;UA-46;12.01.2024;побиття;без рішення\n"
    ),
    "KZ": (
        "ФИО;Жетон;Регион;Дата жалобы;Категория;Решение\n"
        "Касымов Ерлан;K-1205;KZ-75;2023-05-04;вымогательство;подтверждено\n"
        "Касымов Е.;Қ 1205;KZ-75;2024-01-19;избиение;не подтверждено\n"
    ),
}
COLUMNS = {
    "UA": {
        "name": "ПІБ",
        "badge": "Жетон",
        "region": "Область",
        "complaint_date": "Дата скарги",
        "category": "Категорія",
        "finding": "Рішення",
    },
    "KZ": {
        "name": "ФИО",
        "badge": "Жетон",
        "region": "Регион",
        "complaint_date": "Дата жалобы",
        "category": "Категория",
        "finding": "Решение",
    },
}


def create_demo_officers(organisation: Organisation, phrase: str, user: User) -> int:
    """Incidents with repeat officers and one imported register; returns incidents made."""
    private = keys.organisation_private_from_phrase(organisation, phrase)
    index_key = crypto.blind_index_key(private)
    made = 0
    for number, (region, act, officers) in enumerate(INCIDENTS.get(organisation.country, [])):
        new = incident_actions.start_event(
            user,
            organisation,
            start_date=datetime.date(2025, 1, 10) + datetime.timedelta(days=40 * number),
            country=organisation.country,
            region=region,
        )
        incident_actions.save_event(user, new.event, new.key, {"title": f"Demo {number + 1}"})
        victim = incident_actions.create_person(
            user, organisation, index_key, pseudonym=f"Demo {number + 1}"
        )
        acts = [
            incident_actions.add_act(
                user, new.event, victim=victim, act_type=Term.objects.get(code=act)
            )
        ]
        for values in officers:
            incident_actions.add_perpetrator(
                user, new.event, new.key, index_key, perpetrator_type=None, sealed=values, acts=acts
            )
        incident_actions.finish_event(user, new.event)
        consent.record_consent(user, victim, ConsentPurpose.MATCHING, True)
        made += 1
    _register(organisation, private, index_key, user)
    return made


def _register(organisation: Organisation, private: bytes, index_key: bytes, user: User) -> None:
    text = REGISTERS.get(organisation.country)
    if not text:
        return
    register = actions.upload_register(
        user, organisation, source_name="Demo ombudsman register", data=text.encode("utf-8")
    )
    register_key = crypto.unseal(private, bytes(register.sealed_key or b""))
    actions.queue_import(
        user,
        register,
        mapping=COLUMNS[organisation.country],
        identity=["badge", "region"],
        unknown_as_other=True,
        dry_run=False,
        register_key=register_key,
        index_key=index_key,
        via="demo",
    )
    jobs.execute(register, register_key, index_key)
