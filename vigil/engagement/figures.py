"""Engagement figures for the dashboard, its exports and the advocacy report.

Every count passes through the disclosure control of vigil/stats, like the
incident statistics: small cells are hidden, with complementary suppression
so that a total cannot reveal them. Counted from clear columns only.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from vigil.engagement.models import (
    OPEN_RECOMMENDATION,
    POLICE_FIELDS,
    TRAININGS,
    Activity,
    Recommendation,
    RecommendationStatus,
    Suggestion,
    SuggestionStatus,
)
from vigil.stats import disclosure


@dataclass(frozen=True)
class Row:
    label: str
    value: int | None  # None: hidden by disclosure control


@dataclass(frozen=True)
class Table:
    title: str
    rows: list[Row]
    total: int | None
    implemented_share: float | None = None  # percent, only when both figures are shown
    implemented: int | None = None


@dataclass(frozen=True)
class FollowUp:
    kind: str  # "suggestion" | "recommendation"
    pk: int
    code: str
    due_date: datetime.date
    days_overdue: int


@dataclass(frozen=True)
class Figures:
    trainings: Table
    police_trained: Table
    suggestions: Table
    recommendations: Table

    @property
    def tables(self) -> list[Table]:
        return [self.trainings, self.police_trained, self.suggestions, self.recommendations]


def quarter_of(day: datetime.date) -> str:
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def _protected(title: str, labels: Sequence[str], values: Sequence[int], threshold: int) -> Table:
    protected = disclosure.protect_1d(list(values), sum(values), threshold)
    rows = [Row(label, value) for label, value in zip(labels, protected.cells, strict=True)]
    return Table(title, rows, protected.total)


def _by_status(
    title: str, choices: Iterable[tuple[str, Any]], counts: Counter[str], threshold: int
) -> Table:
    pairs = list(choices)
    table = _protected(
        title, [str(label) for _c, label in pairs], [counts[c] for c, _l in pairs], threshold
    )
    implemented = next(
        (
            row.value
            for (code, _l), row in zip(pairs, table.rows, strict=True)
            if code == "implemented"
        ),
        None,
    )
    share = None
    if implemented is not None and table.total:
        share = round(100 * implemented / table.total, 1)
    return Table(table.title, table.rows, table.total, share, implemented)


def compute(
    organisation_ids: Sequence[int],
    threshold: int | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> Figures:
    t = disclosure.min_cell() if threshold is None else threshold
    activities = Activity.objects.filter(
        organisation_id__in=organisation_ids, activity_type__in=TRAININGS
    )
    suggestions = Suggestion.objects.filter(organisation_id__in=organisation_ids)
    recommendations = Recommendation.objects.filter(visit__organisation_id__in=organisation_ids)
    if date_from is not None:
        activities = activities.filter(date__gte=date_from)
        suggestions = suggestions.filter(submitted_on__gte=date_from)
        recommendations = recommendations.filter(visit__date__gte=date_from)
    if date_to is not None:
        activities = activities.filter(date__lte=date_to)
        suggestions = suggestions.filter(submitted_on__lte=date_to)
        recommendations = recommendations.filter(visit__date__lte=date_to)
    held: Counter[str] = Counter()
    trained: Counter[str] = Counter()
    for row in activities.values("date", *POLICE_FIELDS):
        quarter = quarter_of(row["date"])
        held[quarter] += 1
        trained[quarter] += sum(row[name] for name in POLICE_FIELDS)
    quarters = sorted(held)  # natural order, never by value
    return Figures(
        trainings=_protected(_("Trainings held"), quarters, [held[q] for q in quarters], t),
        police_trained=_protected(
            _("Police officers trained"), quarters, [trained[q] for q in quarters], t
        ),
        suggestions=_by_status(
            _("Community suggestions by status"),
            SuggestionStatus.choices,
            Counter(suggestions.values_list("status", flat=True)),
            t,
        ),
        recommendations=_by_status(
            _("Recommendations by status"),
            RecommendationStatus.choices,
            Counter(recommendations.values_list("status", flat=True)),
            t,
        ),
    )


def overdue_follow_ups(organisation_id: int, today: datetime.date) -> list[FollowUp]:
    """Unanswered suggestions and open recommendations past their due date, oldest first."""
    items: list[FollowUp] = []
    for s in Suggestion.objects.filter(
        organisation_id=organisation_id, status=SuggestionStatus.SUBMITTED, due_date__lt=today
    ):
        assert s.due_date is not None  # noqa: S101 - filtered above; narrows the type
        items.append(FollowUp("suggestion", s.pk, s.code, s.due_date, (today - s.due_date).days))
    for r in Recommendation.objects.filter(
        visit__organisation_id=organisation_id, status__in=OPEN_RECOMMENDATION, due_date__lt=today
    ).select_related("visit"):
        assert r.due_date is not None  # noqa: S101
        items.append(
            FollowUp("recommendation", r.pk, r.code, r.due_date, (today - r.due_date).days)
        )
    return sorted(items, key=lambda item: (item.due_date, item.code))


def export_rows(figures: Figures) -> list[list[object]]:
    """One row per cell: table, label, value (None is written as hidden)."""
    rows: list[list[object]] = []
    for table in figures.tables:
        rows.extend([table.title, row.label, row.value] for row in table.rows)
        rows.append([table.title, _("Total"), table.total])
    return rows


def report_section(
    organisation_ids: Sequence[int],
    date_from: datetime.date,
    date_to: datetime.date,
    words: dict[str, str],
) -> Any:
    """The "engagement" section of the advocacy report, or None when nothing was recorded.

    Call inside the report's ``translation.override``; hidden figures use the report's word.
    """
    from vigil.stats.report import Line, Section

    figures = compute(organisation_ids, date_from=date_from, date_to=date_to)
    if all(table.total == 0 for table in figures.tables):
        return None

    def line(label: str, value: int | None) -> Line:
        return Line(label, words["hidden"] if value is None else str(value), value is None)

    return Section(
        _("Work with police and oversight bodies"),
        paragraphs=[
            _(
                "Trainings of police, community board suggestions and recommendations of "
                "detention monitoring visits in the period; small counts are hidden."
            )
        ],
        figures=[
            line(_("Trainings held"), figures.trainings.total),
            line(_("Police officers trained"), figures.police_trained.total),
            line(_("Community suggestions"), figures.suggestions.total),
            line(_("Community suggestions implemented"), figures.suggestions.implemented),
            line(_("Recommendations"), figures.recommendations.total),
            line(_("Recommendations implemented"), figures.recommendations.implemented),
        ],
    )
