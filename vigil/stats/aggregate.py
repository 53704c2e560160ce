"""The one aggregation module: counts from clear columns only.

Dashboards, exports, the API and the advocacy report all call ``table``,
``key_figures`` and ``response_figures``; each result says its counting unit
and has already passed through disclosure control (``disclosure.py``).
``count`` returns raw numbers and is for this module and its tests only.

What counts: incidents with status *recorded* whose statistics consent is
given (``Event.stats_consent``, kept current by ``cases.consent``). Drafts and
incidents without consent never appear, not even as a total.

Counting units (always explicit):

* incidents: distinct ``Event`` rows;
* acts: ``Act`` rows (one victim suffering one type of act);
* victims: distinct ``Person`` rows that suffered at least one counted act.

A dimension that can take several values for one unit (perpetrator type,
characteristic, intervention type, act type for incidents ...) counts the unit
once in each value, so its rows may add up to more than the total; totals are
always counted directly, never summed.

Network scope adds the incidents of every opted-in organisation and drops
incidents marked as cross-reported (``CrossReport``) except the copy with the
lowest id among those counted, so an incident reported to two organisations
counts once.

Every query is a SQL GROUP BY (``values().annotate(Count(...))``); no Python
loop runs over incident, act or person rows. ``COUNT(DISTINCT ...)`` is used
only where a grouping reaches through a one-to-many or many-to-many relation
(perpetrators, characteristics, cases ...) or counts victims; elsewhere every
row is one unit and a plain ``COUNT`` gives the same number faster (on
PostgreSQL a distinct count sorts; see docs/performance.md). Within
``shared_totals()`` a table's total is counted once per scope, unit and
filters instead of once per table: the dashboard and the report use it.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate, TruncMonth, TruncQuarter, TruncYear
from django.utils.translation import gettext_lazy as _

from vigil.cases.models import Case as CaseRecord
from vigil.cases.models import Intervention
from vigil.complaints.models import LegalAction
from vigil.incidents import regions
from vigil.incidents.models import (
    Act,
    AgeBand,
    Event,
    EventStatus,
    Perpetrator,
    Person,
    SourceChannel,
)
from vigil.stats import disclosure
from vigil.stats.models import CrossReport, Network, NetworkShare
from vigil.vocab.models import Term

# Interventions that count as legal support in the response figures.
LEGAL_INTERVENTIONS = ("INTV.LEGAL_ADVICE", "INTV.COMPLAINT", "INTV.LITIGATION")
NOT_RECORDED = _("Not recorded")


class Unit(StrEnum):
    INCIDENTS = "incidents"
    ACTS = "acts"
    VICTIMS = "victims"
    CASES = "cases"  # response figures only

    @property
    def label(self) -> str:
        return str(UNIT_LABELS[self])


UNIT_LABELS = {
    Unit.INCIDENTS: _("Incidents"),
    Unit.ACTS: _("Acts"),
    Unit.VICTIMS: _("Victims (distinct people)"),
    Unit.CASES: _("Cases"),
}

# Units a table can count (cases only appear in the response figures).
TABLE_UNITS = (Unit.INCIDENTS, Unit.ACTS, Unit.VICTIMS)


class Dim(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    COUNTRY = "country"
    REGION = "region"
    ACT_TYPE = "act_type"
    PERPETRATOR_TYPE = "perpetrator_type"
    PLACE_TYPE = "place_type"
    PRIMARY_GROUP = "primary_group"
    CHARACTERISTIC = "characteristic"
    AGE_BAND = "age_band"
    SOURCE_CHANNEL = "source_channel"
    INTERVENTION_TYPE = "intervention_type"
    CASE_OUTCOME = "case_outcome"

    @property
    def label(self) -> str:
        return str(DIM_LABELS[self])


DIM_LABELS = {
    Dim.MONTH: _("Month"),
    Dim.QUARTER: _("Quarter"),
    Dim.YEAR: _("Year"),
    Dim.COUNTRY: _("Country"),
    Dim.REGION: _("Region"),
    Dim.ACT_TYPE: _("Act type"),
    Dim.PERPETRATOR_TYPE: _("Perpetrator type"),
    Dim.PLACE_TYPE: _("Place type"),
    Dim.PRIMARY_GROUP: _("Victim's primary group"),
    Dim.CHARACTERISTIC: _("Victim characteristic"),
    Dim.AGE_BAND: _("Age band"),
    Dim.SOURCE_CHANNEL: _("Source channel"),
    Dim.INTERVENTION_TYPE: _("Response (intervention) type"),
    Dim.CASE_OUTCOME: _("Case outcome"),
}

TIME_DIMS = frozenset({Dim.MONTH, Dim.QUARTER, Dim.YEAR})


@dataclass(frozen=True)
class _Spec:
    from_event: str  # lookup relative to Event
    from_act: str  # lookup relative to Act
    term_list: str = ""


_SPECS: dict[Dim, _Spec] = {
    Dim.MONTH: _Spec("start_date", "event__start_date"),
    Dim.QUARTER: _Spec("start_date", "event__start_date"),
    Dim.YEAR: _Spec("start_date", "event__start_date"),
    Dim.COUNTRY: _Spec("country", "event__country"),
    Dim.REGION: _Spec("region", "event__region"),
    Dim.ACT_TYPE: _Spec("acts__act_type", "act_type", "act_type"),
    Dim.PERPETRATOR_TYPE: _Spec(
        "perpetrators__perpetrator_type",
        "event__perpetrators__perpetrator_type",
        "perpetrator_type",
    ),
    Dim.PLACE_TYPE: _Spec("place_type", "event__place_type", "place_type"),
    Dim.PRIMARY_GROUP: _Spec(
        "acts__victim__primary_group", "victim__primary_group", "characteristic"
    ),
    Dim.CHARACTERISTIC: _Spec(
        "acts__victim__characteristics", "victim__characteristics", "characteristic"
    ),
    Dim.AGE_BAND: _Spec("acts__victim__age_band", "victim__age_band"),
    Dim.SOURCE_CHANNEL: _Spec("source_channel", "event__source_channel"),
    Dim.INTERVENTION_TYPE: _Spec(
        "cases__interventions__intervention_type",
        "event__cases__interventions__intervention_type",
        "intervention_type",
    ),
    Dim.CASE_OUTCOME: _Spec("cases__outcome", "event__cases__outcome", "case_outcome"),
}


class _NativeTrunc:
    """On SQLite, truncate a date column with the built-in ``strftime`` instead of
    Django's Python function, which SQLite calls once per row (a million calls for
    a million acts: about a second per query). Same text result, same conversion."""

    date_format = ""

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, tuple]:
        lhs = self.lhs  # type: ignore[attr-defined]
        if isinstance(lhs.output_field, models.DateTimeField):  # time zones: Django's way
            return self.as_sql(compiler, connection, **extra)  # type: ignore[attr-defined]
        sql, params = compiler.compile(lhs)
        return f"strftime(%s, {sql})", (self.date_format, *params)


class _TruncMonth(_NativeTrunc, TruncMonth):
    date_format = "%Y-%m-01"


class _TruncYear(_NativeTrunc, TruncYear):
    date_format = "%Y-01-01"


_TRUNC = {Dim.MONTH: _TruncMonth, Dim.QUARTER: TruncQuarter, Dim.YEAR: _TruncYear}


class _DaysBetween(models.Func):
    """Whole days from the second date to the first, computed by the database itself
    (PostgreSQL: date - date; SQLite: julianday), not by a Python function per row."""

    arity = 2
    output_field = IntegerField()
    template = "(%(expressions)s)"
    arg_joiner = " - "

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list]:
        later, later_params = compiler.compile(self.source_expressions[0])
        earlier, earlier_params = compiler.compile(self.source_expressions[1])
        sql = f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"
        return sql, [*later_params, *earlier_params]


@dataclass(frozen=True)
class Group:
    """A grouping: a dimension and, for hierarchical term lists, the depth to roll up to
    (0 = top level; None = as recorded)."""

    dim: Dim
    depth: int | None = None

    @property
    def label(self) -> str:
        return self.dim.label


# --- scope and filters -----------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """Whose incidents count: one organisation, or a network's opted-in organisations."""

    organisation_ids: tuple[int, ...]
    network_id: int | None = None
    label: str = ""

    @property
    def is_network(self) -> bool:
        return self.network_id is not None

    @classmethod
    def for_organisation(cls, organisation: Any) -> Scope:
        return cls((organisation.pk,), None, organisation.name)

    @classmethod
    def for_network(cls, network: Network) -> Scope:
        ids = NetworkShare.objects.filter(network=network, opted_in=True).values_list(
            "organisation_id", flat=True
        )
        return cls(tuple(sorted(ids)), network.pk, network.name)

    def describe(self) -> str:
        if self.is_network:
            return f"network:{self.network_id}"
        return "organisation:" + ",".join(map(str, self.organisation_ids))


