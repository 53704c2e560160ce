"""Filters of the incident and case lists (GET forms, usable without JavaScript).

Every filter that reaches through a to-many relation (acts, perpetrators,
case links, assignees) is a correlated EXISTS instead of a join on the list
query: the page query stays one row per incident or case and needs no
DISTINCT. EXISTS rather than ``pk__in=<subquery>``: SQLite materialises an
IN subquery in full (every act of a type, at 100,000 incidents about 70 ms
before the first row), while EXISTS probes the act index only for the rows
it looks at and stops with the page; PostgreSQL plans both as a semi-join.
Hierarchical term filters match the term and everything below it through
the materialised ``Term.path``.

The row count is capped (COUNT_CAP): counting every match of a broad filter
grows with the data, and past a thousand rows the exact number does not help
a caseworker; the list says "more than 1,000" and asks for a narrower filter.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any, TypeVar, cast
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    Model,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from vigil import policy
from vigil.accounts.models import Membership, User
from vigil.cases.models import Case, CaseStatus, Task
from vigil.incidents import regions
from vigil.incidents.models import Act, Event, EventStatus, Perpetrator
from vigil.lib.forms import BoundedDateField
from vigil.policy import Perm
from vigil.vault import crypto
from vigil.vocab.fields import TermChoiceField
from vigil.vocab.models import Term

PAGE_SIZE = 25
# Count at most this many matching rows (a multiple of PAGE_SIZE: 40 pages).
COUNT_CAP = 1000

CaseIncident = Case.incidents.through
CaseAssignee = Case.assignees.through


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class LightSelect(forms.Select):
    """A select rendered in one template pass (no include per option, no optgroups).

    The filter forms offer about a hundred options; Django's default renders
    each through its own template and was the largest cost of a list page.
    """

    template_name = "incidents/widgets/select.html"


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.get_username()


def case_team(organisation_id: int) -> QuerySet[User]:
    """Active members who may be assigned to cases (the assignee filter's choices)."""
    member_ids = Membership.objects.filter(
        organisation_id=organisation_id,
        is_active=True,
        role__in=policy.roles_with(Perm.CASE_EDIT),
    ).values("user_id")
    return User.objects.filter(pk__in=member_ids, is_active=True).order_by("username")


class _ListFilterForm(forms.Form):
    """Shared fields: place and what happened, through the incidents."""

    region = forms.ChoiceField(label=_("Region"), required=False, widget=LightSelect)
    act_type = TermChoiceField(
        "act_type", label=_("Type of act"), required=False, widget=LightSelect
    )
    perpetrator_type = TermChoiceField(
        "perpetrator_type", label=_("Perpetrator type"), required=False, widget=LightSelect
    )
    assignee = MemberChoiceField(
        queryset=User.objects.none(), label=_("Assignee"), required=False, widget=LightSelect
    )

    def __init__(self, data: Any = None, *, membership: Membership) -> None:
        super().__init__(data)
        organisation = membership.organisation
        cast(forms.ChoiceField, self.fields["region"]).choices = [
            ("", _("Any region")),
            *regions.choices(organisation.country),
        ]
        for name in ("act_type", "perpetrator_type"):
            field = cast(forms.ModelChoiceField, self.fields[name])
            field.queryset = Term.objects.of(name, organisation.pk)
            field.empty_label = _("Any")
        assignee = cast(forms.ModelChoiceField, self.fields["assignee"])
        assignee.queryset = case_team(organisation.pk)
        assignee.empty_label = _("Anyone")

    def values(self) -> dict[str, Any]:
        """The valid, non-empty filters (an invalid field is ignored, its error shown)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v not in (None, "")}

    def query_string(self) -> str:
        """The current filters as a query string for the pagination links."""
        if not self.is_bound:
            return ""
        pairs = [(k, v) for k, v in self.data.items() if k in self.fields and v]
        return urlencode(pairs)

    @property
    def active_count(self) -> int:
        return len([v for v in self.values().values() if v is not False])


class IncidentFilterForm(_ListFilterForm):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *EventStatus.choices],
        widget=LightSelect,
    )
    date_from = BoundedDateField(label=_("Happened from"), required=False, widget=DateInput())
    date_to = BoundedDateField(label=_("Happened until"), required=False, widget=DateInput())
    mine = forms.BooleanField(label=_("Recorded by me"), required=False)

    field_order = [
        "status",
        "date_from",
        "date_to",
        "region",
        "act_type",
        "perpetrator_type",
        "assignee",
        "mine",
    ]


class CaseFilterForm(_ListFilterForm):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *CaseStatus.choices],
        widget=LightSelect,
    )
    opened_from = BoundedDateField(label=_("Opened from"), required=False, widget=DateInput())
    opened_to = BoundedDateField(label=_("Opened until"), required=False, widget=DateInput())
    mine = forms.BooleanField(label=_("Assigned to me"), required=False)

    field_order = [
        "status",
        "assignee",
        "mine",
        "opened_from",
        "opened_to",
        "region",
        "act_type",
        "perpetrator_type",
    ]


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, phone number, badge number or vehicle plate"),
        max_length=200,
        help_text=_(
            "Exact match only, as written in full: a part of a name or number finds nothing. "
            "Case, spaces and punctuation do not matter."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_q(self) -> str:
        query: str = self.cleaned_data["q"]
        if not any(crypto.normalise(kind, query) for kind in ("name", "phone", "badge", "plate")):
            raise forms.ValidationError(_("Enter letters or digits to search for."))
        return query


# Country calling code and national trunk prefix: "+380 67 ..." is dialled "067 ..." at home.
DIALLING = {
    "UA": ("380", "0"),
    "KZ": ("7", "8"),
    "BY": ("375", "80"),
    "MD": ("373", "0"),
    "GE": ("995", "0"),
    "AM": ("374", "0"),
    "AZ": ("994", "0"),
    "KG": ("996", "0"),
    "TJ": ("992", ""),
    "UZ": ("998", ""),
}


def phone_forms(country: str, query: str) -> set[str]:
    """The number as typed plus its international or national form (still the whole number).

    Blind indexes keep digits only, so "+380 67 ..." and "067 ..." would index
    differently; searching both forms finds the record however it was written.
    """
    digits = crypto.normalise("phone", query)
    forms_ = {digits} if digits else set()
    code, trunk = DIALLING.get(country, ("", ""))
    if digits and code:
        if digits.startswith(code) and len(digits) > len(code) + 6:
            forms_.add(trunk + digits[len(code) :])
        elif trunk and digits.startswith(trunk) and len(digits) > len(trunk) + 6:
            forms_.add(code + digits[len(trunk) :])
    return forms_


# --- applying the filters -----------------------------------------------------------------


def _has(related: QuerySet[Any], column: str) -> Exists:
    """A correlated EXISTS on a to-many relation: one row per list row, no DISTINCT."""
    return Exists(related.filter(**{column: OuterRef("pk")}))


def subtree(term: Term) -> list[int]:
    """The term and every term below it: a prefix match on the materialised path.

    Resolved to ids in a query of its own (a few rows) so the list query
    carries constants: PostgreSQL then estimates the act-type filter from its
    column statistics. With the path join inside the list query it guessed
    13,000 matching acts for 85,000 at 100,000 incidents and counted through
    a hash of every act (120-170 ms instead of 8-28 ms).
    """
    return list(Term.objects.filter(path__startswith=term.path).values_list("pk", flat=True))


def acts_of_type(term: Term) -> QuerySet[Act]:
    """Acts of this type or of any type below it in the hierarchy."""
    return Act.objects.filter(act_type_id__in=subtree(term))


def perpetrators_of_type(term: Term) -> QuerySet[Perpetrator]:
    return Perpetrator.objects.filter(perpetrator_type_id__in=subtree(term))


def filter_events(events: QuerySet[Event], values: dict[str, Any], user: User) -> QuerySet[Event]:
    if "status" in values:
        events = events.filter(status=values["status"])
    if "date_from" in values:
        events = events.filter(start_date__gte=values["date_from"])
    if "date_to" in values:
        events = events.filter(start_date__lte=values["date_to"])
    if "region" in values:
        events = events.filter(region=values["region"])
    if "act_type" in values:
        events = events.filter(_has(acts_of_type(values["act_type"]), "event"))
    if "perpetrator_type" in values:
        events = events.filter(_has(perpetrators_of_type(values["perpetrator_type"]), "event"))
    if "assignee" in values:
        linked = CaseIncident.objects.filter(case__assignees=values["assignee"])
        events = events.filter(_has(linked, "event"))
    if values.get("mine"):
        events = events.filter(created_by=user)
    return events


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def filter_cases(cases: QuerySet[Case], values: dict[str, Any], user: User) -> QuerySet[Case]:
    if "status" in values:
        cases = cases.filter(status=values["status"])
    # Bounds as datetimes (not opened_at__date) so the database compares the column directly.
    if "opened_from" in values:
        cases = cases.filter(opened_at__gte=_day_start(values["opened_from"]))
    if "opened_to" in values:
        next_day = values["opened_to"] + datetime.timedelta(days=1)
        cases = cases.filter(opened_at__lt=_day_start(next_day))
    if "assignee" in values:
        cases = cases.filter(_has(CaseAssignee.objects.filter(user=values["assignee"]), "case"))
    if values.get("mine"):
        cases = cases.filter(_has(CaseAssignee.objects.filter(user=user), "case"))
    if "region" in values:
        linked = CaseIncident.objects.filter(event__region=values["region"])
        cases = cases.filter(_has(linked, "case"))
    if "act_type" in values:
        types = subtree(values["act_type"])
        linked = CaseIncident.objects.filter(event__acts__act_type_id__in=types)
        cases = cases.filter(_has(linked, "case"))
    if "perpetrator_type" in values:
        types = subtree(values["perpetrator_type"])
        linked = CaseIncident.objects.filter(event__perpetrators__perpetrator_type_id__in=types)
        cases = cases.filter(_has(linked, "case"))
    return cases


# --- what one page shows ----------------------------------------------------------------------


class ListPaginator(Paginator):
    """Paginator whose count reads at most COUNT_CAP + 1 rows of the un-annotated query."""

    def __init__(self, object_list: QuerySet[Any], counted: QuerySet[Any]) -> None:
        super().__init__(object_list, PAGE_SIZE)
        self._counted = counted

    @cached_property
    def matches(self) -> int:
        return self._counted.order_by().values("pk")[: COUNT_CAP + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self.matches, COUNT_CAP)

    @property
    def capped(self) -> bool:
        return self.matches > COUNT_CAP


def paginate(filtered: QuerySet[Any], order: Sequence[str], page: str | None) -> Page:
    """The page of primary keys, in list order (the rows come with ``incident_rows``/``case_rows``).

    Paging over keys alone keeps the sort cheap: the per-row extras (counts,
    related rows) are computed for the 25 rows shown, never for every match
    the database sorts (SQLite evaluates select-list subqueries before ORDER BY).
    """
    keys = filtered.order_by(*order).values_list("pk", flat=True)
    return ListPaginator(keys, filtered).get_page(page)


T = TypeVar("T", bound=Model)


def _in_order(rows: QuerySet[T], keys: Sequence[int]) -> list[T]:
    by_key = {row.pk: row for row in rows.filter(pk__in=list(keys))}
    return [by_key[key] for key in keys if key in by_key]


def _count_of(queryset: QuerySet[Any], column: str) -> Coalesce:
    """A correlated COUNT per row (no GROUP BY over joined rows)."""
    counted = (
        queryset.filter(**{column: OuterRef("pk")})
        .order_by()
        .values(column)
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


INCIDENT_ORDER = ("-number",)  # the (organisation, number) unique index serves it
CASE_ORDER = ("-updated_at", "-number")


def incident_rows(events: QuerySet[Event], keys: Sequence[int]) -> list[Event]:
    """The page's incidents with their place type and act count (one query)."""
    rows = events.select_related("place_type").annotate(act_count=Count("acts"))
    return _in_order(rows, keys)


def case_rows(cases: QuerySet[Case], keys: Sequence[int]) -> list[Case]:
    """The page's cases with client, counts, assignees and incident regions (three queries)."""
    rows = (
        cases.select_related("client")
        .annotate(
            incident_count=_count_of(CaseIncident.objects.all(), "case_id"),
            open_tasks=_count_of(Task.objects.filter(done_at__isnull=True), "case_id"),
        )
        .prefetch_related(
            Prefetch("assignees", queryset=User.objects.order_by("username")),
            Prefetch("incidents", queryset=Event.objects.only("id", "region").order_by("number")),
        )
    )
    return _in_order(rows, keys)
