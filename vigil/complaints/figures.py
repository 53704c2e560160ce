"""Accountability figures: what happens to complaints, from clear columns only.

Counting unit: legal actions that were filed (have a submission date), in
cases where at least one incident has the statistics consent
(``Event.stats_consent``), like every other statistic (DESIGN.md section 7).
Every count is a SQL GROUP BY; every published number passes through the
disclosure module (``vigil.stats.disclosure``): small cells are hidden with
complementary suppression, a standalone figure below the threshold is hidden,
and a median is shown only when it rests on at least ``threshold`` answers.

Timeliness categories (exclusive, so they add up to the filed total):

* on time: answered on or before the due date;
* late: answered after it;
* answered, no period: the body has no statutory period (UN mechanisms, courts);
* unanswered: past the due date with no answer, or recorded as "no response";
* awaiting: not answered and not yet due.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Value
from django.utils.translation import gettext_lazy as _

from vigil.complaints.models import ActionOutcome, BodyType, LegalAction, Outcome, Response
from vigil.incidents import regions
from vigil.incidents.models import Event
from vigil.stats import disclosure


class Timeliness(models.TextChoices):
    ON_TIME = "on_time", _("Answered on time")
    LATE = "late", _("Answered late")
    NO_PERIOD = "no_period", _("Answered (no statutory period)")
    UNANSWERED = "unanswered", _("No answer by the deadline")
    AWAITING = "awaiting", _("Awaiting, not yet due")


NO_REGION = _("Region not recorded")


@dataclass(frozen=True)
class Heading:
    code: str
    label: str


@dataclass(frozen=True)
class Table:
    """A protected table: None marks a hidden value."""

    name: str
    title: str
    rows: list[Heading]
    columns: list[Heading]
    cells: list[list[int | None]]
    row_totals: list[int | None]
    column_totals: list[int | None]
    total: int | None

    def lines(self) -> Iterator[tuple[Heading, list[int | None], int | None]]:
        yield from zip(self.rows, self.cells, self.row_totals, strict=True)

    def cell(self, row: str, column: str) -> int | None:
        """The published value of one cell (0 when the row or column is absent)."""
        codes = [h.code for h in self.rows]
        columns = [h.code for h in self.columns]
        if row not in codes or column not in columns:
            return 0
        return self.cells[codes.index(row)][columns.index(column)]


@dataclass(frozen=True)
class MedianLine:
    heading: Heading
    answered: int | None
    median_days: float | None


@dataclass(frozen=True)
class Figures:
    threshold: int
    filed: int | None
    answered: int | None
    answered_on_time: int | None
    median_days: float | None
    timeliness_by_body_type: Table
    timeliness_by_region: Table
    outcomes_by_body_type: Table
    outcomes_by_region: Table
    medians_by_body_type: list[MedianLine]


# --- queries ------------------------------------------------------------------------------------


def counted(organisation_ids: Sequence[int]) -> QuerySet[LegalAction]:
    """Filed legal actions whose case has an incident with statistics consent."""
    consented = Event.objects.filter(cases=OuterRef("case_id"), stats_consent=True)
    return LegalAction.objects.filter(
        organisation_id__in=list(organisation_ids), submitted_on__isnull=False
    ).filter(Exists(consented))


def _timeliness(today: datetime.date) -> models.Case:
    answered = Q(response_on__isnull=False)
    return models.Case(
        models.When(answered & Q(due_date__isnull=True), then=Value(Timeliness.NO_PERIOD.value)),
        models.When(answered & Q(response_on__lte=F("due_date")), then=Value("on_time")),
        models.When(answered, then=Value(Timeliness.LATE.value)),
        models.When(response=Response.NO_RESPONSE, then=Value(Timeliness.UNANSWERED.value)),
        models.When(due_date__lt=today, then=Value(Timeliness.UNANSWERED.value)),
        default=Value(Timeliness.AWAITING.value),
        output_field=models.CharField(),
    )


def _by(qs: QuerySet, *fields: str, measure: str = "pk") -> dict[tuple[Any, ...], int]:
    rows = qs.values(*fields).annotate(n=Count(measure, distinct=True)).values_list(*fields, "n")
    return {tuple(r[:-1]): r[-1] for r in rows.order_by()}


# --- tables -------------------------------------------------------------------------------------


def _body_headings(codes: set[str]) -> list[Heading]:
    return [Heading(value, str(label)) for value, label in BodyType.choices if value in codes]


def _region_headings(codes: set[str]) -> list[Heading]:
    return [Heading(c, regions.name(c) if c else str(NO_REGION)) for c in sorted(codes)]


def _protect(
    name: str,
    title: Any,
    rows: list[Heading],
    columns: list[Heading],
    cells: dict[tuple[str, str], int],
    row_totals: dict[str, int],
    column_totals: dict[str, int],
    total: int,
    threshold: int,
) -> Table:
    raw = [[cells.get((r.code, c.code), 0) for c in columns] for r in rows]
    if not rows or not columns:
        shown = disclosure.safe_value(total, threshold)
        return Table(name, str(title), rows, columns, [], [], [], shown)
    safe = disclosure.protect_2d(
        raw,
        [row_totals.get(r.code, 0) for r in rows],
        [column_totals.get(c.code, 0) for c in columns],
        total,
        threshold,
    )
    return Table(
        name,
        str(title),
        rows,
        columns,
        safe.cells,
        safe.row_totals,
        safe.column_totals,
        safe.total,
    )


def _timeliness_table(
    qs: QuerySet[LegalAction], field: str, name: str, title: Any, threshold: int
) -> Table:
    cells = {(str(k[0] or ""), k[1]): n for k, n in _by(qs, field, "timeliness").items()}
    row_totals = {str(k[0] or ""): n for k, n in _by(qs, field).items()}
    column_totals = {k[0]: n for k, n in _by(qs, "timeliness").items()}
    total = qs.aggregate(n=Count("pk", distinct=True))["n"] or 0
    keys = set(row_totals)
    rows = _body_headings(keys) if field == "body__body_type" else _region_headings(keys)
    columns = [Heading(v, str(label)) for v, label in Timeliness.choices]
    return _protect(name, title, rows, columns, cells, row_totals, column_totals, total, threshold)


def _outcome_table(
    qs: QuerySet[LegalAction], field: str, name: str, title: Any, threshold: int
) -> Table:
    """Actions by outcome. One action can have several outcomes (disciplined and
    transferred), so a row total counts actions, not the sum of its cells."""
    outcomes = ActionOutcome.objects.filter(action__in=qs.values("pk"))
    with_outcome = qs.filter(outcomes__isnull=False)
    cells = {
        (str(k[0] or ""), k[1]): n
        for k, n in _by(outcomes, f"action__{field}", "outcome", measure="action_id").items()
    }
    row_totals = {str(k[0] or ""): n for k, n in _by(with_outcome, field).items()}
    column_totals = {k[0]: n for k, n in _by(outcomes, "outcome", measure="action_id").items()}
    total = with_outcome.aggregate(n=Count("pk", distinct=True))["n"] or 0
    keys = set(row_totals)
    rows = _body_headings(keys) if field == "body__body_type" else _region_headings(keys)
    columns = [Heading(v, str(label)) for v, label in Outcome.choices if v in column_totals]
    return _protect(name, title, rows, columns, cells, row_totals, column_totals, total, threshold)


def median(histogram: dict[int, int]) -> float:
    n = sum(histogram.values())
    ordered = sorted(histogram.items())

    def nth(k: int) -> int:
        seen = 0
        for days, count in ordered:
            seen += count
            if seen > k:
                return days
        return ordered[-1][0]

    middle = (nth((n - 1) // 2) + nth(n // 2)) / 2
    return int(middle) if middle == int(middle) else middle


def _medians(qs: QuerySet[LegalAction], threshold: int) -> tuple[float | None, list[MedianLine]]:
    answered = qs.filter(response_days__isnull=False)
    histograms: dict[str, dict[int, int]] = {}
    for (body_type, days), n in _by(answered, "body__body_type", "response_days").items():
        histograms.setdefault(body_type, {})[days] = n
    overall: dict[int, int] = {}
    for histogram in histograms.values():
        for days, n in histogram.items():
            overall[days] = overall.get(days, 0) + n
    lines = []
    for heading in _body_headings(set(histograms)):
        histogram = histograms[heading.code]
        n = sum(histogram.values())
        shown = disclosure.safe_value(n, threshold)
        lines.append(MedianLine(heading, shown, median(histogram) if n >= threshold else None))
    total = sum(overall.values())
    return (median(overall) if overall and total >= threshold else None), lines


def accountability_figures(
    organisation_ids: Sequence[int],
    *,
    today: datetime.date,
    threshold: int | None = None,
) -> Figures:
    t = disclosure.min_cell() if threshold is None else threshold
    qs = counted(organisation_ids).annotate(timeliness=_timeliness(today))
    totals = qs.aggregate(
        filed=Count("pk", distinct=True),
        answered=Count("pk", distinct=True, filter=Q(response_on__isnull=False)),
        on_time=Count(
            "pk",
            distinct=True,
            filter=Q(response_on__isnull=False, response_on__lte=F("due_date")),
        ),
    )
    overall_median, medians = _medians(qs, t)
    return Figures(
        threshold=t,
        filed=disclosure.safe_value(totals["filed"] or 0, t),
        answered=disclosure.safe_value(totals["answered"] or 0, t),
        answered_on_time=disclosure.safe_value(totals["on_time"] or 0, t),
        median_days=overall_median,
        timeliness_by_body_type=_timeliness_table(
            qs, "body__body_type", "timeliness_body_type", _("Answers by type of body"), t
        ),
        timeliness_by_region=_timeliness_table(
            qs, "region", "timeliness_region", _("Answers by region"), t
        ),
        outcomes_by_body_type=_outcome_table(
            qs, "body__body_type", "outcomes_body_type", _("Outcomes by type of body"), t
        ),
        outcomes_by_region=_outcome_table(
            qs, "region", "outcomes_region", _("Outcomes by region"), t
        ),
        medians_by_body_type=medians,
    )