@dataclass(frozen=True)
class Filters:
    """Filters on clear columns. Term filters take codes and match any level below."""

    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    countries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    act_types: tuple[str, ...] = ()
    perpetrator_types: tuple[str, ...] = ()
    place_types: tuple[str, ...] = ()
    primary_groups: tuple[str, ...] = ()
    characteristics: tuple[str, ...] = ()  # any of
    age_bands: tuple[str, ...] = ()
    source_channels: tuple[str, ...] = ()
    intervention_types: tuple[str, ...] = ()
    case_outcomes: tuple[str, ...] = ()

    def as_audit(self) -> dict[str, Any]:
        """Codes and months only: safe for the audit log."""
        data: dict[str, Any] = {}
        for name, value in self.__dict__.items():
            if value:
                data[name] = value.isoformat()[:7] if isinstance(value, datetime.date) else value
        return data

    @property
    def has_act_filters(self) -> bool:
        return bool(self.act_types or self.primary_groups or self.characteristics or self.age_bands)


def _terms_under(codes: Sequence[str]) -> QuerySet[Term]:
    """Terms at or below any of the codes (materialised path prefix)."""
    q = Q()
    for code in codes:
        q |= Q(path__startswith=f"{code}/") | Q(path__contains=f"/{code}/")
    return Term.objects.filter(q)


