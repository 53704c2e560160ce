"""Counts against the hand-computed expectations of ``fixtures.py``."""

from __future__ import annotations

import datetime

import pytest

from vigil.conftest import World
from vigil.stats import aggregate
from vigil.stats.aggregate import Dim, Filters, Group, Scope, Unit, count
from vigil.stats.tests.fixtures import Data, term
from vigil.vocab.models import Term

pytestmark = pytest.mark.django_db


def org_scope(world: World) -> Scope:
    return Scope.for_organisation(world.org)


def by_code(raw: aggregate.RawTable) -> dict[str, int]:
    """Row key -> count, with term ids turned into codes and dates into YYYY-MM."""
    result = {}
    for key in raw.row_keys:
        if isinstance(key, int):
            name = Term.objects.get(pk=key).code
        elif isinstance(key, datetime.date):
            name = key.isoformat()[:7]
        else:
            name = "" if key is None else str(key)
        result[name] = raw.cell(key)
    return result


def test_it_counts_only_recorded_incidents_with_statistics_consent(
    world: World, data: Data
) -> None:
    scope = org_scope(world)
    assert set(aggregate.events(scope).values_list("pk", flat=True)) == {
        data.events["E1"].pk,
        data.events["E2"].pk,
        data.events["E3"].pk,
    }
    assert data.events["E4"].stats_consent is False  # P4 never consented
    assert data.events["E5"].stats_consent is True  # consented but still a draft
    figures = aggregate.key_figures(scope, threshold=1)
    assert figures == {Unit.INCIDENTS: 3, Unit.ACTS: 6, Unit.VICTIMS: 3}


def test_it_drops_an_incident_when_its_victim_withdraws_consent(world: World, data: Data) -> None:
    from vigil.cases.consent import record_consent

    record_consent(world["caseworker"].user, data.people["P3"], "statistics", False)
    figures = aggregate.key_figures(org_scope(world), threshold=1)
    assert figures == {Unit.INCIDENTS: 2, Unit.ACTS: 4, Unit.VICTIMS: 2}


def test_it_counts_by_month_with_empty_months_filled(world: World, data: Data) -> None:
    scope = org_scope(world)
    assert by_code(count(scope, Unit.ACTS, Group(Dim.MONTH))) == {
        "2025-01": 4,
        "2025-02": 0,
        "2025-03": 2,
    }
    incidents = count(scope, Unit.INCIDENTS, Group(Dim.MONTH))
    assert by_code(incidents) == {"2025-01": 2, "2025-02": 0, "2025-03": 1}
    assert incidents.total == 3
    assert by_code(count(scope, Unit.ACTS, Group(Dim.QUARTER))) == {"2025-01": 6}
    assert by_code(count(scope, Unit.VICTIMS, Group(Dim.YEAR))) == {"2025-01": 3}


def test_it_counts_act_types_at_any_level_of_the_hierarchy(world: World, data: Data) -> None:
    scope = org_scope(world)
    top = Group(Dim.ACT_TYPE, 0)
    assert by_code(count(scope, Unit.ACTS, top)) == {"ACT.SEX": 1, "ACT.PHYS": 3, "ACT.EXT": 2}
    # An incident counts once in each type it contains, so rows exceed the total.
    incidents = count(scope, Unit.INCIDENTS, top)
    assert by_code(incidents) == {"ACT.SEX": 1, "ACT.PHYS": 2, "ACT.EXT": 2}
    assert incidents.total == 3
    victims = count(scope, Unit.VICTIMS, top)
    assert by_code(victims) == {"ACT.SEX": 1, "ACT.PHYS": 3, "ACT.EXT": 2}
    assert victims.total == 3
    leaf = count(scope, Unit.ACTS, Group(Dim.ACT_TYPE))
    assert by_code(leaf) == {"ACT.SEX.RAPE": 1, "ACT.PHYS.BEATING": 3, "ACT.EXT.BRIBE": 2}


