"""The referral funnel: referred -> contacted -> assessed -> admitted -> retained.

Counts come from clear columns of ``Referral`` in one GROUP BY with one
conditional count per stage (no Python loop over referral rows). Every number
that leaves this module has passed the statistics disclosure control
(``vigil.stats.disclosure``), as every other statistic in Vigil:

* each stage column of a breakdown is protected with ``protect_1d`` against its
  total (small cells hidden, complementary suppression so the column total does
  not give them away); without a breakdown each stage is a standalone figure;
* a median is shown only when at least ``threshold`` referrals have the measure.

Known limit (as for linked tables in ``disclosure``): differences between two
stages of one row are not audited against each other; the stage counts are the
published cells.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, DateField, F, Func, IntegerField, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from vigil.incidents import regions
from vigil.referrals.models import Need, Programme, Referral, Route
from vigil.stats import disclosure

# (code, label, condition): cumulative stages, each a subset of the one before
# except the two kinds of admission, which split "admitted".
STAGES: tuple[tuple[str, Any, Q], ...] = (
    ("referred", _("Referred"), Q()),
    ("contacted", _("Contacted"), Q(contacted_at__isnull=False)),
    ("assessed", _("Assessed"), Q(assessed_at__isnull=False)),
    ("admitted_ost", _("Admitted to OST"), Q(admitted_on__isnull=False, service_kind=Need.OST)),
    (
        "admitted_other",
        _("Admitted to another service"),
        Q(admitted_on__isnull=False) & ~Q(service_kind=Need.OST),
    ),
    ("retained_30", _("Retained at 30 days"), Q(retained_30=True)),
    ("retained_90", _("Retained at 90 days"), Q(retained_90=True)),
)
STAGE_CODES = tuple(code for code, _label, _q in STAGES)

BY_CHOICES = (
    ("", _("No breakdown")),
    ("month", _("Month")),
    ("quarter", _("Quarter")),
    ("programme", _("Programme")),
    ("route", _("Route")),
    ("district", _("District")),
)


@dataclass(frozen=True)
class FunnelFilters:
    organisation_ids: tuple[int, ...]
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    programme_ids: tuple[int, ...] | None = None  # None: every programme
    route: str = ""

    def as_audit(self) -> dict[str, Any]:
        return {
            "period": [
                self.date_from.isoformat()[:7] if self.date_from else "",
                self.date_to.isoformat()[:7] if self.date_to else "",
            ]
        }


def referrals(filters: FunnelFilters) -> QuerySet[Referral]:
    qs = Referral.objects.filter(organisation_id__in=filters.organisation_ids)
    if filters.date_from:
        qs = qs.filter(referred_on__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(referred_on__lte=filters.date_to)
    if filters.programme_ids is not None:
        qs = qs.filter(programme_id__in=filters.programme_ids)
    if filters.route:
        qs = qs.filter(route=filters.route)
    return qs


class MonthOf(Func):
    """First day of the month, computed by the database itself.

    Django's Trunc functions on SQLite call a Python function per row; the
    funnel groups 100,000 referrals, so SQLite gets its native date() here.
    Quarters are merged from months in Python (a handful of rows).
    """

    template = "CAST(DATE_TRUNC('month', %(expressions)s) AS date)"
    output_field = DateField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Any]:
        return self.as_sql(
            compiler, connection, template="date(%(expressions)s, 'start of month')", **extra
        )


def _group_columns(by: Sequence[str]) -> dict[str, Any]:
    columns: dict[str, Any] = {}
    for dim in by:
        if dim in ("month", "quarter"):
            columns[f"g_{dim}"] = MonthOf("referred_on")
        elif dim == "programme":
            columns["g_programme"] = "programme_id"
        elif dim == "route":
            columns["g_route"] = "route"
        elif dim == "district":
            columns["g_region"] = "region"
            columns["g_district"] = "district"
        else:
            raise ValueError(f"unknown breakdown {dim!r}")
    return columns


def stage_measures() -> dict[str, Count]:
    return {code: Count("pk", filter=q) if q else Count("pk") for code, _l, q in STAGES}


def raw_counts(filters: FunnelFilters, by: Sequence[str] = ()) -> list[dict[str, Any]]:
    """One row per group with a count per stage (raw: this module and tests only)."""
    columns = _group_columns(by)
    qs = referrals(filters).order_by()
    if columns:
        expressions = {k: F(v) if isinstance(v, str) else v for k, v in columns.items()}
        grouped = qs.annotate(**expressions).values(*expressions)
        return list(grouped.annotate(**stage_measures()))
    return [qs.aggregate(**stage_measures())]


def _programme_names(raw: list[dict[str, Any]]) -> dict[int, str]:
    ids = {row["g_programme"] for row in raw}
    return dict(Programme.objects.filter(pk__in=ids).values_list("pk", "name"))


def _period_text(dim: str, day: datetime.date | datetime.datetime) -> str:
    if dim == "month":
        return f"{day.year}-{day.month:02d}"
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def _key_of(
    row: dict[str, Any], by: Sequence[str], names: dict[int, str]
) -> tuple[tuple[Any, str], ...]:
    parts: list[tuple[Any, str]] = []
    for dim in by:
        if dim in ("month", "quarter"):
            day = row[f"g_{dim}"]
            if isinstance(day, datetime.datetime):
                day = day.date()
            if dim == "quarter":
                day = day.replace(month=(day.month - 1) // 3 * 3 + 1)
            parts.append((day, _period_text(dim, day)))
        elif dim == "programme":
            parts.append((row["g_programme"], names.get(row["g_programme"], "")))
        elif dim == "route":
            parts.append((row["g_route"], str(Route(row["g_route"]).label)))
        else:
            region = regions.all_regions().get(row["g_region"])
            name = region.name if region else row["g_region"]
            text = f"{name}: {row['g_district']}" if row["g_district"] else name
            parts.append(((row["g_region"], row["g_district"]), text))
    return tuple(parts)


@dataclass
class FunnelRow:
    code: str
    label: str
    counts: list[int | None]
    shares: list[float | None] = field(default_factory=list)  # % of referred, when both shown


@dataclass
class Funnel:
    stages: list[tuple[str, str]]
    by: tuple[str, ...]
    total: FunnelRow
    rows: list[FunnelRow]
    threshold: int
    median_arrival_minutes: float | None
    median_admission_days: float | None
    hidden_count: int

    def header(self) -> list[str]:
        return [str(_("Group")), *[label for _c, label in self.stages]]

    def records(self) -> list[list[Any]]:
        return [[r.label, *r.counts] for r in [*self.rows, self.total]]


def _shares(counts: list[int | None]) -> list[float | None]:
    base = counts[0]
    return [
        None if (c is None or not base) else round(100 * c / base, 1)  # base None or 0
        for c in counts
    ]


class MinutesBetween(Func):
    """Whole minutes from the first timestamp to the second, in the database."""

    template = "FLOOR(EXTRACT(EPOCH FROM (%(expressions)s)) / 60)"
    arg_joiner = " - "
    output_field = IntegerField()

    def __init__(self, start: str, end: str) -> None:
        super().__init__(F(end), F(start))

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Any]:
        end, start = self.get_source_expressions()
        end_sql, end_params = compiler.compile(end)
        start_sql, start_params = compiler.compile(start)
        minutes = f"CAST((julianday({end_sql}) - julianday({start_sql})) * 1440 AS INTEGER)"
        return minutes, (*end_params, *start_params)


class DaysBetween(Func):
    """Whole days from the first date to the second, in the database."""

    template = "(%(expressions)s)"
    arg_joiner = " - "
    output_field = IntegerField()

    def __init__(self, start: str, end: str) -> None:
        super().__init__(F(end), F(start))

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Any]:
        end, start = self.get_source_expressions()
        end_sql, end_params = compiler.compile(end)
        start_sql, start_params = compiler.compile(start)
        days = f"CAST(julianday({end_sql}) - julianday({start_sql}) AS INTEGER)"
        return days, (*end_params, *start_params)


def _histogram_median(histogram: dict[int, int], threshold: int) -> float | None:
    """Median from (value, count) pairs; None below the threshold (a disclosure rule)."""
    n = sum(histogram.values())
    if n == 0 or n < threshold:
        return None
    ordered = sorted(histogram.items())

    def nth(k: int) -> int:
        seen = 0
        for value, count in ordered:
            seen += count
            if seen > k:
                return value
        return ordered[-1][0]

    return round((nth((n - 1) // 2) + nth(n // 2)) / 2, 1)


def _histogram(qs: QuerySet[Referral], measure: Func) -> dict[int, int]:
    rows = qs.annotate(d=measure).values("d").annotate(n=Count("pk")).values_list("d", "n")
    return {int(d): n for d, n in rows if d is not None}


def medians(filters: FunnelFilters, threshold: int) -> tuple[float | None, float | None]:
    """Median call-to-arrival (minutes) and referral-to-admission (days), grouped in SQL
    by value so that only a histogram, never a row per referral, reaches Python."""
    qs = referrals(filters).order_by()
    arrivals = _histogram(
        qs.filter(arrived_at__isnull=False), MinutesBetween("created_at", "arrived_at")
    )
    admissions = _histogram(
        qs.filter(admitted_on__isnull=False), DaysBetween("referred_on", "admitted_on")
    )
    return _histogram_median(arrivals, threshold), _histogram_median(admissions, threshold)


def funnel(
    filters: FunnelFilters,
    by: Sequence[str] = (),
    threshold: int | None = None,
    with_medians: bool = True,
) -> Funnel:
    """The protected funnel, overall and (optionally) by one or more breakdowns."""
    t = disclosure.min_cell() if threshold is None else threshold
    stages = [(code, str(label)) for code, label, _q in STAGES]
    raw = raw_counts(filters, by) if by else []
    whole = raw if by else raw_counts(filters)
    totals = [sum(row[code] or 0 for row in whole) for code in STAGE_CODES]
    grouped: dict[tuple[tuple[Any, str], ...], list[int]] = defaultdict(lambda: [0] * len(STAGES))
    names = _programme_names(raw) if "programme" in by else {}
    for row in raw:
        bucket = grouped[_key_of(row, by, names)]
        for j, code in enumerate(STAGE_CODES):
            bucket[j] += row[code]
    keys = sorted(grouped, key=lambda k: tuple(str(part[0]) for part in k))
    hidden = 0
    if keys:
        columns = [
            disclosure.protect_1d([grouped[k][j] for k in keys], totals[j], t)
            for j in range(len(STAGES))
        ]
        rows = [
            FunnelRow(
                "|".join(str(part[0]) for part in key),
                " · ".join(part[1] for part in key),
                [columns[j].cells[i] for j in range(len(STAGES))],
            )
            for i, key in enumerate(keys)
        ]
        total_counts = [columns[j].total for j in range(len(STAGES))]
    else:
        rows = []
        total_counts = [disclosure.safe_value(n, t) for n in totals]
    for line in rows:
        line.shares = _shares(line.counts)
        hidden += sum(c is None for c in line.counts)
    hidden += sum(c is None for c in total_counts)
    total = FunnelRow("", str(_("Total")), total_counts, _shares(total_counts))
    arrival, admission = medians(filters, t) if with_medians else (None, None)
    return Funnel(stages, tuple(by), total, rows, t, arrival, admission, hidden)