def _term_q(lookup: str, codes: Sequence[str]) -> Q:
    return Q(**{f"{lookup}__in": _terms_under(codes).values("pk")})


def _event_q(f: Filters, p: str, event_id: str) -> Q:
    """Event-level conditions; ``p`` is the prefix to Event, ``event_id`` its id lookup."""
    q = Q()
    if f.date_from:
        q &= Q(**{f"{p}start_date__gte": f.date_from})
    if f.date_to:
        q &= Q(**{f"{p}start_date__lte": f.date_to})
    if f.countries:
        q &= Q(**{f"{p}country__in": f.countries})
    if f.regions:
        q &= Q(**{f"{p}region__in": f.regions})
    if f.place_types:
        q &= _term_q(f"{p}place_type", f.place_types)
    if f.source_channels:
        q &= Q(**{f"{p}source_channel__in": f.source_channels})
    if f.perpetrator_types:
        perpetrators = Perpetrator.objects.filter(_term_q("perpetrator_type", f.perpetrator_types))
        q &= Q(**{f"{event_id}__in": perpetrators.values("event_id")})
    links = CaseRecord.incidents.through.objects
    if f.intervention_types:
        lookup = "case__interventions__intervention_type"
        q &= Q(
            **{
                f"{event_id}__in": links.filter(_term_q(lookup, f.intervention_types)).values(
                    "event_id"
                )
            }
        )
    if f.case_outcomes:
        matching = links.filter(_term_q("case__outcome", f.case_outcomes))
        q &= Q(**{f"{event_id}__in": matching.values("event_id")})
    return q


def _act_q(f: Filters) -> Q:
    """Act-level conditions, relative to Act."""
    q = Q()
    if f.act_types:
        q &= _term_q("act_type", f.act_types)
    if f.primary_groups:
        q &= _term_q("victim__primary_group", f.primary_groups)
    if f.characteristics:
        having = Person.objects.filter(
            _term_q("characteristics", f.characteristics)
            | _term_q("primary_group", f.characteristics)
        )
        q &= Q(victim_id__in=having.values("pk"))
    if f.age_bands:
        q &= Q(victim__age_band__in=f.age_bands)
    return q


def _duplicates(scope: Scope) -> QuerySet[CrossReport, Any]:
    """Ids of counted incidents whose shared reference has an earlier counted copy."""
    counted = Q(
        event__organisation_id__in=scope.organisation_ids,
        event__status=EventStatus.RECORDED,
        event__stats_consent=True,
    )
    earlier = CrossReport.objects.filter(
        counted, token=OuterRef("token"), event_id__lt=OuterRef("event_id")
    )
    return CrossReport.objects.filter(counted).filter(Exists(earlier)).values("event_id")