def test_it_counts_perpetrator_types_places_regions_and_channels(world: World, data: Data) -> None:
    scope = org_scope(world)
    perp = count(scope, Unit.INCIDENTS, Group(Dim.PERPETRATOR_TYPE))
    assert by_code(perp) == {"PERP.POLICE.PATROL": 2, "PERP.POLICE.DRUG": 2}
    assert by_code(count(scope, Unit.ACTS, Group(Dim.PERPETRATOR_TYPE))) == {
        "PERP.POLICE.PATROL": 5,
        "PERP.POLICE.DRUG": 3,
    }
    assert by_code(count(scope, Unit.INCIDENTS, Group(Dim.PERPETRATOR_TYPE, 0))) == {
        "PERP.STATE": 3
    }
    assert by_code(count(scope, Unit.INCIDENTS, Group(Dim.PLACE_TYPE))) == {
        "PLACE.STREET": 2,
        "PLACE.POLICE_STATION": 1,
    }
    assert by_code(count(scope, Unit.INCIDENTS, Group(Dim.REGION))) == {"UA-32": 2, "UA-46": 1}
    assert by_code(count(scope, Unit.ACTS, Group(Dim.REGION))) == {"UA-32": 4, "UA-46": 2}
    assert by_code(count(scope, Unit.INCIDENTS, Group(Dim.COUNTRY))) == {"UA": 3}
    assert by_code(count(scope, Unit.INCIDENTS, Group(Dim.SOURCE_CHANNEL))) == {
        "hotline": 1,
        "outreach": 2,
    }


def test_it_counts_victim_characteristics(world: World, data: Data) -> None:
    scope = org_scope(world)
    assert by_code(count(scope, Unit.VICTIMS, Group(Dim.PRIMARY_GROUP))) == {
        "CHAR.USES_DRUGS": 1,
        "CHAR.SEX_WORKER": 1,
        "CHAR.OST_CLIENT": 1,
    }
    any_of = count(scope, Unit.VICTIMS, Group(Dim.CHARACTERISTIC))
    assert by_code(any_of) == {
        "CHAR.USES_DRUGS": 1,
        "CHAR.OST_CLIENT": 1,
        "CHAR.SEX_WORKER": 1,
        "CHAR.HIV": 2,
    }
    assert by_code(count(scope, Unit.VICTIMS, Group(Dim.AGE_BAND))) == {
        "18-24": 1,
        "25-34": 1,
        "35-44": 1,
    }


def test_it_counts_responses_and_case_outcomes(world: World, data: Data) -> None:
    scope = org_scope(world)
    assert by_code(count(scope, Unit.INCIDENTS, Group(Dim.INTERVENTION_TYPE))) == {
        "INTV.LEGAL_ADVICE": 1,
        "INTV.PSYCHOSOCIAL": 1,
        "INTV.REFERRAL": 1,
        "": 1,  # E2 has no case
    }
    assert by_code(count(scope, Unit.INCIDENTS, Group(Dim.CASE_OUTCOME))) == {
        "OUTC.RESOLVED_FULLY": 1,
        "": 2,
    }
    response = aggregate.response_figures(scope, threshold=1)
    # E1: first intervention one day after; E3: the same day.
    assert [v for _h, v in response.contact_bands.series()] == [1, 1, 0, 0, 0]
    assert response.median_days == 0.5
    assert response.responded == 2
    # C1 has legal advice, C2 only a referral; C3 (no consent) is not counted.
    assert [v for _h, v in response.legal.series()] == [1, 1]
    assert response.legal_share == 50.0


