"""Statistics from roll-ups: per organisation, month and dimension counts.

The dashboard, exports, API and advocacy report call ``aggregate.table``,
``key_figures`` and ``response_figures``; those read the roll-ups through
``count`` below whenever the roll-ups can give the same numbers as the live
aggregation (which stays available as the oracle: ``aggregate.counted_live``),
and count live otherwise. Disclosure control is applied afterwards, unchanged.

What is stored (``models.RollupCell``), per organisation and month of the
incident's start date (null: no start date):

* incidents and acts: the total and the count by every dimension (as recorded
  and by main category), computed with the live module's own expressions over
  that month's rows. Every incident (and act) lies in exactly one month, so the
  counts of several months add up exactly, even for dimensions that can take
  several values for one incident;
* victims_in_month: distinct victims within the month (the trend by month);
* first_contact: incidents by days to the first intervention (response figures);
* victims and cases: distinct people (cases with / without legal support)
  counted in the month they were *first* seen with a value. A person counted in
  March and May is one victim, so distinct victims cannot be summed over months;
  first-seen counts can, for every range that starts at the beginning (no
  "from" month): the victims with an act up to month M are exactly those first
  seen up to M. The first months are kept per (organisation, victim, dimension,
  value) in ``RollupFirstSeen``: exact, bounded by the number of distinct
  victims and values (not by acts), and updated for the victims of a changed
  incident only. A sketch (HyperLogLog) was ruled out: the small counts that
  disclosure control protects must be exact. With a "from" month, distinct
  victims (and cases) are counted live over that range's rows.

Maintenance: every audited change to an incident, act, perpetrator, person,
case, intervention, consent or legal action enqueues ``tasks.refresh_rollups``
for the incidents concerned (``hooks.py``); the worker recomputes the months
those incidents were and are in, and the first-seen rows of their victims and
cases. ``manage.py rebuild_rollups`` rebuilds everything. An organisation is
counted live until its roll-ups were built once (``RollupBuild``).

Served from roll-ups: an organisation, or a network whose organisations are
all built and have no cross-reported incidents (the de-duplication needs the
incidents); no filter other than whole months; a one-way table, or a table by
a time dimension and another dimension; depth "as recorded" or main
categories. Everything else is counted live. Vocabulary changes that move a
term under another parent need ``rebuild_rollups``.
"""

# ruff: noqa: S608 - the SQL below is built from Django's own compiled queries and constants
from __future__ import annotations

import calendar
import datetime
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import Case as When_
from django.db.models import Count, Exists, F, Min, OuterRef, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from vigil.cases.models import Case as CaseRecord
from vigil.cases.models import Intervention
from vigil.complaints.models import LegalAction
from vigil.incidents.models import Act, Event
from vigil.stats import aggregate
from vigil.stats.aggregate import (
    _SPECS,
    LEGAL_INTERVENTIONS,
    TIME_DIMS,
    Dim,
    Filters,
    Group,
    RawTable,
    Scope,
    Unit,
)
from vigil.stats.models import (
    CrossReport,
    RollupBuild,
    RollupCell,
    RollupEventState,
    RollupFirstSeen,
)

MONTH = Group(Dim.MONTH)
TOTAL = "total"
FIRST_CONTACT = "first_contact"
LEGAL_SUPPORT = "legal_support"
VICTIMS_IN_MONTH = "victims_in_month"
CONSENT_LEVEL = "consent_level"
POLICE_REPORT = "police_report"
Months = set[datetime.date | None]
Progress = Callable[[str], None]


def variants() -> list[tuple[str, Group]]:
    """Every stored dimension: (code, grouping) as recorded and by main category."""
    found = []
    for dim in Dim:
        if dim in TIME_DIMS:
            continue
        found.append((dim.value, Group(dim, None)))
        if _SPECS[dim].term_list:
            found.append((f"{dim.value}@0", Group(dim, 0)))
    return found


def dimension_key(group: Group) -> str | None:
    """The stored dimension for a grouping, or None when it is not stored."""
    if group.dim in TIME_DIMS:
        return None
    if not _SPECS[group.dim].term_list or group.depth is None:
        return group.dim.value
    return f"{group.dim.value}@0" if group.depth == 0 else None


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _decode(dim: Dim, text: str | None) -> Any:
    if text is None:
        return None
    return int(text) if _SPECS[dim].term_list else text