def events(scope: Scope, filters: Filters = Filters()) -> QuerySet[Event]:
    """Counted incidents in scope matching the filters (for counting only)."""
    qs = Event.objects.filter(
        organisation_id__in=scope.organisation_ids,
        status=EventStatus.RECORDED,
        stats_consent=True,
    )
    if scope.is_network:
        qs = qs.exclude(pk__in=_duplicates(scope))
    qs = qs.filter(_event_q(filters, "", "pk"))
    if filters.has_act_filters:
        qs = qs.filter(pk__in=Act.objects.filter(_act_q(filters)).values("event_id"))
    return qs.order_by()


def acts(scope: Scope, filters: Filters = Filters()) -> QuerySet[Act]:
    """Counted acts in scope matching the filters (for counting only)."""
    qs = Act.objects.filter(
        event__organisation_id__in=scope.organisation_ids,
        event__status=EventStatus.RECORDED,
        event__stats_consent=True,
    )
    if scope.is_network:
        qs = qs.exclude(event_id__in=_duplicates(scope))
    return qs.filter(_event_q(filters, "event__", "event_id")).filter(_act_q(filters)).order_by()


def _base(unit: Unit, scope: Scope, filters: Filters) -> tuple[QuerySet, str, bool]:
    """The counted rows, the column that identifies a unit, and whether rows are Events.

    ``events`` and ``acts`` hold one row per incident or act (filters are
    subqueries, joins are many-to-one), so the column is unique in them."""
    if unit == Unit.INCIDENTS:
        return events(scope, filters), "pk", True
    return acts(scope, filters), "pk" if unit == Unit.ACTS else "victim_id", False


def _fans_out(model: type[models.Model], lookup: str) -> bool:
    """Does following ``lookup`` from ``model`` join a one-to-many or many-to-many relation
    (so that one row of ``model`` may appear several times)?"""
    for part in lookup.split("__"):
        try:
            found = model._meta.get_field(part)
        except FieldDoesNotExist:  # a transform or lookup name: the path ended
            return False
        if not found.is_relation:
            return False
        if found.one_to_many or found.many_to_many:
            return True
        model = found.related_model  # type: ignore[assignment]
    return False


def _measure(column: str, on_event: bool, *groups: Group | None) -> Count:
    """Count units: distinct only for victims or when a grouping can repeat a row."""
    model = Event if on_event else Act
    repeated = column != "pk" or any(
        _fans_out(model, _SPECS[g.dim].from_event if on_event else _SPECS[g.dim].from_act)
        for g in groups
        if g is not None
    )
    return Count(column, distinct=repeated)


# --- totals shared within one page or report -------------------------------------------

_TOTALS: ContextVar[dict[tuple, int] | None] = ContextVar("stats_totals", default=None)


@contextlib.contextmanager
def shared_totals() -> Iterator[None]:
    """Count each total (scope, unit, filters) once inside the block (one page, one report)."""
    token = _TOTALS.set({})
    try:
        yield
    finally:
        _TOTALS.reset(token)


def _total(unit: Unit, scope: Scope, filters: Filters, compute: Any) -> int:
    cache = _TOTALS.get()
    key = (unit, scope, filters)
    if cache is not None and key in cache:
        return cache[key]
    value = int(compute() or 0)
    if cache is not None:
        cache[key] = value
    return value


# --- grouping expressions ------------------------------------------------------------


def _ancestors(term_list: str, depth: int) -> dict[int, int]:
    """Map each deeper term of a list to its ancestor at ``depth`` (one small query)."""
    rows = list(Term.objects.filter(list=term_list).values_list("pk", "code", "path", "depth"))
    by_code = {code: pk for pk, code, _path, _depth in rows}
    mapping = {}
    for pk, _code, path, term_depth in rows:
        if term_depth > depth:
            ancestor = path.strip("/").split("/")[depth]
            if ancestor in by_code:
                mapping[pk] = by_code[ancestor]
    return mapping


def _expression(group: Group, on_event: bool) -> Any:
    spec = _SPECS[group.dim]
    lookup = spec.from_event if on_event else spec.from_act
    if group.dim in _TRUNC:
        return _TRUNC[group.dim](lookup)
    if spec.term_list and group.depth is not None:
        mapping = _ancestors(spec.term_list, group.depth)
        by_ancestor: dict[int, list[int]] = {}
        for term_id, ancestor in mapping.items():
            by_ancestor.setdefault(ancestor, []).append(term_id)
        whens = [
            When(**{f"{lookup}__in": ids}, then=Value(ancestor))
            for ancestor, ids in sorted(by_ancestor.items())
        ]
        if whens:
            return Case(*whens, default=F(lookup), output_field=IntegerField())
    return F(lookup)