def test_it_counts_a_filed_complaint_as_legal_support(world: World, data: Data) -> None:
    from vigil.cases.models import Case
    from vigil.complaints.models import ActionType, LegalAction, OversightBody

    c2 = Case.objects.get(client=data.people["P3"])
    body = OversightBody.objects.filter(organisation__isnull=True).first()
    assert body is not None
    complaint = LegalAction.objects.create(
        organisation=world.org, number=1, case=c2, action_type=ActionType.values[0], body=body
    )
    scope = org_scope(world)
    # A draft is not yet legal aid given.
    assert [v for _h, v in aggregate.response_figures(scope, threshold=1).legal.series()] == [1, 1]
    LegalAction.objects.filter(pk=complaint.pk).update(submitted_on=datetime.date(2025, 3, 10))
    response = aggregate.response_figures(scope, threshold=1)
    assert [v for _h, v in response.legal.series()] == [2, 0]
    assert response.legal_share == 100.0


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(act_types=("ACT.PHYS",)), (2, 3, 3)),
        (Filters(act_types=("ACT.SEX.RAPE",)), (1, 1, 1)),
        (Filters(regions=("UA-32",)), (2, 4, 2)),
        (Filters(characteristics=("CHAR.HIV",)), (2, 4, 2)),
        (Filters(characteristics=("CHAR.HIV", "CHAR.SEX_WORKER")), (3, 6, 3)),
        (Filters(primary_groups=("CHAR.SEX_WORKER",)), (2, 2, 1)),
        (Filters(age_bands=("35-44",)), (1, 2, 1)),
        (Filters(source_channels=("hotline",)), (1, 1, 1)),
        (Filters(place_types=("PLACE.STREET",)), (2, 5, 3)),
        (Filters(perpetrator_types=("PERP.POLICE.DRUG",)), (2, 3, 2)),
        (Filters(perpetrator_types=("PERP.STATE",)), (3, 6, 3)),
        (Filters(intervention_types=("INTV.LEGAL_ADVICE",)), (1, 3, 2)),
        (Filters(case_outcomes=("OUTC.RESOLVED_FULLY",)), (1, 2, 1)),
        (Filters(date_from=datetime.date(2025, 2, 1)), (1, 2, 1)),
        (Filters(date_to=datetime.date(2025, 1, 31)), (2, 4, 2)),
        (Filters(countries=("KZ",)), (0, 0, 0)),
    ],
)
def test_it_applies_each_filter(
    world: World, data: Data, filters: Filters, expected: tuple[int, int, int]
) -> None:
    figures = aggregate.key_figures(org_scope(world), filters, threshold=1)
    assert (figures[Unit.INCIDENTS], figures[Unit.ACTS], figures[Unit.VICTIMS]) == expected


def test_it_crosses_two_dimensions_with_direct_totals(world: World, data: Data) -> None:
    raw = count(org_scope(world), Unit.ACTS, Group(Dim.MONTH), Group(Dim.ACT_TYPE, 0), Filters())
    sex, phys, ext = (term(c).pk for c in ("ACT.SEX", "ACT.PHYS", "ACT.EXT"))
    jan, mar = datetime.date(2025, 1, 1), datetime.date(2025, 3, 1)
    assert raw.cell(jan, sex) == 1
    assert raw.cell(jan, phys) == 2
    assert raw.cell(jan, ext) == 1
    assert raw.cell(mar, phys) == 1
    assert raw.cell(mar, ext) == 1
    assert raw.row_totals[jan] == 4
    assert raw.column_totals[phys] == 3
    assert raw.total == 6


def test_it_never_counts_another_organisation_without_a_network(world: World, data: Data) -> None:
    other = aggregate.key_figures(Scope.for_organisation(world.other_org), threshold=1)
    assert other == {Unit.INCIDENTS: 2, Unit.ACTS: 2, Unit.VICTIMS: 2}
    mine = aggregate.key_figures(org_scope(world), Filters(countries=("KZ",)), threshold=1)
    assert mine[Unit.INCIDENTS] == 0


