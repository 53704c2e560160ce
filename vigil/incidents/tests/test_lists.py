"""Incident and case lists: filters, pagination, constant query counts, role matrix."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from vigil.accounts.models import User
from vigil.cases import actions as case_actions
from vigil.cases.models import Case, CaseStatus
from vigil.conftest import World
from vigil.incidents import actions, filters
from vigil.incidents.models import Event, Person
from vigil.tests_matrix import Row, run_matrix
from vigil.vault import crypto, keys
from vigil.vocab.models import Term

DAY = datetime.date(2024, 5, 10)


def term(code: str) -> Term:
    return Term.objects.get(code=code)


@dataclass
class Perp:
    type: str = "PERP.POLICE.PATROL"
    name: str = ""
    badge: str = ""
    plate: str = ""
    phone: str = ""


@dataclass
class Maker:
    """Builds incidents through the action functions, as the wizard would."""

    world: World
    index_keys: dict[int, bytes] = field(default_factory=dict)

    def index_key(self, other: bool) -> bytes:
        org = self.world.other_org if other else self.world.org
        if org.pk not in self.index_keys:
            phrase = self.world.other_phrase if other else self.world.phrase
            private = keys.organisation_private_from_phrase(org, phrase)
            self.index_keys[org.pk] = crypto.blind_index_key(private)
        return self.index_keys[org.pk]

    def person(
        self, *, other: bool = False, by: str = "caseworker", name: str = "", phone: str = ""
    ) -> Person:
        persona = (self.world.others if other else self.world.people)[by]
        return actions.create_person(
            persona.user,
            persona.organisation,
            self.index_key(other),
            pseudonym="Lark",
            sealed={"legal_name": name, "phone": phone},
        )

    def __call__(
        self,
        title: str,
        *,
        other: bool = False,
        by: str = "caseworker",
        region: str = "UA-30",
        start: datetime.date = DAY,
        acts: Sequence[str] = ("ACT.DET.STOP",),
        victim: Person | None = None,
        perpetrators: Sequence[Perp] = (),
        draft: bool = False,
    ) -> Event:
        persona = (self.world.others if other else self.world.people)[by]
        new = actions.start_event(
            persona.user,
            persona.organisation,
            start_date=start,
            region=region,
            country=persona.organisation.country,
        )
        actions.save_event(persona.user, new.event, new.key, {"title": title})
        added = []
        if acts:
            its_victim = victim if victim is not None else self.person(other=other, by=by)
            added = [
                actions.add_act(persona.user, new.event, victim=its_victim, act_type=term(code))
                for code in acts
            ]
        for perp in perpetrators:
            actions.add_perpetrator(
                persona.user,
                new.event,
                new.key,
                self.index_key(other),
                perpetrator_type=term(perp.type),
                sealed={
                    "name": perp.name,
                    "badge": perp.badge,
                    "plate": perp.plate,
                    "phone": perp.phone,
                },
                acts=added,
            )
        if not draft:
            actions.finish_event(persona.user, new.event)
        return new.event


@pytest.fixture
def make(world: World) -> Maker:
    return Maker(world)


def titles(response: object) -> str:
    """The results part of a list page (the filter form's options would match titles too)."""
    body: str = response.content.decode()  # type: ignore[attr-defined]
    return body.split('id="results"', 1)[-1]


def shown(client: Client, url: str, *expected: str, absent: Sequence[str] = ()) -> None:
    response = client.get(url)
    assert response.status_code == 200
    body = titles(response)
    for text in expected:
        assert text in body, f"{text} missing from {url}"
    for text in absent:
        assert text not in body, f"{text} unexpectedly in {url}"


# --- role matrix -------------------------------------------------------------------------------

# columns: anon coordinator caseworker lawyer hotline analyst referral police_liaison
#          network_analyst other_org
ROWS: list[Row] = [
    ("GET", "/incidents/", "302 200 200 200 200 403 403 403 403 200"),
    (
        "GET",
        "/incidents/?status=recorded&region=UA-30&page=2",
        "302 200 200 200 200 403 403 403 403 200",
    ),
    ("GET", "/cases/", "302 200 200 200 403 403 403 403 403 200"),
    ("GET", "/cases/?status=active&mine=on", "302 200 200 200 403 403 403 403 403 200"),
    ("GET", "/search/", "302 200 200 200 200 403 403 403 403 200"),
    ("POST", "/search/", "302 200 200 200 200 403 403 403 403 200"),
]


def test_it_matches_the_role_matrix(world: World, make: Maker) -> None:
    make("Matrix incident")
    assert run_matrix(world, ROWS, dict) == []


def test_it_shows_another_organisation_only_its_own_incidents(
    world: World, make: Maker, signed_in: Callable[..., Client]
) -> None:
    make("Svitlo incident")
    make("Dostyk incident", other=True, region="KZ-75")
    other = signed_in("coordinator", other=True)
    shown(other, "/incidents/", "Dostyk incident", absent=["Svitlo incident"])
    shown(signed_in("caseworker"), "/incidents/", "Svitlo incident", absent=["Dostyk incident"])


def test_it_shows_a_hotline_operator_only_the_incidents_she_entered(
    make: Maker, signed_in: Callable[..., Client]
) -> None:
    make("Entered by hotline", by="hotline")
    make("Entered by caseworker")
    shown(
        signed_in("hotline"), "/incidents/", "Entered by hotline", absent=["Entered by caseworker"]
    )


def test_it_shows_another_organisation_only_its_own_cases(
    world: World, make: Maker, signed_in: Callable[..., Client]
) -> None:
    ours = make("Ours")
    theirs = make("Theirs", other=True, region="KZ-75")
    case_actions.open_case(world["caseworker"].user, ours.acts.all()[0].victim, [ours])
    other_user = world.others["caseworker"].user
    case_actions.open_case(other_user, theirs.acts.all()[0].victim, [theirs])
    body = titles(signed_in("coordinator", other=True).get("/cases/"))
    assert "Almaty" in body and "Kyiv" not in body


# --- incident filters ------------------------------------------------------------------------


def test_it_lists_incidents_newest_first_with_decrypted_titles(
    make: Maker, signed_in: Callable[..., Client]
) -> None:
    make("First incident")
    make("Second incident", acts=("ACT.DET.STOP", "ACT.DET.SEARCH"))
    body = titles(signed_in("caseworker").get("/incidents/"))
    assert body.index("Second incident") < body.index("First incident")
    assert "E-00002" in body and "Kyiv" in body
    assert '<td class="num">2</td>' in body  # act count


def test_it_filters_incidents_by_status(make: Maker, signed_in: Callable[..., Client]) -> None:
    make("Recorded one")
    make("Draft one", draft=True)
    client = signed_in("caseworker")
    shown(client, "/incidents/?status=draft", "Draft one", absent=["Recorded one"])
    shown(client, "/incidents/?status=recorded", "Recorded one", absent=["Draft one"])


def test_it_filters_incidents_by_date_range(make: Maker, signed_in: Callable[..., Client]) -> None:
    make("In March", start=datetime.date(2024, 3, 15))
    make("In May", start=datetime.date(2024, 5, 15))
    make("In July", start=datetime.date(2024, 7, 15))
    client = signed_in("caseworker")
    shown(
        client,
        "/incidents/?date_from=2024-04-01&date_to=2024-06-30",
        "In May",
        absent=["In March", "In July"],
    )
    shown(client, "/incidents/?date_to=2024-03-15", "In March", absent=["In May", "In July"])


def test_it_filters_incidents_by_region_of_the_organisations_country(
    make: Maker, signed_in: Callable[..., Client]
) -> None:
    make("In Kyiv", region="UA-30")
    make("In Lviv", region="UA-46")
    client = signed_in("caseworker")
    shown(client, "/incidents/?region=UA-46", "In Lviv", absent=["In Kyiv"])
    response = client.get("/incidents/?region=KZ-75")  # not a region of this country
    assert "is not one of the available choices" in response.content.decode()
    assert "In Kyiv" in titles(response) and "In Lviv" in titles(response)


def test_it_filters_act_types_at_any_level_of_the_hierarchy(
    make: Maker, signed_in: Callable[..., Client]
) -> None:
    make("Stopped", acts=("ACT.DET.STOP",))
    make("Beaten", acts=("ACT.PHYS.BEATING",))
    client = signed_in("caseworker")
    parent = term("ACT.DET").pk
    shown(client, f"/incidents/?act_type={parent}", "Stopped", absent=["Beaten"])
    child = term("ACT.DET.SEARCH").pk
    shown(client, f"/incidents/?act_type={child}", absent=["Stopped", "Beaten"])
    exact = term("ACT.PHYS.BEATING").pk
    shown(client, f"/incidents/?act_type={exact}", "Beaten", absent=["Stopped"])


def test_it_filters_perpetrator_types_at_any_level(
    make: Maker, signed_in: Callable[..., Client]
) -> None:
    make("By patrol", perpetrators=[Perp("PERP.POLICE.PATROL")])
    make("By partner", perpetrators=[Perp("PERP.PARTNER_FAMILY")])
    make("By nobody known")
    client = signed_in("caseworker")
    state = term("PERP.STATE").pk  # two levels above patrol police
    shown(client, f"/incidents/?perpetrator_type={state}", "By patrol", absent=["By partner"])
    private = term("PERP.NONSTATE").pk
    shown(client, f"/incidents/?perpetrator_type={private}", "By partner", absent=["By patrol"])


def test_it_filters_incidents_by_case_assignee_and_by_creator(
    world: World, make: Maker, signed_in: Callable[..., Client]
) -> None:
    assigned = make("Lawyer incident")
    make("Coordinator incident", by="coordinator")
    lawyer = world["lawyer"].user
    case_actions.open_case(lawyer, assigned.acts.all()[0].victim, [assigned], [lawyer])
    client = signed_in("caseworker")
    shown(client, f"/incidents/?assignee={lawyer.pk}", "Lawyer incident", absent=["Coordinator"])
    shown(client, "/incidents/?mine=on", "Lawyer incident", absent=["Coordinator"])
    coordinator = signed_in("coordinator")
    shown(coordinator, "/incidents/?mine=on", "Coordinator incident", absent=["Lawyer"])


def test_it_combines_filters(make: Maker, signed_in: Callable[..., Client]) -> None:
    make("Match", region="UA-46", acts=("ACT.EXT.BRIBE",))
    make("Wrong region", region="UA-30", acts=("ACT.EXT.BRIBE",))
    make("Wrong act", region="UA-46", acts=("ACT.DET.STOP",))
    url = f"/incidents/?region=UA-46&act_type={term('ACT.EXT').pk}"
    shown(signed_in("caseworker"), url, "Match", absent=["Wrong region", "Wrong act"])


def test_it_lists_an_incident_once_however_many_acts_match(
    make: Maker, signed_in: Callable[..., Client]
) -> None:
    make("Many acts", acts=("ACT.DET.STOP", "ACT.DET.SEARCH", "ACT.DET.ARBITRARY"))
    body = titles(signed_in("caseworker").get(f"/incidents/?act_type={term('ACT.DET').pk}"))
    assert body.count("Many acts") == 1
    assert "1 incident" in body


def test_it_works_without_javascript_as_a_plain_get_form(signed_in: Callable[..., Client]) -> None:
    body = signed_in("caseworker").get("/incidents/").content.decode()
    assert '<form method="get" action="/incidents/"' in body
    assert 'name="act_type"' in body and 'name="date_from"' in body
    assert "<script>" not in body and "style=" not in body


def test_it_paginates_25_a_page_and_keeps_the_filters(
    make: Maker, signed_in: Callable[..., Client]
) -> None:
    victim = make.person()
    for i in range(30):
        make(f"Numbered {i:02d}", victim=victim)
    client = signed_in("caseworker")
    first = titles(client.get("/incidents/?status=recorded"))
    assert first.count("Numbered ") == 25
    assert "Numbered 29" in first and "Numbered 04" not in first
    assert "status=recorded&amp;page=2" in first
    second = titles(client.get("/incidents/?status=recorded&page=2"))
    assert second.count("Numbered ") == 5 and "Numbered 00" in second
    assert "Numbered 29" not in second


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


FILTERED = "/incidents/?status=recorded&region=UA-30&act_type={act}&perpetrator_type={perp}"


def test_it_costs_the_same_number_of_queries_for_5_and_40_incidents(
    make: Maker, signed_in: Callable[..., Client], django_assert_num_queries: Callable
) -> None:
    client = signed_in("caseworker")
    victim = make.person()
    patrol = [Perp("PERP.POLICE.PATROL", badge="123")]
    for i in range(5):
        make(
            f"Row {i}", victim=victim, perpetrators=patrol, acts=("ACT.DET.STOP", "ACT.DET.SEARCH")
        )
    filtered = FILTERED.format(act=term("ACT.DET").pk, perp=term("PERP.POLICE").pk)
    few = {url: _queries(client, url) for url in ("/incidents/", filtered)}
    for i in range(35):
        make(
            f"More {i}", victim=victim, perpetrators=patrol, acts=("ACT.DET.STOP", "ACT.DET.SEARCH")
        )
    for url, count in few.items():
        with django_assert_num_queries(count):
            response = client.get(url)
        assert titles(response).count("<tr>") == 25 + 1  # header row + a full page


# --- case list ------------------------------------------------------------------------------


def _case(world: World, event: Event, *, status: str = "", assignees: Sequence[str] = ()) -> Case:
    users: list[User] = [world[role].user for role in assignees]
    case = case_actions.open_case(
        world["caseworker"].user, event.acts.all()[0].victim, [event], users
    )
    if status:
        Case.objects.filter(pk=case.case.pk).update(status=status)
    return case.case


def test_it_filters_cases_by_status_assignee_and_me(
    world: World, make: Maker, signed_in: Callable[..., Client]
) -> None:
    active = _case(world, make("a"), status=CaseStatus.ACTIVE, assignees=["lawyer"])
    closed = _case(world, make("b"), status=CaseStatus.CLOSED, assignees=["caseworker"])
    client = signed_in("caseworker")
    shown(client, "/cases/?status=active", active.code, absent=[closed.code])
    shown(client, f"/cases/?assignee={world['lawyer'].user.pk}", active.code, absent=[closed.code])
    shown(client, "/cases/?mine=on", closed.code, absent=[active.code])
    shown(signed_in("lawyer"), "/cases/?mine=on", active.code, absent=[closed.code])


def test_it_filters_cases_by_opening_date(
    world: World, make: Maker, signed_in: Callable[..., Client]
) -> None:
    old = _case(world, make("a"))
    new = _case(world, make("b"))
    when = timezone.make_aware(datetime.datetime(2023, 1, 15, 23, 30))
    Case.objects.filter(pk=old.pk).update(opened_at=when)
    client = signed_in("caseworker")
    shown(client, "/cases/?opened_to=2023-01-15", old.code, absent=[new.code])
    shown(client, "/cases/?opened_from=2023-01-16", new.code, absent=[old.code])


def test_it_filters_cases_through_their_incidents(
    world: World, make: Maker, signed_in: Callable[..., Client]
) -> None:
    kyiv = _case(world, make("k", region="UA-30", acts=("ACT.HEALTH.OST_INTERRUPTION",)))
    lviv = _case(
        world,
        make("l", region="UA-46", acts=("ACT.PHYS.BEATING",), perpetrators=[Perp("PERP.CLIENT")]),
    )
    client = signed_in("caseworker")
    shown(client, "/cases/?region=UA-46", lviv.code, absent=[kyiv.code])
    shown(client, f"/cases/?act_type={term('ACT.HEALTH').pk}", kyiv.code, absent=[lviv.code])
    shown(
        client,
        f"/cases/?perpetrator_type={term('PERP.NONSTATE').pk}",
        lviv.code,
        absent=[kyiv.code],
    )


def test_it_shows_case_columns(world: World, make: Maker, signed_in: Callable[..., Client]) -> None:
    case = _case(world, make("x", region="UA-46"), status=CaseStatus.ACTIVE, assignees=["lawyer"])
    body = titles(signed_in("caseworker").get("/cases/"))
    assert case.code in body and "Lark" in body and "Lviv Oblast" in body
    assert world["lawyer"].user.username in body and "Active" in body


def test_it_costs_the_same_number_of_queries_for_5_and_40_cases(
    world: World, make: Maker, signed_in: Callable[..., Client], django_assert_num_queries: Callable
) -> None:
    client = signed_in("caseworker")
    url = f"/cases/?status=active&region=UA-30&act_type={term('ACT.DET').pk}"
    for _ in range(5):
        _case(world, make("c"), status=CaseStatus.ACTIVE, assignees=["lawyer", "caseworker"])
    few = {u: _queries(client, u) for u in ("/cases/", url)}
    for _ in range(35):
        _case(world, make("c"), status=CaseStatus.ACTIVE, assignees=["lawyer", "caseworker"])
    for u, count in few.items():
        with django_assert_num_queries(count):
            response = client.get(u)
        assert titles(response).count("<tr>") == 25 + 1


def test_it_lists_without_titles_when_the_session_cannot_open_sealed_data(
    world: World, make: Maker, signed_in: Callable[..., Client]
) -> None:
    make("Readable only with the key")
    keys.revoke(world["caseworker"].membership)
    response = signed_in("caseworker").get("/incidents/")
    body = response.content.decode()
    assert response.status_code == 200 and "E-00001" in body
    assert "Readable only with the key" not in body and "cannot open sealed data" in body


def test_it_caps_the_count_of_a_long_list(
    make: Maker, signed_in: Callable[..., Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(filters, "COUNT_CAP", 50)
    victim = make.person()
    for i in range(52):
        make(f"Capped {i:02d}", victim=victim)
    client = signed_in("caseworker")
    body = titles(client.get("/incidents/"))
    assert "More than 50 incidents: add a filter" in body
    last = titles(client.get("/incidents/?page=9"))  # clamped to the last counted page
    assert "Page 2" in last and "Capped 02" in last and "Capped 01" not in last
    assert "Next" not in last
    assert "52 incidents" not in body


def test_it_lists_a_shredded_incident_as_destroyed(
    world: World, make: Maker, signed_in: Callable[..., Client]
) -> None:
    event = make("Shredded title")
    actions.shred_event(world["coordinator"].user, event)
    body = titles(signed_in("caseworker").get("/incidents/"))
    assert "(content destroyed)" in body and "Shredded title" not in body
    assert "cannot open sealed data" not in body