def _day(value: Any) -> datetime.date | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, str):
        return datetime.date.fromisoformat(value[:10])
    return value.replace(day=1)


def _month_q(field: str, months: Iterable[datetime.date | None]) -> Q:
    """Rows whose ``field`` (a date) falls in one of the months (None: no date)."""
    q = Q(pk__in=[])
    for month in months:
        if month is None:
            q |= Q(**{f"{field}__isnull": True})
        else:
            end = aggregate._next_period(Dim.MONTH, month)
            q |= Q(**{f"{field}__gte": month, f"{field}__lt": end})
    return q


def _in_months(months: Months) -> Q:
    """RollupCell / RollupFirstSeen rows of the months."""
    known = [m for m in months if m is not None]
    q = Q(month__in=known)
    if None in months:
        q |= Q(month__isnull=True)
    return q


# --- computing cells from live rows --------------------------------------------------------


def _live_cells(org_id: int, months: Months | None) -> list[RollupCell]:
    """Incidents, acts, victims within the month and first contact, for the months
    (every month when None), with the live module's expressions and measures."""
    scope = Scope((org_id,))
    cells: list[RollupCell] = []

    def add(month: Any, unit: str, dimension: str, value: Any, n: int) -> None:
        cells.append(
            RollupCell(
                organisation_id=org_id,
                month=_day(month),
                unit=unit,
                dimension=dimension,
                value=_text(value),
                count=n,
            )
        )

    for unit in (Unit.INCIDENTS, Unit.ACTS):
        qs, column, on_event = aggregate._base(unit, scope, Filters())
        if months is not None:
            qs = qs.filter(_month_q("start_date" if on_event else "event__start_date", months))
        m_expr = aggregate._expression(MONTH, on_event)
        measure = aggregate._measure(column, on_event, MONTH)
        for (month,), n in aggregate._grouped(qs, measure, {"m": m_expr}).items():
            add(month, unit.value, TOTAL, None, n)
        for code, group in variants():
            measure = aggregate._measure(column, on_event, MONTH, group)
            names = {"m": m_expr, "v": aggregate._expression(group, on_event)}
            for (month, value), n in aggregate._grouped(qs, measure, names).items():
                add(month, unit.value, code, value, n)

    acts = aggregate.acts(scope)
    events = aggregate.events(scope)
    if months is not None:
        acts = acts.filter(_month_q("event__start_date", months))
        events = events.filter(_month_q("start_date", months))
    in_month = {"m": aggregate._expression(MONTH, False)}
    for (month,), n in aggregate._grouped(
        acts, Count("victim_id", distinct=True), in_month
    ).items():
        add(month, VICTIMS_IN_MONTH, TOTAL, None, n)

    first = (
        Intervention.objects.filter(case__incidents=OuterRef("pk"))
        .order_by()
        .values("case__incidents")
        .annotate(first=Min("date"))
        .values("first")
    )
    deltas = events.annotate(
        delta=aggregate._DaysBetween(
            aggregate.Subquery(first), Coalesce("start_date", TruncDate("created_at"))
        ),
        m=aggregate._expression(MONTH, True),
    )
    histogram: dict[tuple[Any, int], int] = {}
    for month, delta, n in (
        deltas.values("m", "delta").annotate(n=Count("pk")).values_list("m", "delta", "n")
    ):
        if delta is None:  # no intervention yet
            continue
        key = (_day(month), max(int(delta), 0))
        histogram[key] = histogram.get(key, 0) + n
    for (month, days), n in histogram.items():
        add(month, Unit.INCIDENTS.value, FIRST_CONTACT, days, n)
    for (month, dimension, level), n in _consent_levels(events).items():
        add(month, Unit.INCIDENTS.value, dimension, level, n)
    return cells