def test_it_combines_opted_in_organisations_and_counts_cross_reports_once(
    world: World, data: Data
) -> None:
    from vigil.stats import actions

    network = actions.create_network(None, world.org, name="EECA network", slug="eeca")
    a, b = world["coordinator"], world.others["coordinator"]
    assert aggregate.key_figures(Scope.for_network(network), threshold=1)[Unit.INCIDENTS] == 0

    actions.set_network_share(a.user, a.membership, network, True)
    assert aggregate.key_figures(Scope.for_network(network), threshold=1) == {
        Unit.INCIDENTS: 3,
        Unit.ACTS: 6,
        Unit.VICTIMS: 3,
    }
    with pytest.raises(PermissionError):  # not a member until invited and accepted
        actions.set_network_share(b.user, b.membership, network, True)
    invitation = actions.invite_organisation(a.user, a.membership, network, world.other_org)
    actions.answer_invitation(b.user, b.membership, invitation, accept=False)
    actions.invite_organisation(a.user, a.membership, network, world.other_org)
    actions.answer_invitation(b.user, b.membership, invitation, accept=True)
    actions.set_network_share(b.user, b.membership, network, True)
    # E6 adds one incident; E7 is E1 reported again and is not counted twice.
    assert aggregate.key_figures(Scope.for_network(network), threshold=1) == {
        Unit.INCIDENTS: 4,
        Unit.ACTS: 7,
        Unit.VICTIMS: 4,
    }
    regions = count(Scope.for_network(network), Unit.INCIDENTS, Group(Dim.REGION))
    assert by_code(regions) == {"KZ-19": 1, "UA-32": 2, "UA-46": 1}

    actions.set_network_share(a.user, a.membership, network, False)
    # Without A's copy in the network, B's copy of the shared incident counts.
    assert aggregate.key_figures(Scope.for_network(network), threshold=1)[Unit.INCIDENTS] == 2


def test_it_suppresses_small_cells_in_published_tables(world: World, data: Data) -> None:
    scope = org_scope(world)
    assert aggregate.key_figures(scope) == {
        Unit.INCIDENTS: None,
        Unit.ACTS: 6,
        Unit.VICTIMS: None,
    }
    table = aggregate.table(scope, Unit.ACTS, Group(Dim.MONTH))
    # January 4 (small) and March 2 (small) hidden, February's 0 shown, total 6 shown.
    assert [v for _h, v in table.series()] == [None, 0, None]
    assert table.total == 6
    assert [h.code for h in table.rows] == ["2025-01", "2025-02", "2025-03"]


def test_it_counts_by_year_quarter_and_month_alike_on_every_database(
    world: World, data: Data
) -> None:
    """Month and year use the database's own date functions (see ``_NativeTrunc``)."""
    scope = org_scope(world)
    assert by_code(count(scope, Unit.ACTS, Group(Dim.YEAR))) == {"2025-01": 6}  # 2025
    quarters = count(scope, Unit.INCIDENTS, Group(Dim.QUARTER))
    assert [(key.isoformat(), quarters.cell(key)) for key in quarters.row_keys] == [
        ("2025-01-01", 3)
    ]
    by_month = count(scope, Unit.ACTS, Group(Dim.MONTH), Group(Dim.YEAR))
    assert by_month.cell(datetime.date(2025, 3, 1), datetime.date(2025, 1, 1)) == 2
    assert by_month.total == 6


def test_it_counts_distinct_units_only_where_a_grouping_repeats_rows(
    world: World, data: Data, django_assert_max_num_queries: object
) -> None:
    """E3 has two perpetrator types: its two acts count once in each, never twice in one."""
    scope = org_scope(world)
    perpetrators = by_code(count(scope, Unit.ACTS, Group(Dim.PERPETRATOR_TYPE)))
    assert perpetrators == {"PERP.POLICE.PATROL": 5, "PERP.POLICE.DRUG": 3}
    with aggregate.shared_totals():
        aggregate.key_figures(scope)
        with django_assert_max_num_queries(3):  # type: ignore[operator]
            table = count(scope, Unit.ACTS, Group(Dim.REGION))  # the total is reused
    assert table.total == 6


def test_an_organisation_without_responses_has_no_median_even_at_threshold_0(
    world: World,
) -> None:
    # Nobody responded yet: an empty histogram reached the median and failed.
    response = aggregate.response_figures(org_scope(world), threshold=0)
    assert response.responded == 0
    assert response.median_days is None
