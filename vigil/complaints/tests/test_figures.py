"""Accountability figures: GROUP BY counts through disclosure control."""

from __future__ import annotations

import datetime

from django.utils import timezone

from vigil.complaints import actions
from vigil.complaints.figures import Timeliness, accountability_figures, median
from vigil.complaints.models import LegalAction
from vigil.complaints.tests.helpers import days_ago, filed, make_action, make_case
from vigil.conftest import World


def answer(world: World, made, action: LegalAction, after: int, outcomes=(), response="favourable"):
    assert action.submitted_on is not None
    actions.record_response(
        world["lawyer"].user,
        action,
        made.key,
        response=response,
        response_on=action.submitted_on + datetime.timedelta(days=after),
        outcomes=list(outcomes),
    )


def figures(world: World, threshold: int):
    return accountability_figures([world.org.pk], today=timezone.localdate(), threshold=threshold)


def test_it_counts_filed_answered_on_time_and_outcomes(world: World) -> None:
    made = [make_case(world, stats_consent=True) for _ in range(4)]
    a, b, c, _unanswered = (filed(world, m, submitted_on=days_ago(60)) for m in made)
    answer(world, made[0], a, 10, ["disciplined", "transferred"])
    answer(world, made[1], b, 20, ["rejected"], response="denied")
    answer(world, made[2], c, 45, ["criminal_case"])  # due after 30 days: late
    # d: no answer, past due -> unanswered
    make_action(world, make_case(world, stats_consent=True))  # a draft is not filed
    filed(world, make_case(world, stats_consent=False))  # no statistics consent: not counted
    kz = make_case(world, stats_consent=True, country="KZ", region="KZ-75")
    filed(world, kz, slug="kz-almaty-police-internal-security", submitted_on=days_ago(5))

    result = figures(world, threshold=1)

    assert result.filed == 5
    assert result.answered == 3
    assert result.answered_on_time == 2
    assert result.median_days == 20
    timeliness = result.timeliness_by_body_type
    assert timeliness.cell("police_internal", Timeliness.ON_TIME) == 2
    assert timeliness.cell("police_internal", Timeliness.LATE) == 1
    assert timeliness.cell("police_internal", Timeliness.UNANSWERED) == 1
    assert timeliness.cell("police_internal", Timeliness.AWAITING) == 1
    by_region = result.timeliness_by_region
    assert [(h.code, h.label) for h in by_region.rows] == [("KZ-75", "Almaty"), ("UA-30", "Kyiv")]
    assert by_region.cell("KZ-75", Timeliness.AWAITING) == 1
    outcomes = result.outcomes_by_body_type
    assert outcomes.cell("police_internal", "disciplined") == 1
    assert outcomes.cell("police_internal", "transferred") == 1
    assert outcomes.total == 3  # actions with an outcome, not the sum of outcomes (4)
    assert result.outcomes_by_region.cell("UA-30", "criminal_case") == 1
    (line,) = result.medians_by_body_type
    assert line.answered == 3 and line.median_days == 20


def test_small_numbers_are_hidden(world: World) -> None:
    made = make_case(world, stats_consent=True)
    action = filed(world, made, submitted_on=days_ago(40))
    answer(world, made, action, 12, ["disciplined"])

    result = figures(world, threshold=5)

    assert result.filed is None and result.answered is None
    assert result.median_days is None
    assert result.outcomes_by_body_type.cell("police_internal", "disciplined") is None
    assert result.outcomes_by_body_type.total is None
    assert result.medians_by_body_type[0].median_days is None


def test_the_page_shows_figures_to_an_analyst_without_names(
    world: World, signed_in, settings
) -> None:
    settings.STATS_MIN_CELL = 1
    made = make_case(world, stats_consent=True, pseudonym="Zarina")
    action = filed(world, made, submitted_on=days_ago(40))
    answer(world, made, action, 12, ["disciplined"])
    page = signed_in("analyst").get("/complaints/figures/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Officer disciplined" in text and "Kyiv" in text
    assert "Zarina" not in text and action.code not in text and made.case.code not in text


def test_the_median_of_a_histogram() -> None:
    assert median({3: 1}) == 3
    assert median({1: 1, 3: 1}) == 2
    assert median({1: 1, 2: 1, 10: 1}) == 2
    assert median({1: 2, 4: 1, 5: 1}) == 2.5