def _consent_levels(events: QuerySet[Event]) -> dict[tuple[Any, str, str], int]:
    """Incidents by consent level, and those that became police reports (the Ugly Mugs
    figures of ``alerts.figures``, with its own rule), by month."""
    from vigil.alerts import figures

    month_of = {
        pk: _day(month)
        for pk, month in events.values_list("pk", aggregate._expression(MONTH, True))
    }
    reported = set(
        LegalAction.objects.filter(
            body__body_type__in=figures.POLICE_BODIES, acts__event__in=events
        )
        .exclude(status=figures.ActionStatus.DRAFT)
        .values_list("acts__event_id", flat=True)
    )
    found: dict[tuple[Any, str, str], int] = {}
    levels = figures._levels_of_events(list(month_of))  # bounded IN lists, in chunks
    for event_id, level in levels.items():
        for dimension in [CONSENT_LEVEL] + ([POLICE_REPORT] if event_id in reported else []):
            key = (month_of[event_id], dimension, level)
            found[key] = found.get(key, 0) + 1
    return found


# --- first-seen rows ---------------------------------------------------------------------


def _insert_select(qs: QuerySet, org_id: int, kind: str, dimension: str) -> None:
    """INSERT ... SELECT the (k, v, f) rows of ``qs`` as first-seen rows, in the database."""
    sql, params = qs.query.sql_with_params()
    table = RollupFirstSeen._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (organisation_id, kind, key, dimension, value, month) "
            f"SELECT %s, %s, sub.k, %s, sub.v, sub.f FROM ({sql}) sub",
            [org_id, kind, dimension, *params],
        )


def _first_month() -> Any:
    return aggregate._TRUNC[Dim.MONTH](Min("event__start_date"))


def _victims_first_seen(org_id: int, victims: list[int] | None, progress: Progress) -> None:
    acts = aggregate.acts(Scope((org_id,)))
    if victims is not None:
        acts = acts.filter(victim_id__in=victims)
    nothing = Value(None, output_field=RollupCell._meta.get_field("value"))
    everyone = acts.values(k=F("victim_id"), v=nothing).annotate(f=_first_month())
    _insert_select(everyone, org_id, "victim", TOTAL)
    for code, group in variants():
        qs = acts.values(k=F("victim_id"), v=aggregate._expression(group, False)).annotate(
            f=_first_month()
        )
        _insert_select(qs, org_id, "victim", code)
        if victims is None:
            progress(f"first-seen victims by {code}")


def _legal_case(outer: str) -> Any:
    legal = Intervention.objects.filter(
        case=OuterRef(outer), intervention_type__code__in=LEGAL_INTERVENTIONS
    )
    filed = LegalAction.objects.filter(case=OuterRef(outer), submitted_on__isnull=False)
    return When_(
        When(Exists(legal) | Exists(filed), then=Value("legal")),
        default=Value("other"),
        output_field=RollupCell._meta.get_field("value"),
    )


def _cases_first_seen(org_id: int, cases: list[int] | None) -> None:
    links = CaseRecord.incidents.through.objects.filter(
        event_id__in=aggregate.events(Scope((org_id,))).values("pk")
    )
    if cases is not None:
        links = links.filter(case_id__in=cases)
    qs = (
        links.order_by().values(k=F("case_id"), v=_legal_case("case_id")).annotate(f=_first_month())
    )
    _insert_select(qs, org_id, "case", LEGAL_SUPPORT)


def _reseen(org_id: int, kind: str, keys: set[int]) -> Counter[tuple]:
    """Recompute the first-seen rows of some victims or cases; returns the change of
    each (month, dimension, value) count, which is all their cells need."""
    if not keys:
        return Counter()
    rows = RollupFirstSeen.objects.filter(organisation_id=org_id, kind=kind, key__in=keys)
    old = Counter(rows.values_list("month", "dimension", "value"))
    rows.delete()
    if kind == "victim":
        _victims_first_seen(org_id, sorted(keys), lambda _text: None)
    else:
        _cases_first_seen(org_id, sorted(keys))
    change = Counter(rows.values_list("month", "dimension", "value"))
    change.subtract(old)
    return Counter({key: n for key, n in change.items() if n})


