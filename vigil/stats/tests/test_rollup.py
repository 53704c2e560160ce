"""Roll-ups give the live aggregation's numbers, stay current through the worker, and
keep the dashboard's query count independent of the data's size."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vigil.accounts.models import Organisation
from vigil.alerts import figures as alert_figures
from vigil.cases.consent import record_consent
from vigil.cases.models import Case, ConsentPurpose, Intervention
from vigil.conftest import World
from vigil.incidents import actions as incident_actions
from vigil.incidents.models import Act, Event, EventStatus, Perpetrator, Person
from vigil.stats import aggregate, hooks, rollup
from vigil.stats.aggregate import TABLE_UNITS, Dim, Filters, Group, Scope, Unit
from vigil.stats.models import CrossReport, RollupCell, RollupEventState, RollupFirstSeen
from vigil.stats.tests.fixtures import Data
from vigil.vocab.models import Term

D = datetime.date
MONTHS = [D(2025, 1, 1), D(2025, 2, 1), D(2025, 3, 1), D(2025, 5, 1), D(2026, 1, 1)]
FILTERS = [
    Filters(),
    Filters(date_to=D(2025, 2, 28)),
    Filters(date_from=D(2025, 2, 1), date_to=D(2025, 12, 31)),
    Filters(date_from=D(2025, 3, 1)),
]
TWO_WAY = [
    (Group(Dim.MONTH), Group(Dim.ACT_TYPE, 0)),
    (Group(Dim.QUARTER), Group(Dim.PERPETRATOR_TYPE)),
    (Group(Dim.REGION), Group(Dim.YEAR)),
    (Group(Dim.MONTH), Group(Dim.CHARACTERISTIC, 0)),
]


def assert_same(scope: Scope) -> int:
    """Every table, key figure and response figure equals the live one; returns how many
    tables the roll-ups served (the rest were counted live on purpose)."""
    served = 0
    for filters in FILTERS:
        for unit in TABLE_UNITS:
            for dim in Dim:
                for depth in (None, 0):
                    group = Group(dim, depth)
                    with aggregate.shared_totals():
                        got = rollup.count(scope, unit, group, None, filters)
                    if got is not None:
                        served += 1
                        live = aggregate.count_live(scope, unit, group, None, filters)
                        assert got == live, (unit, group, filters)
            for rows, columns in TWO_WAY:
                got = rollup.count(scope, unit, rows, columns, filters)
                if got is not None:
                    served += 1
                    assert got == aggregate.count_live(scope, unit, rows, columns, filters)
        assert aggregate.key_figures(scope, filters, 1) == _live(
            aggregate.key_figures, scope, filters
        )
        assert aggregate.response_figures(scope, filters, 1) == _live(
            aggregate.response_figures, scope, filters
        )
        ugly_mugs = (scope.organisation_ids, filters.date_from, filters.date_to, 1)
        stored = alert_figures.figures(*ugly_mugs)
        with aggregate.counted_live():
            assert stored == alert_figures.figures(*ugly_mugs)
    return served


def _live(function: Any, scope: Scope, filters: Filters) -> Any:
    with aggregate.counted_live():
        return function(scope, filters, 1)


def test_the_roll_ups_of_the_hand_counted_data_equal_the_live_counts(
    world: World, data: Data
) -> None:
    rollup.rebuild(world.org.pk)
    rollup.rebuild(world.other_org.pk)
    scope = Scope.for_organisation(world.org)
    served = assert_same(scope)
    # every one-way table without a "from" month, and the time-by-dimension tables
    assert served > 150
    figures = aggregate.key_figures(scope, Filters(), 0)
    assert figures == {Unit.INCIDENTS: 3, Unit.ACTS: 6, Unit.VICTIMS: 3}
    # a network whose incidents are cross-reported needs the incidents: counted live
    network = Scope((world.org.pk, world.other_org.pk), 1)
    assert not rollup.servable(network, Filters())
    # without cross-reports a network's figures are its organisations' sums
    CrossReport.objects.all().delete()
    assert rollup.servable(network, Filters())
    assert assert_same(network) > 150


# --- random data ------------------------------------------------------------------------------

EVENT = st.fixed_dictionaries(
    {
        "month": st.sampled_from([*MONTHS, None]),
        "day": st.integers(1, 28),
        "recorded": st.booleans(),
        "consent": st.booleans(),
        "region": st.sampled_from(["UA-32", "UA-46", ""]),
        "acts": st.lists(st.tuples(st.integers(0, 4), st.integers(0, 5)), max_size=4),
        "perpetrators": st.lists(st.integers(0, 3), max_size=2),
        "case": st.none()
        | st.tuples(
            st.lists(st.tuples(st.integers(0, 4), st.integers(0, 40)), max_size=2),
            st.booleans(),
        ),
    }
)
EDIT = st.one_of(
    st.tuples(st.just("move"), st.integers(0, 9), st.sampled_from([*MONTHS, None])),
    st.tuples(st.just("consent"), st.integers(0, 9), st.booleans()),
    st.tuples(st.just("remove_act"), st.integers(0, 9), st.integers(0, 3)),
    st.tuples(st.just("retype"), st.integers(0, 9), st.integers(0, 5)),
    st.tuples(st.just("delete"), st.integers(0, 9), st.none()),
    st.tuples(st.just("person"), st.integers(0, 4), st.sampled_from(["18-24", "35-44", ""])),
    st.tuples(st.just("intervene"), st.integers(0, 9), st.integers(0, 4)),
)


def _terms(term_list: str) -> list[Term]:
    return list(Term.objects.filter(list=term_list).order_by("pk"))


def _clear(org: Organisation) -> None:
    Intervention.objects.filter(case__organisation=org).delete()
    Case.incidents.through.objects.filter(case__organisation=org).delete()
    Case.objects.filter(organisation=org).delete()
    Act.objects.filter(event__organisation=org).delete()
    Perpetrator.objects.filter(event__organisation=org).delete()
    Event.objects.filter(organisation=org).delete()
    Person.objects.filter(organisation=org).delete()
    for model in (RollupCell, RollupFirstSeen, RollupEventState):
        model.objects.filter(organisation=org).delete()


def _generate(world: World, events: list[dict[str, Any]], first: int = 1) -> list[Event]:
    org, user = world.org, world["caseworker"].user
    acts, perps, groups = _terms("act_type"), _terms("perpetrator_type"), _terms("characteristic")
    kinds, outcomes = _terms("intervention_type"), _terms("case_outcome")
    people = [
        Person.objects.create(
            organisation=org,
            pseudonym=f"P{first}-{i}",
            age_band=["18-24", "25-34", ""][i % 3],
            primary_group=groups[i % len(groups)] if i % 4 else None,
        )
        for i in range(5)
    ]
    for i, person in enumerate(people):
        person.characteristics.set(groups[i : i + 2])
    made = []
    for number, spec in enumerate(events, first):
        month = spec["month"]
        event = Event.objects.create(
            organisation=org,
            number=number,
            status=EventStatus.RECORDED if spec["recorded"] else EventStatus.DRAFT,
            start_date=month.replace(day=spec["day"]) if month else None,
            region=spec["region"],
            country="UA",
            stats_consent=spec["consent"],
        )
        for victim, act_type in spec["acts"]:
            Act.objects.create(event=event, victim=people[victim], act_type=acts[act_type])
        for kind in spec["perpetrators"]:
            Perpetrator.objects.create(event=event, perpetrator_type=perps[kind])
        if spec["case"] is not None:
            interventions, closed = spec["case"]
            case = Case.objects.create(
                organisation=org,
                number=number,
                client=people[0],
                outcome=outcomes[number % len(outcomes)] if closed else None,
            )
            case.incidents.set([event])
            for kind, days in interventions:
                Intervention.objects.create(
                    case=case,
                    intervention_type=kinds[kind % len(kinds)],
                    date=(month or D(2025, 1, 1)) + datetime.timedelta(days=days),
                    by=user,
                )
        made.append(event)
    return made


def _edit(world: World, events: list[Event], edit: tuple) -> None:
    """Change the data as an action would, then refresh what its audit event names."""
    kind, index, value = edit
    if kind == "person":
        target: Any = Person.objects.filter(organisation=world.org).order_by("pk")[index]
    else:
        target = Event.objects.filter(pk=events[index % len(events)].pk).first()
        if target is None:  # deleted earlier
            return
    before = hooks.concerned(target)
    if kind == "move":
        target.start_date = value.replace(day=15) if value else None
        target.save()
    elif kind == "consent":
        Event.objects.filter(pk=target.pk).update(stats_consent=value)
    elif kind == "remove_act":
        act = Act.objects.filter(event=target).order_by("pk")[value : value + 1].first()
        if act is None:
            return
        before = hooks.concerned(act)
        act.delete()
    elif kind == "retype":
        Act.objects.filter(event=target).update(act_type=_terms("act_type")[value])
    elif kind == "delete":
        Case.incidents.through.objects.filter(event=target).delete()
        target.delete()
    elif kind == "person":
        target.age_band = value
        target.save()
    elif kind == "intervene":
        case = Case.objects.filter(incidents=target).first()
        if case is None:
            return
        before = hooks.concerned(case)
        Intervention.objects.create(
            case=case,
            intervention_type=_terms("intervention_type")[value],
            date=(target.start_date or D(2025, 1, 1)) + datetime.timedelta(days=value),
            by=world["caseworker"].user,
        )
    after = hooks.concerned(target) if kind != "delete" else (set(), set(), set())
    ids = [sorted(a | b) for a, b in zip(before, after, strict=True)]
    rollup.refresh(world.org.pk, *ids)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(events=st.lists(EVENT, min_size=1, max_size=10), edits=st.lists(EDIT, max_size=6))
def test_roll_ups_equal_the_live_aggregation_on_random_data_and_after_changes(
    world: World, events: list[dict[str, Any]], edits: list[tuple]
) -> None:
    _clear(world.org)
    made = _generate(world, events)
    rollup.rebuild(world.org.pk)
    scope = Scope.for_organisation(world.org)
    assert_same(scope)
    for edit in edits:
        _edit(world, made, edit)
    assert assert_same(scope) > 0

    # the incremental refreshes left exactly what a rebuild builds
    def snapshot() -> list[tuple]:
        rows = RollupCell.objects.filter(organisation=world.org)
        return sorted(
            rows.values_list("month", "unit", "dimension", "value", "count"),
            key=lambda r: tuple(str(v) for v in r),
        )

    incremental = snapshot()
    rollup.rebuild(world.org.pk)
    assert incremental == snapshot()


# --- the worker -------------------------------------------------------------------------------


@pytest.fixture
def run_worker(monkeypatch: pytest.MonkeyPatch) -> Any:
    """The database worker, in process: it would close the test's open transaction's
    connection between tasks (a no-op on SQLite, fatal on PostgreSQL), so not that."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    return lambda: call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


