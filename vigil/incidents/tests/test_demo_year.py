"""The demo year: repeatable for a seed, seasons and the mix of scenarios as written down."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
from django.utils import timezone

from vigil.cases.models import Consent
from vigil.conftest import World
from vigil.incidents.demo import SCENARIOS, SEASONAL_WEIGHTS, YEAR_DAYS, create_incidents
from vigil.incidents.models import Event
from vigil.vault import keys

pytestmark = pytest.mark.django_db
# Proportions of a few hundred draws stay within this (absolute) of the written weights.
TOLERANCE = 0.07


def shape(events: list[Event]) -> list[tuple[str, int | None, datetime.date | None, str]]:
    return [(e.region, e.place_type_id, e.start_date, e.source_channel) for e in events]


def test_it_is_the_same_year_for_the_same_seed(world: World) -> None:
    private = keys.organisation_private_from_phrase(world.org, world.phrase)
    create_incidents(world.org, private, 40, seed=7, window_days=YEAR_DAYS)
    first = list(Event.objects.filter(organisation=world.org).order_by("number"))
    create_incidents(world.org, private, 40, seed=7, window_days=YEAR_DAYS)
    second = list(Event.objects.filter(organisation=world.org).order_by("number"))[40:]
    create_incidents(world.org, private, 40, seed=8, window_days=YEAR_DAYS)
    third = list(Event.objects.filter(organisation=world.org).order_by("number"))[80:]
    assert shape(first) == shape(second)
    assert shape(first) != shape(third)


def test_its_seasons_places_and_withdrawals_follow_the_written_proportions(
    world: World,
) -> None:
    private = keys.organisation_private_from_phrase(world.org, world.phrase)
    create_incidents(world.org, private, 500, seed=19, window_days=YEAR_DAYS, fresh_keys=True)
    events = list(Event.objects.filter(organisation=world.org).select_related("place_type"))
    today = timezone.localdate()
    starts = [e.start_date for e in events if e.start_date is not None]
    assert len(starts) == len(events)
    assert all(today - start < datetime.timedelta(days=YEAR_DAYS) for start in starts)

    months = Counter(start.month for start in starts)
    total = sum(SEASONAL_WEIGHTS)
    for season in ((6, 7, 8), (12, 1, 2)):
        expected = sum(SEASONAL_WEIGHTS[m - 1] for m in season) / total
        assert abs(sum(months[m] for m in season) / len(events) - expected) < TOLERANCE
    assert sum(months[m] for m in (6, 7, 8)) > sum(months[m] for m in (12, 1, 2))

    places = Counter(e.place_type.code for e in events if e.place_type)
    weights: Counter[str] = Counter()
    for scenario in SCENARIOS:
        weights[scenario.place] += scenario.weight
    for place, weight in weights.items():
        expected = weight / sum(weights.values())
        assert abs(places[place] / len(events) - expected) < TOLERANCE, place

    # Consents of every kind: given, refused, and given then withdrawn.
    rows = Consent.objects.filter(organisation=world.org)
    assert rows.filter(granted=True).exists() and rows.filter(granted=False).exists()
    withdrawn = [
        c
        for c in rows.filter(granted=False).exclude(purpose="statistics")
        if rows.filter(
            person=c.person, purpose=c.purpose, granted=True, recorded_at__lt=c.recorded_at
        ).exists()
    ]
    assert withdrawn