def _shift(org_id: int, unit: str, change: Counter[tuple]) -> None:
    """Add a change to first-seen cells: bounded by the changed victims' rows, where
    counting the cells again would read every victim first seen in those months."""
    for (month, dimension, value), n in change.items():
        cell = Q(organisation_id=org_id, unit=unit, dimension=dimension)
        cell &= Q(month__isnull=True) if month is None else Q(month=month)
        cell &= Q(value__isnull=True) if value is None else Q(value=value)
        updated = RollupCell.objects.filter(cell).update(count=F("count") + n)
        if not updated and n > 0:
            RollupCell.objects.create(
                organisation_id=org_id,
                month=month,
                unit=unit,
                dimension=dimension,
                value=value,
                count=n,
            )
    if change:
        months = {month for month, _d, _v in change}
        RollupCell.objects.filter(
            _in_months(months), organisation_id=org_id, unit=unit, count=0
        ).delete()


def _first_seen_cells(org_id: int) -> list[RollupCell]:
    rows = RollupFirstSeen.objects.filter(organisation_id=org_id)
    grouped = rows.order_by().values("kind", "month", "dimension", "value").annotate(n=Count("pk"))
    unit = {"victim": Unit.VICTIMS.value, "case": Unit.CASES.value}
    return [
        RollupCell(
            organisation_id=org_id,
            month=row["month"],
            unit=unit[row["kind"]],
            dimension=row["dimension"],
            value=row["value"],
            count=row["n"],
        )
        for row in grouped.iterator()
    ]


# --- maintenance ---------------------------------------------------------------------------

LIVE_UNITS = (Unit.INCIDENTS.value, Unit.ACTS.value, VICTIMS_IN_MONTH)


def rebuild(org_id: int, progress: Progress = lambda _text: None) -> int:
    """Build every roll-up of one organisation from its live rows; returns the cells."""
    with transaction.atomic():
        RollupCell.objects.filter(organisation_id=org_id).delete()
        RollupFirstSeen.objects.filter(organisation_id=org_id).delete()
        RollupEventState.objects.filter(organisation_id=org_id).delete()
        events = Event.objects.filter(organisation_id=org_id).values(
            k=F("pk"), o=F("organisation_id"), m=aggregate._expression(MONTH, True)
        )
        sql, params = events.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {RollupEventState._meta.db_table} (event_id, organisation_id, month) "
                f"SELECT sub.k, sub.o, sub.m FROM ({sql}) sub",
                params,
            )
        progress("incident months")
        cells = _live_cells(org_id, None)
        progress(f"incident and act counts: {len(cells):,} cells")
        _victims_first_seen(org_id, None, progress)
        _cases_first_seen(org_id, None)
        progress("first-seen cases")
        cells += _first_seen_cells(org_id)
        RollupCell.objects.bulk_create(cells, batch_size=2000)
        RollupBuild.objects.update_or_create(
            organisation_id=org_id, defaults={"built_at": timezone.now()}
        )
    return len(cells)


def refresh(
    org_id: int,
    event_ids: Iterable[int],
    victim_ids: Iterable[int] = (),
    case_ids: Iterable[int] = (),
) -> None:
    """Recompute what some incidents (and victims, cases) count in, incrementally: the
    months the incidents were and are in (bounded by those months' rows) and the
    first-seen rows of their victims and cases."""
    events = sorted(set(event_ids))
    with transaction.atomic():
        build = RollupBuild.objects.select_for_update().filter(organisation_id=org_id).first()
        if build is None:
            rebuild(org_id)
            return
        if connection.vendor == "postgresql":
            # A month's or a victim's rows are few: reach them through the indexes. Left to
            # itself PostgreSQL hash-joins every act of the organisation (measured: 5x slower
            # at 200,000 acts, growing with the data). For this transaction only.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_hashjoin = off")
                cursor.execute("SET LOCAL enable_mergejoin = off")
        states = RollupEventState.objects.filter(event_id__in=events)
        months: Months = set(states.values_list("month", flat=True))
        states.delete()
        live = Event.objects.filter(pk__in=events, organisation_id=org_id).values_list(
            "pk", "start_date"
        )
        fresh = [
            RollupEventState(event_id=pk, organisation_id=org_id, month=_day(day))
            for pk, day in live
        ]
        RollupEventState.objects.bulk_create(fresh)
        months |= {state.month for state in fresh}
        victims = set(victim_ids) | set(
            Act.objects.filter(event_id__in=events).values_list("victim_id", flat=True)
        )
        links = CaseRecord.incidents.through.objects.filter(event_id__in=events)
        cases = set(case_ids) | set(links.values_list("case_id", flat=True))
        _shift(org_id, Unit.VICTIMS.value, _reseen(org_id, "victim", victims))
        _shift(org_id, Unit.CASES.value, _reseen(org_id, "case", cases))
        if months:
            mine = RollupCell.objects.filter(organisation_id=org_id)
            mine.filter(_in_months(months), unit__in=LIVE_UNITS).delete()
            RollupCell.objects.bulk_create(_live_cells(org_id, months), batch_size=2000)
        build.built_at = timezone.now()
        build.save(update_fields=["built_at"])


