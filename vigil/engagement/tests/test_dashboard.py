"""The engagement dashboard against a hand-computed fixture, small cells hidden; exports;
the advocacy report's engagement section."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from openpyxl import load_workbook

from vigil.conftest import World
from vigil.engagement import actions, figures
from vigil.engagement.models import Recommendation, Suggestion
from vigil.engagement.tests.helpers import (
    activity_data,
    key_of,
    make_activity,
    make_board,
    make_recommendation,
    make_visit,
    today,
)
from vigil.stats.aggregate import Scope
from vigil.stats.report import ReportSpec, collect

Q1, Q2, Q3 = datetime.date(2026, 2, 1), datetime.date(2026, 5, 1), datetime.date(2026, 8, 1)


def _suggestions(world: World, status: str, count: int) -> None:
    board = make_board(world, f"District {status}")
    for _n in range(count):
        item = actions.submit_suggestion(
            acting_user=world["coordinator"].user,
            board=board,
            text="x",
            submitted_on=Q2,
            due_date=None,
            addressed_to=None,
        )
        Suggestion.objects.filter(pk=item.pk).update(status=status)


@pytest.fixture
def fixture(world: World) -> dict[str, Any]:
    """By hand (threshold 5):

    trainings held per quarter  Q1 6, Q2 2, Q3 5 (total 13): Q2 is small, so Q3 (the
      smallest other non-zero cell) is hidden too, else 13 - 6 - 5 would reveal Q2.
    police trained  Q1 6x5 = 30, Q2 1+2 = 3, Q3 5x4 = 20 (total 53): Q2 and Q3 hidden.
    A round table with 50 police and another organisation's course are not counted.
    suggestions  submitted 6, answered 0, implemented 5, rejected 1 (total 12): rejected
      hidden, implemented hidden as its complement, so no share.
    recommendations  in progress 5, implemented 5, rejected 5 (total 15): share 33.3 %.
    overdue  a recommendation due 10 days ago, then a suggestion due yesterday.
    """
    for _n in range(6):
        make_activity(world, date=Q1, counts={"police_middle": 5})
    make_activity(world, date=Q2, activity_type="guest_lecture", counts={"police_junior": 1})
    make_activity(world, date=Q2, activity_type="academy_course", counts={"police_senior": 2})
    for _n in range(5):
        make_activity(world, date=Q3, counts={"police_junior": 4})
    make_activity(world, date=Q1, activity_type="round_table", counts={"police_junior": 50})
    actions.create_activity(
        acting_user=world.others["coordinator"].user,
        organisation=world.other_org,
        data=activity_data(date=Q1, counts={"police_junior": 100}),
    )
    _suggestions(world, "submitted", 6)
    _suggestions(world, "implemented", 5)
    _suggestions(world, "rejected", 1)
    late = Suggestion.objects.filter(status="submitted").first()
    assert late is not None
    Suggestion.objects.filter(pk=late.pk).update(due_date=today() - datetime.timedelta(days=1))
    visit = make_visit(world)
    key = key_of(world, visit)
    for status in ("in_progress", "implemented", "rejected"):
        for _n in range(5):
            item = make_recommendation(world, visit, key)
            Recommendation.objects.filter(pk=item.pk).update(status=status)
    overdue = Recommendation.objects.filter(status="in_progress").first()
    assert overdue is not None
    Recommendation.objects.filter(pk=overdue.pk).update(
        due_date=today() - datetime.timedelta(days=10)
    )
    return {"late": late, "overdue": overdue, "visit": visit}


def values(table: figures.Table) -> tuple[list[int | None], int | None]:
    return [row.value for row in table.rows], table.total


def test_it_counts_as_computed_by_hand_with_small_cells_hidden(
    world: World, fixture: dict[str, Any]
) -> None:
    result = figures.compute([world.org.pk])
    assert [row.label for row in result.trainings.rows] == ["2026 Q1", "2026 Q2", "2026 Q3"]
    assert values(result.trainings) == ([6, None, None], 13)
    assert values(result.police_trained) == ([30, None, None], 53)
    assert values(result.suggestions) == ([6, 0, None, None], 12)
    assert result.suggestions.implemented_share is None
    assert values(result.recommendations) == ([0, 5, 0, 5, 5], 15)
    assert result.recommendations.implemented_share == 33.3


def test_it_shows_overdue_follow_ups_first_on_the_dashboard(
    world: World, fixture: dict[str, Any], signed_in: Any
) -> None:
    page = signed_in("coordinator").get("/engagement/dashboard/").content.decode()
    overdue_at = page.index(fixture["overdue"].code)
    assert overdue_at < page.index(fixture["late"].code) < page.index("Trainings held")
    assert "×" in page and "33.3" in page
    # The analyst sees the figures, not the records behind them.
    analyst = signed_in("analyst").get("/engagement/dashboard/").content.decode()
    assert fixture["late"].code not in analyst and "Trainings held" in analyst


def test_it_exports_the_same_protected_figures(
    world: World, fixture: dict[str, Any], signed_in: Any
) -> None:
    client = signed_in("analyst")
    response = client.get("/engagement/dashboard/export.csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Trainings held,2026 Q1,6" in text
    assert "Trainings held,2026 Q2,x" in text
    assert "Police officers trained,Total,53" in text
    response = client.get("/engagement/dashboard/export.xlsx")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = [tuple(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]
    assert ("Police officers trained", "2026 Q2", "x") in rows
    assert client.get("/engagement/dashboard/export.pdf").status_code == 404


def test_it_adds_an_engagement_section_to_the_advocacy_report(
    world: World, fixture: dict[str, Any]
) -> None:
    spec = ReportSpec(Scope.for_organisation(world.org), Q1, today(), "en")
    content = collect(spec, lambda done, total: None)
    section = next(
        s for s in content.sections if s.heading == "Work with police and oversight bodies"
    )
    shown = {line.label: line.value for line in section.figures}
    assert shown["Trainings held"] == "13"
    assert shown["Police officers trained"] == "53"
    assert shown["Community suggestions implemented"] == content.words["hidden"]
    assert shown["Recommendations implemented"] == "5"
