"""Ugly Mugs figures for the dashboard and the advocacy report, through the statistics
disclosure control: alerts published, members reached, checker lookups, incidents by
consent level and how many of them became formal police reports (the scheme's measure
of trust). Counts come from clear columns only; incidents count only with statistics
consent, like every other statistic.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from vigil.alerts.models import Alert, CheckerUse, Dispatch
from vigil.cases import consent
from vigil.cases.models import Consent
from vigil.complaints.models import ActionStatus, BodyType, LegalAction
from vigil.incidents.models import Act, Event, EventStatus
from vigil.stats import disclosure

POLICE_BODIES = (BodyType.POLICE_INTERNAL, BodyType.PROSECUTOR)


@dataclass(frozen=True)
class Line:
    label: str
    value: int | None  # None: hidden by disclosure control


@dataclass(frozen=True)
class LevelRow:
    label: str
    incidents: int | None
    police_reports: int | None


@dataclass(frozen=True)
class AlertFigures:
    activity: list[Line]
    levels: list[LevelRow]
    total: int | None
    police_total: int | None


def _between(
    field: str, start: datetime.date | None, end: datetime.date | None, *, moment: bool = False
) -> dict[str, datetime.date]:
    """Bounds on a date, or on the day of a moment (``moment``: a DateTimeField)."""
    lookup = f"{field}__date" if moment else field
    bounds = {}
    if start:
        bounds[f"{lookup}__gte"] = start
    if end:
        bounds[f"{lookup}__lte"] = end
    return bounds


# SQLite binds at most 32,766 values per statement (999 on old builds): the id lists
# of a full count go to the database in chunks.
IN_CHUNK = 5000


def _chunks(values: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(values), IN_CHUNK):
        yield values[start : start + IN_CHUNK]


def _levels_of_events(event_ids: list[int]) -> dict[int, str]:
    """Each event's level: the lowest among its victims (every victim must agree).

    A few queries per ``IN_CHUNK`` incidents: the latest decision per person and
    rung (same rule as ``cases.consent.current``) is picked in Python."""
    victims: dict[int, set[int]] = {}
    for chunk in _chunks(event_ids):
        pairs = Act.objects.filter(event_id__in=chunk).values_list("event_id", "victim_id")
        for event_id, victim_id in pairs.distinct():
            victims.setdefault(event_id, set()).add(victim_id)
    people = sorted({p for group in victims.values() for p in group})
    latest: dict[tuple[int, str], bool] = {}
    for chunk in _chunks(people):
        rows = (
            Consent.objects.filter(person_id__in=chunk, purpose__in=consent.LADDER, body="")
            .order_by("person_id", "purpose", "-recorded_at", "-pk")
            .values_list("person_id", "purpose", "granted")
        )
        for person_id, purpose, granted in rows:
            latest.setdefault((person_id, purpose), granted)
    level_of = {
        person: consent.level_from_decisions(
            {str(p) for p in consent.LADDER if latest.get((person, str(p)))}
        )
        for person in people
    }
    order = consent.LEVEL_VALUES.index
    return {
        event_id: min(
            (level_of[p] for p in victims.get(event_id, ())), key=order, default=consent.LISTEN
        )
        for event_id in event_ids
    }


def _count_levels(
    organisation_ids: tuple[int, ...],
    start: datetime.date | None,
    end: datetime.date | None,
    counts: dict[str, int],
    police: dict[str, int],
) -> None:
    """Incidents by consent level and police reports, from the incidents themselves."""
    events = Event.objects.filter(
        organisation_id__in=organisation_ids,
        status=EventStatus.RECORDED,
        stats_consent=True,
        **_between("start_date", start, end),
    )
    reported = set(
        LegalAction.objects.filter(body__body_type__in=POLICE_BODIES, acts__event__in=events)
        .exclude(status=ActionStatus.DRAFT)
        .values_list("acts__event_id", flat=True)
    )
    for event_id, level in _levels_of_events(list(events.values_list("pk", flat=True))).items():
        counts[level] += 1
        police[level] += event_id in reported


def figures(
    organisation_ids: tuple[int, ...],
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    threshold: int | None = None,
) -> AlertFigures:
    orgs = {"organisation_id__in": organisation_ids}
    published = Alert.objects.filter(
        **orgs, **_between("published_at", start, end, moment=True)
    ).count()
    reached = (
        Dispatch.objects.filter(
            **orgs, **_between("created_at", start, end, moment=True)
        ).aggregate(n=Sum("sent"))["n"]
        or 0
    )
    lookups = CheckerUse.objects.filter(**orgs, **_between("at", start, end, moment=True)).count()
    activity = [
        Line(str(_("Alerts published")), disclosure.safe_value(published, threshold)),
        Line(str(_("Messages delivered to members")), disclosure.safe_value(reached, threshold)),
        Line(str(_("Checker lookups")), disclosure.safe_value(lookups, threshold)),
    ]
    counts = dict.fromkeys(consent.LEVEL_VALUES, 0)
    police = dict.fromkeys(consent.LEVEL_VALUES, 0)
    from vigil.stats import aggregate, rollup

    stored = None if aggregate._LIVE.get() else rollup.consent_levels(organisation_ids, start, end)
    if stored is not None:  # the statistics roll-ups hold them by month
        for level, n in stored[0].items():
            counts[level] = n
        for level, n in stored[1].items():
            police[level] = n
    else:
        _count_levels(organisation_ids, start, end, counts, police)
    shown = disclosure.protect_1d(list(counts.values()), sum(counts.values()), threshold)
    shown_police = disclosure.protect_1d(list(police.values()), sum(police.values()), threshold)
    labels = dict(consent.LEVELS)
    levels = [
        LevelRow(str(labels[level]), shown.cells[i], shown_police.cells[i])
        for i, level in enumerate(consent.LEVEL_VALUES)
    ]
    return AlertFigures(activity, levels, shown.total, shown_police.total)
