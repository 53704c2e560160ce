"""The Ugly Mugs figures pass the statistics disclosure control, on the dashboard and
in the advocacy report."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import connection
from django.utils import translation

from vigil.alerts import figures
from vigil.alerts.tests.helpers import make_source, published
from vigil.cases import consent
from vigil.conftest import World
from vigil.stats import report
from vigil.stats.aggregate import Scope, counted_live


def _incidents(world: World) -> None:
    for _n in range(6):
        make_source(world, police_consent=True, statistics=True)
    make_source(world, statistics=True)  # a single "alert only": must not show as 1
    make_source(world, police_consent=True)  # no statistics consent: never counted


def test_it_counts_levels_and_hides_small_numbers(world: World) -> None:
    _incidents(world)
    for _n in range(5):
        published(world, make_source(world))
    found = figures.figures((world.org.pk,), threshold=5)
    by_label = {row.label: row for row in found.levels}
    rows = list(by_label.values())
    assert rows[0].incidents == 0  # listen only: a true zero is shown
    assert rows[1].incidents is None  # one incident: hidden
    # The total is shown, so the 6 is hidden too: otherwise 7 - 6 reveals the 1.
    assert (rows[2].incidents, found.total) == (None, 7)
    assert found.activity[0].value == 5  # alerts published
    assert found.activity[2].value == 0  # checker lookups


def test_it_shows_the_section_on_the_dashboard(world: World, signed_in: Any) -> None:
    _incidents(world)
    page = signed_in("analyst").get("/stats/").content.decode()
    assert "Ugly Mugs" in page and "Became formal police reports" in page


def test_it_adds_the_section_to_the_advocacy_report(world: World) -> None:
    _incidents(world)
    spec = report.ReportSpec(
        Scope.for_organisation(world.org),
        datetime.date(2026, 1, 1),
        datetime.date(2026, 12, 31),
        "ru",
    )
    with translation.override("ru"):
        content = report.collect(spec, lambda done, total: None)
    headings = [s.heading for s in content.sections]
    assert any("Ugly Mugs" in h for h in headings), headings


def test_it_counts_levels_in_a_few_queries_whatever_the_number(
    world: World, django_assert_max_num_queries: Any
) -> None:
    _incidents(world)
    with django_assert_max_num_queries(8):
        figures.figures((world.org.pk,), threshold=5)


def test_a_count_over_many_incidents_binds_a_bounded_number_of_values(
    world: World, monkeypatch: Any
) -> None:
    # At a million incidents one IN list of every id broke SQLite ("too many SQL
    # variables"); the ids now go in chunks. Shrink the chunk to see it with a few.
    _incidents(world)
    with counted_live():
        whole = figures.figures((world.org.pk,), threshold=0)
    monkeypatch.setattr(figures, "IN_CHUNK", 2)
    bound: list[int] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        bound.append(len(params or ()))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count), counted_live():
        chunked = figures.figures((world.org.pk,), threshold=0)
    assert chunked == whole
    assert [row.incidents for row in whole.levels] != [0] * len(whole.levels)
    # Two ids at most, besides the few fixed values of a query (organisation, rungs).
    assert max(bound) <= 2 + len(consent.LADDER) + 2, bound