# --- reading -------------------------------------------------------------------------------


def _last_day(day: datetime.date) -> bool:
    return day.day == calendar.monthrange(day.year, day.month)[1]


def _cached(key: tuple, compute: Callable[[], Any]) -> Any:
    cache = aggregate._TOTALS.get()
    if cache is not None and key in cache:
        return cache[key]
    value = compute()
    if cache is not None:
        cache[key] = value
    return value


def servable(scope: Scope, filters: Filters) -> bool:
    """Can the roll-ups give exactly the live numbers for this scope and filters?"""
    dates_only = Filters(date_from=filters.date_from, date_to=filters.date_to)
    if filters != dates_only or not scope.organisation_ids:
        return False
    if filters.date_from and filters.date_from.day != 1:
        return False
    if filters.date_to and not _last_day(filters.date_to):
        return False

    def built() -> bool:
        ids = scope.organisation_ids
        if RollupBuild.objects.filter(organisation_id__in=ids).count() != len(ids):
            return False
        if scope.is_network:  # de-duplication of cross-reports needs the incidents
            return not CrossReport.objects.filter(event__organisation_id__in=ids).exists()
        return True

    return bool(_cached(("rollup-built", scope), built))


def _cells(scope: Scope, unit: str, dimension: str, filters: Filters) -> QuerySet[RollupCell]:
    qs = RollupCell.objects.filter(
        organisation_id__in=scope.organisation_ids, unit=unit, dimension=dimension
    )
    return qs.filter(_range_q(filters)).order_by()


def _range_q(filters: Filters) -> Q:
    q = Q()
    if filters.date_from or filters.date_to:
        q &= Q(month__isnull=False)
    if filters.date_from:
        q &= Q(month__gte=filters.date_from)
    if filters.date_to:
        q &= Q(month__lte=filters.date_to)
    return q


def _by(qs: QuerySet[RollupCell], *names: str) -> list[tuple]:
    return list(qs.values(*names).annotate(n=Sum("count")).values_list(*names, "n"))


def _summed_unit(unit: Unit, filters: Filters) -> str | None:
    """The stored unit that sums to ``unit`` over the filters' months, if any."""
    if unit in (Unit.VICTIMS, Unit.CASES):
        return None if filters.date_from else unit.value
    return unit.value


def total(scope: Scope, unit: Unit, filters: Filters) -> int | None:
    stored = _summed_unit(unit, filters)
    if stored is None or not servable(scope, filters):
        return None
    if unit == Unit.CASES:
        return sum(int(n) for _v, n in _by(_cells(scope, stored, LEGAL_SUPPORT, filters), "value"))
    rows = _by(_cells(scope, stored, TOTAL, filters), "unit")
    return int(rows[0][-1]) if rows else 0


def _one_way(scope: Scope, unit: Unit, group: Group, filters: Filters) -> dict[Any, int] | None:
    if group.dim in TIME_DIMS:
        if unit == Unit.VICTIMS:
            if group.dim != Dim.MONTH:
                return None
            rows = _by(_cells(scope, VICTIMS_IN_MONTH, TOTAL, filters), "month")
            return {_day(m): int(n) for m, n in rows}
        found: dict[Any, int] = {}
        for month, n in _by(_cells(scope, unit.value, TOTAL, filters), "month"):
            key = None if month is None else aggregate._period(group.dim, month)
            found[key] = found.get(key, 0) + int(n)
        return found
    code = dimension_key(group)
    stored = _summed_unit(unit, filters)
    if code is None or stored is None:
        return None
    rows = _by(_cells(scope, stored, code, filters), "value")
    return {_decode(group.dim, v): int(n) for v, n in rows if n}