def test_a_recorded_change_enqueues_a_refresh_that_the_worker_applies(
    world: World, data: Data, django_capture_on_commit_callbacks: Any, run_worker: Any
) -> None:
    rollup.rebuild(world.org.pk)
    scope = Scope.for_organisation(world.org)
    rape = Term.objects.get(code="ACT.SEX.RAPE")
    group = Group(Dim.ACT_TYPE)
    before = rollup.count(scope, Unit.ACTS, group, None, Filters())
    assert before is not None and before.cell(rape.pk) == 1
    person = data.people["P3"]
    with django_capture_on_commit_callbacks(execute=True):
        incident_actions.add_act(
            world["caseworker"].user, data.events["E3"], victim=person, act_type=rape
        )
    queued = DBTaskResult.objects.filter(task_path="vigil.stats.tasks.refresh_rollups")
    assert queued.count() == 1
    stale = rollup.count(scope, Unit.ACTS, group, None, Filters())
    assert stale is not None and stale.cell(rape.pk) == 1  # not yet: the worker does it
    run_worker()
    assert queued.get().status == "SUCCESSFUL"
    after = rollup.count(scope, Unit.ACTS, group, None, Filters())
    assert after is not None and after.cell(rape.pk) == 2
    assert after == aggregate.count_live(scope, Unit.ACTS, group, None, Filters())
    cell = RollupCell.objects.get(
        organisation=world.org,
        month=D(2025, 3, 1),
        unit="acts",
        dimension="act_type",
        value=str(rape.pk),
    )
    assert cell.count == 1