# --- raw counts ------------------------------------------------------------------------


@dataclass
class RawTable:
    """Unprotected counts. Never render or export one: use ``table``."""

    unit: Unit
    rows: Group
    columns: Group | None
    row_keys: list[Any]
    column_keys: list[Any]
    cells: dict[tuple[Any, Any], int]
    row_totals: dict[Any, int]
    column_totals: dict[Any, int]
    total: int

    def cell(self, row: Any, column: Any = None) -> int:
        return self.cells.get((row, column), 0)


def _grouped(qs: QuerySet, measure: Count, names: dict[str, Any]) -> dict[tuple, int]:
    rows = qs.values(**names).annotate(n=measure).values_list(*names, "n")
    return {tuple(r[:-1]): r[-1] for r in rows}


_LIVE: ContextVar[bool] = ContextVar("stats_live", default=False)


@contextlib.contextmanager
def counted_live() -> Iterator[None]:
    """Count from the incidents themselves inside the block, never from roll-ups (the
    oracle the roll-ups are tested against, and a fallback for anyone who needs it)."""
    token = _LIVE.set(True)
    try:
        yield
    finally:
        _LIVE.reset(token)


def _rollup() -> Any:
    """The roll-up module, or None inside ``counted_live``."""
    if _LIVE.get():
        return None
    from vigil.stats import rollup

    return rollup


def count(
    scope: Scope,
    unit: Unit,
    rows: Group,
    columns: Group | None = None,
    filters: Filters = Filters(),
) -> RawTable:
    """Raw counts by one or two groupings, with totals counted directly: from the
    roll-ups where they give the same numbers (``rollup.py``), live otherwise."""
    rollup = _rollup()
    served = rollup.count(scope, unit, rows, columns, filters) if rollup else None
    return served if served is not None else count_live(scope, unit, rows, columns, filters)


def count_live(
    scope: Scope,
    unit: Unit,
    rows: Group,
    columns: Group | None = None,
    filters: Filters = Filters(),
) -> RawTable:
    """Raw counts by one or two groupings from the incidents themselves."""
    qs, column, on_event = _base(unit, scope, filters)
    r_expr = _expression(rows, on_event)
    total = _total(unit, scope, filters, lambda: qs.aggregate(n=_measure(column, on_event))["n"])
    measure = _measure(column, on_event, rows)
    by_row = {k[0]: n for k, n in _grouped(qs, measure, {"r": r_expr}).items()}
    if columns is None:
        cells = {(k, None): n for k, n in by_row.items()}
        row_keys = _ordered_keys(rows.dim, by_row, filters)
        return RawTable(unit, rows, None, row_keys, [None], cells, by_row, {None: total}, total)
    c_expr = _expression(columns, on_event)
    by_column = {
        k[0]: n for k, n in _grouped(qs, _measure(column, on_event, columns), {"c": c_expr}).items()
    }
    cells = _grouped(qs, _measure(column, on_event, rows, columns), {"r": r_expr, "c": c_expr})
    return RawTable(
        unit,
        rows,
        columns,
        _ordered_keys(rows.dim, by_row, filters),
        _ordered_keys(columns.dim, by_column, filters),
        cells,
        by_row,
        by_column,
        total,
    )


# --- keys, order and labels --------------------------------------------------------------


def _period(dim: Dim, day: datetime.date) -> datetime.date:
    if dim == Dim.YEAR:
        return day.replace(month=1, day=1)
    if dim == Dim.QUARTER:
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    return day.replace(day=1)