def _two_way(
    scope: Scope, unit: Unit, rows: Group, columns: Group, filters: Filters
) -> dict[tuple[Any, Any], int] | None:
    """A time dimension by another dimension (incidents and acts only)."""
    if unit not in (Unit.INCIDENTS, Unit.ACTS):
        return None
    time_first = rows.dim in TIME_DIMS
    time, other = (rows, columns) if time_first else (columns, rows)
    code = dimension_key(other)
    if time.dim not in TIME_DIMS or code is None:
        return None
    cells: dict[tuple[Any, Any], int] = {}
    for month, value, n in _by(_cells(scope, unit.value, code, filters), "month", "value"):
        period = None if month is None else aggregate._period(time.dim, month)
        key = (period, _decode(other.dim, value))
        key = key if time_first else (key[1], key[0])
        cells[key] = cells.get(key, 0) + int(n)
    return cells


def count(
    scope: Scope, unit: Unit, rows: Group, columns: Group | None, filters: Filters
) -> RawTable | None:
    """The live module's ``RawTable`` from roll-ups, or None when they cannot give it."""
    if _summed_unit(unit, filters) is None or not servable(scope, filters):
        return None  # distinct victims from a "from" month: counted live over that range
    by_row = _one_way(scope, unit, rows, filters)
    if by_row is None:
        return None
    if columns is None:
        n = aggregate._total(unit, scope, filters, lambda: total(scope, unit, filters))
        cells = {(k, None): v for k, v in by_row.items()}
        keys = aggregate._ordered_keys(rows.dim, by_row, filters)
        return RawTable(unit, rows, None, keys, [None], cells, by_row, {None: n}, n)
    by_column = _one_way(scope, unit, columns, filters)
    both = _two_way(scope, unit, rows, columns, filters)
    if by_column is None or both is None:
        return None
    n = aggregate._total(unit, scope, filters, lambda: total(scope, unit, filters))
    return RawTable(
        unit,
        rows,
        columns,
        aggregate._ordered_keys(rows.dim, by_row, filters),
        aggregate._ordered_keys(columns.dim, by_column, filters),
        both,
        by_row,
        by_column,
        n,
    )


def contact_histogram(scope: Scope, filters: Filters) -> dict[int, int] | None:
    if not servable(scope, filters):
        return None
    rows = _by(_cells(scope, Unit.INCIDENTS.value, FIRST_CONTACT, filters), "value")
    return {int(v): int(n) for v, n in rows if n}


def consent_levels(
    organisation_ids: tuple[int, ...],
    start: datetime.date | None,
    end: datetime.date | None,
) -> tuple[dict[str, int], dict[str, int]] | None:
    """Incidents by consent level, and police reports by level, for ``alerts.figures``
    (no de-duplication there: a network sums its organisations)."""
    filters = Filters(date_from=start, date_to=end)
    scope = Scope(tuple(organisation_ids))
    if not servable(scope, filters):
        return None
    rows = RollupCell.objects.filter(
        organisation_id__in=organisation_ids,
        unit=Unit.INCIDENTS.value,
        dimension__in=[CONSENT_LEVEL, POLICE_REPORT],
    )
    rows = rows.filter(_range_q(filters)).order_by()
    counts: dict[str, int] = {}
    police: dict[str, int] = {}
    for dimension, value, n in _by(rows, "dimension", "value"):
        (counts if dimension == CONSENT_LEVEL else police)[value] = int(n)
    return counts, police


def legal_split(scope: Scope, filters: Filters) -> dict[bool, int] | None:
    if filters.date_from or not servable(scope, filters):
        return None
    rows = _by(_cells(scope, Unit.CASES.value, LEGAL_SUPPORT, filters), "value")
    return {v == "legal": int(n) for v, n in rows}