def test_an_organisation_without_roll_ups_enqueues_nothing_and_counts_live(
    world: World, data: Data, django_capture_on_commit_callbacks: Any
) -> None:
    rape = Term.objects.get(code="ACT.SEX.RAPE")
    with django_capture_on_commit_callbacks(execute=True):
        incident_actions.add_act(
            world["caseworker"].user, data.events["E3"], victim=data.people["P3"], act_type=rape
        )
    assert not DBTaskResult.objects.exists()
    scope = Scope.for_organisation(world.org)
    assert rollup.count(scope, Unit.ACTS, Group(Dim.MONTH), None, Filters()) is None


def test_the_rebuild_command_reports_progress(world: World, data: Data, capsys: Any) -> None:
    call_command("rebuild_rollups", world.org.slug)
    out = capsys.readouterr().out
    assert "[1/1] svitlo: first-seen victims by act_type" in out
    assert "done," in out
    assert RollupCell.objects.filter(organisation=world.org).exists()
    assert not RollupCell.objects.filter(organisation=world.other_org).exists()


# --- query count ------------------------------------------------------------------------------


def _dashboard_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/stats/")
    assert response.status_code == 200
    reading = [q["sql"] for q in captured.captured_queries if '"incidents_act"' in q["sql"]]
    assert reading == []  # every figure comes from the roll-ups
    return len(captured)