def _next_period(dim: Dim, day: datetime.date) -> datetime.date:
    step = {Dim.MONTH: 1, Dim.QUARTER: 3, Dim.YEAR: 12}[dim]
    months = day.year * 12 + day.month - 1 + step
    return datetime.date(months // 12, months % 12 + 1, 1)


def _ordered_keys(dim: Dim, present: dict[Any, int], filters: Filters) -> list[Any]:
    known = [k for k in present if k is not None]
    unknown = [None] if None in present else []
    if dim in TIME_DIMS:
        dates = [k.date() if isinstance(k, datetime.datetime) else k for k in known]
        start = filters.date_from or (min(dates) if dates else None)
        end = filters.date_to or (max(dates) if dates else None)
        if start is None or end is None:
            return unknown
        keys, current = [], _period(dim, start)
        while current <= end:  # every period in range, zeros included
            keys.append(current)
            current = _next_period(dim, current)
        return keys + unknown
    if _SPECS[dim].term_list:
        order = dict(Term.objects.filter(pk__in=known).values_list("pk", "order").order_by())
        return sorted(known, key=lambda k: (order.get(k, 0), k)) + unknown
    if dim == Dim.SOURCE_CHANNEL:
        return [v for v in SourceChannel.values if v in present] + unknown
    if dim == Dim.AGE_BAND:
        bands = [v for v in AgeBand.values if v]
        return [v for v in bands if v in present] + ([""] if "" in present else []) + unknown
    return sorted(known) + unknown


@dataclass(frozen=True)
class Heading:
    code: str
    label: str


def _key_text(dim: Dim, key: Any, terms: dict[int, Term]) -> Heading:
    if key is None or key == "":
        return Heading("", str(NOT_RECORDED))
    if dim in TIME_DIMS:
        day = key.date() if isinstance(key, datetime.datetime) else key
        if dim == Dim.YEAR:
            text = f"{day.year}"
        elif dim == Dim.QUARTER:
            text = f"{day.year}-Q{(day.month - 1) // 3 + 1}"
        else:
            text = f"{day.year}-{day.month:02d}"
        return Heading(text, text)
    if _SPECS[dim].term_list:
        term = terms.get(key)
        return Heading(term.code, term.label) if term else Heading(str(key), str(key))
    if dim == Dim.REGION:
        return Heading(key, regions.name(key))
    if dim == Dim.SOURCE_CHANNEL:
        return Heading(key, str(dict(SourceChannel.choices).get(key, key)))
    if dim == Dim.AGE_BAND:
        return Heading(key, str(dict(AgeBand.choices).get(key, key)))
    return Heading(str(key), str(key))


def headings(dim: Dim, keys: Sequence[Any]) -> list[Heading]:
    terms: dict[int, Term] = {}
    if _SPECS[dim].term_list:
        terms = Term.objects.in_bulk([k for k in keys if k is not None])
    return [_key_text(dim, k, terms) for k in keys]


# --- published tables -------------------------------------------------------------------


@dataclass(frozen=True)
class SafeTable:
    """A table after disclosure control: None marks a hidden value.

    ``row_name``/``column_name`` are stable codes (the dimension), the titles
    are translated. A one-dimensional table has ``column_name == ""``, a
    single column (the unit) and no row totals.
    """

    unit: Unit
    row_name: str
    row_title: str
    column_name: str
    column_title: str
    rows: list[Heading]
    columns: list[Heading]
    cells: list[list[int | None]]
    row_totals: list[int | None]
    column_totals: list[int | None]
    total: int | None
    threshold: int
    hidden_count: int = field(default=0)

    @property
    def is_2d(self) -> bool:
        return bool(self.column_name)

    @property
    def record_count(self) -> int:
        """Data rows that ``records`` yields (totals included)."""
        if not self.is_2d:
            return len(self.rows) + 1
        return len(self.rows) * (len(self.columns) + 1) + len(self.columns) + 1

    def series(self) -> list[tuple[Heading, int | None]]:
        """1-D view: (heading, value) pairs."""
        return [(h, row[0]) for h, row in zip(self.rows, self.cells, strict=True)]

    def header(self) -> list[str]:
        names = [f"{self.row_name}_code", self.row_title]
        if self.is_2d:
            names += [f"{self.column_name}_code", self.column_title]
        return [*names, self.unit.label]

    def records(self, total_label: str = "") -> Iterator[list[Any]]:
        """Long format for exports, totals included: code, label[, code, label], value."""
        total_text = total_label or str(_("Total"))
        if not self.is_2d:
            for h, value in self.series():
                yield [h.code, h.label, value]
            yield ["", total_text, self.total]
            return
        for h, row, row_total in zip(self.rows, self.cells, self.row_totals, strict=True):
            for c, value in zip(self.columns, row, strict=True):
                yield [h.code, h.label, c.code, c.label, value]
            yield [h.code, h.label, "", total_text, row_total]
        for c, value in zip(self.columns, self.column_totals, strict=True):
            yield ["", total_text, c.code, c.label, value]
        yield ["", total_text, "", total_text, self.total]


def one_column(
    unit: Unit,
    name: str,
    title: str,
    heads: list[Heading],
    values: list[int],
    total: int,
    threshold: int | None = None,
) -> SafeTable:
    """Protect a list of counts that was computed elsewhere (still through disclosure)."""
    t = disclosure.min_cell() if threshold is None else threshold
    safe = disclosure.protect_1d(values, total, t)
    return SafeTable(
        unit,
        name,
        title,
        "",
        "",
        heads,
        [Heading(unit.value, unit.label)],
        [[v] for v in safe.cells],
        [],
        [safe.total],
        safe.total,
        t,
        sum(v is None for v in [*safe.cells, safe.total]),
    )


def protect(raw: RawTable, threshold: int | None = None) -> SafeTable:
    t = disclosure.min_cell() if threshold is None else threshold
    row_heads = headings(raw.rows.dim, raw.row_keys)
    if raw.columns is None:
        values = [raw.cell(k) for k in raw.row_keys]
        return one_column(
            raw.unit, raw.rows.dim.value, raw.rows.label, row_heads, values, raw.total, t
        )
    cells = [[raw.cell(r, c) for c in raw.column_keys] for r in raw.row_keys]
    safe = disclosure.protect_2d(
        cells,
        [raw.row_totals.get(r, 0) for r in raw.row_keys],
        [raw.column_totals.get(c, 0) for c in raw.column_keys],
        raw.total,
        t,
    )
    hidden = sum(v is None for row in safe.cells for v in row)
    hidden += sum(v is None for v in [*safe.row_totals, *safe.column_totals, safe.total])
    return SafeTable(
        raw.unit,
        raw.rows.dim.value,
        raw.rows.label,
        raw.columns.dim.value,
        raw.columns.label,
        row_heads,
        headings(raw.columns.dim, raw.column_keys),
        safe.cells,
        safe.row_totals,
        safe.column_totals,
        safe.total,
        t,
        hidden,
    )


def table(
    scope: Scope,
    unit: Unit,
    rows: Group,
    columns: Group | None = None,
    filters: Filters = Filters(),
    threshold: int | None = None,
) -> SafeTable:
    """The entry point for anything that shows or exports a table."""
    return protect(count(scope, unit, rows, columns, filters), threshold)


def key_figures(
    scope: Scope,
    filters: Filters = Filters(),
    threshold: int | None = None,
) -> dict[Unit, int | None]:
    """Incidents, acts and victims (each a standalone figure, suppressed if small)."""
    rollup = _rollup()
    stored: dict[Unit, int | None] = {}
    if rollup:
        stored = {u: rollup.total(scope, u, filters) for u in TABLE_UNITS}
    incidents = _total(
        Unit.INCIDENTS,
        scope,
        filters,
        lambda: (
            events(scope, filters).aggregate(n=Count("pk"))["n"]
            if stored.get(Unit.INCIDENTS) is None
            else stored[Unit.INCIDENTS]
        ),
    )
    counted: dict[str, int] = {}

    def both() -> dict[str, int]:
        if stored.get(Unit.ACTS) is not None and stored.get(Unit.VICTIMS) is not None:
            return {"acts": stored[Unit.ACTS] or 0, "victims": stored[Unit.VICTIMS] or 0}
        if not counted:
            counted.update(
                acts(scope, filters).aggregate(
                    acts=Count("pk"), victims=Count("victim_id", distinct=True)
                )
            )
        return counted

    raw = {
        Unit.INCIDENTS: incidents,
        Unit.ACTS: _total(Unit.ACTS, scope, filters, lambda: both()["acts"]),
        Unit.VICTIMS: _total(Unit.VICTIMS, scope, filters, lambda: both()["victims"]),
    }
    return {unit: disclosure.safe_value(n, threshold) for unit, n in raw.items()}


# --- response figures ----------------------------------------------------------------------

# (code, label, first day, last day) of the time-to-first-contact bands.
CONTACT_BANDS = (
    ("0", _("Same day"), 0, 0),
    ("1-2", _("1–2 days"), 1, 2),
    ("3-7", _("3–7 days"), 3, 7),
    ("8-30", _("8–30 days"), 8, 30),
    ("31+", _("More than 30 days"), 31, None),
)


@dataclass(frozen=True)
class ResponseFigures:
    contact_bands: SafeTable
    median_days: int | float | None  # None when fewer incidents than the threshold
    responded: int | None
    legal: SafeTable  # cases with / without legal support
    legal_share: float | None


def _contact_histogram(scope: Scope, filters: Filters) -> dict[int, int]:
    """Incidents by days from the incident (or its recording) to the first intervention.

    Incidents without an intervention get no delta (NULL) and are dropped from the
    (small) result rather than filtered in SQL, which would run the subquery twice."""
    first = (
        Intervention.objects.filter(case__incidents=OuterRef("pk"))
        .order_by()
        .values("case__incidents")
        .annotate(first=Min("date"))
        .values("first")
    )
    qs = events(scope, filters).annotate(
        delta=_DaysBetween(Subquery(first), Coalesce("start_date", TruncDate("created_at")))
    )
    histogram: dict[int, int] = {}
    for delta, n in qs.values("delta").annotate(n=Count("pk")).values_list("delta", "n"):
        if delta is None:  # no intervention yet
            continue
        days = max(int(delta), 0)
        histogram[days] = histogram.get(days, 0) + n
    return histogram


def _median(histogram: dict[int, int]) -> float:
    n = sum(histogram.values())
    ordered: list[tuple[int, int]] = sorted(histogram.items())

    def nth(k: int) -> int:
        seen = 0
        for days, count_ in ordered:
            seen += count_
            if seen > k:
                return days
        return ordered[-1][0]

    low, high = nth((n - 1) // 2), nth(n // 2)
    middle = (low + high) / 2
    return int(middle) if middle == int(middle) else middle


def _legal_split(scope: Scope, filters: Filters) -> dict[bool, int]:
    """Counted cases with (True) and without (False) legal support."""
    case_ids = CaseRecord.incidents.through.objects.filter(
        event_id__in=events(scope, filters).values("pk")
    ).values("case_id")
    legal = Intervention.objects.filter(
        case=OuterRef("pk"), intervention_type__code__in=LEGAL_INTERVENTIONS
    )
    # A complaint or lawsuit filed on the case is legal aid too, even when nobody
    # also recorded it as an intervention.
    filed = LegalAction.objects.filter(case=OuterRef("pk"), submitted_on__isnull=False)
    return dict(
        CaseRecord.objects.filter(pk__in=case_ids)
        .annotate(legal=Exists(legal) | Exists(filed))
        .values("legal")
        .annotate(n=Count("pk"))
        .values_list("legal", "n")
        .order_by()
    )


def response_figures(
    scope: Scope,
    filters: Filters = Filters(),
    threshold: int | None = None,
) -> ResponseFigures:
    t = disclosure.min_cell() if threshold is None else threshold
    rollup = _rollup()
    histogram = rollup.contact_histogram(scope, filters) if rollup else None
    if histogram is None:
        histogram = _contact_histogram(scope, filters)
    band_counts = [
        sum(n for days, n in histogram.items() if lo <= days and (hi is None or days <= hi))
        for _code, _label, lo, hi in CONTACT_BANDS
    ]
    responded = sum(histogram.values())
    bands = one_column(
        Unit.INCIDENTS,
        "first_contact",
        str(_("Time to first contact")),
        [Heading(code, str(label)) for code, label, _lo, _hi in CONTACT_BANDS],
        band_counts,
        responded,
        t,
    )
    median = _median(histogram) if responded and responded >= t else None

    split = rollup.legal_split(scope, filters) if rollup else None
    if split is None:
        split = _legal_split(scope, filters)
    with_legal, without = split.get(True, 0), split.get(False, 0)
    legal_table = one_column(
        Unit.CASES,
        "legal_support",
        str(_("Legal support")),
        [
            Heading("legal", str(_("Cases with legal support"))),
            Heading("other", str(_("Cases without legal support"))),
        ],
        [with_legal, without],
        with_legal + without,
        t,
    )
    shown = legal_table.series()
    share = None
    if shown[0][1] is not None and legal_table.total:
        share = round(100 * with_legal / (with_legal + without), 1)
    return ResponseFigures(bands, median, disclosure.safe_value(responded, t), legal_table, share)