def test_the_dashboard_query_count_does_not_grow_with_the_incidents(
    world: World, data: Data, signed_in: Any
) -> None:
    client = signed_in("analyst")
    rollup.rebuild(world.org.pk)
    small = _dashboard_queries(client)
    _generate(
        world,
        [
            {
                "month": MONTHS[i % 5],
                "day": 1 + i % 28,
                "recorded": True,
                "consent": True,
                "region": "UA-46",
                "acts": [(i % 5, i % 6), ((i + 1) % 5, (i + 2) % 6)],
                "perpetrators": [i % 4],
                "case": ([(i % 5, i % 9)], bool(i % 2)),
            }
            for i in range(60)
        ],
        first=1000,
    )
    rollup.rebuild(world.org.pk)
    assert _dashboard_queries(client) == small
    assert RollupCell.objects.filter(
        organisation=world.org, unit="acts", dimension="total"
    ).exists()


def test_a_consent_withdrawal_leaves_the_roll_ups_through_the_worker(
    world: World, data: Data, django_capture_on_commit_callbacks: Any, run_worker: Any
) -> None:
    rollup.rebuild(world.org.pk)
    scope = Scope.for_organisation(world.org)
    assert aggregate.key_figures(scope, Filters(), 1)[Unit.INCIDENTS] == 3
    with django_capture_on_commit_callbacks(execute=True):
        record_consent(
            world["caseworker"].user, data.people["P3"], ConsentPurpose.STATISTICS, False
        )
    run_worker()
    figures = aggregate.key_figures(scope, Filters(), 1)
    assert figures == {Unit.INCIDENTS: 2, Unit.ACTS: 4, Unit.VICTIMS: 2}  # E3 left
    assert figures == _live(aggregate.key_figures, scope, Filters())
    assert assert_same(scope) > 0


def test_exports_read_the_roll_ups(world: World, data: Data, signed_in: Any) -> None:
    client = signed_in("analyst")
    rollup.rebuild(world.org.pk)
    url = "/stats/export.csv?rows=month&columns=act_type&depth=detail&unit=acts"
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        body = b"".join(response.streaming_content)
    assert response.status_code == 200
    assert not [q for q in captured.captured_queries if '"incidents_act"' in q["sql"]]
    RollupCell.objects.filter(organisation=world.org).delete()  # the export shows the cells
    response = client.get(url)
    assert b"".join(response.streaming_content) != body
