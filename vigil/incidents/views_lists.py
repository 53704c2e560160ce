"""The incident list (filtered, paginated) and the blind-index search.

Both pages cost a fixed number of queries whatever the size of the
organisation's data (see ``filters`` for how the list queries stay cheap at
100,000 incidents; search goes through indexed blind-index columns). Titles are
sealed; each row costs one unseal of its data key when the session holds the
organisation key, and no query.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from vigil import policy
from vigil.audit.log import record
from vigil.incidents import filters, reads, regions
from vigil.incidents.models import Act, Event, Perpetrator, Person
from vigil.lib.requests import StaffRequest
from vigil.policy import Perm
from vigil.vault import crypto

SEARCH_LIMIT = 50

# Which blind-index column of which model answers a query of which kind.
PERSON_KINDS = {"name": "name_bidx", "phone": "phone_bidx"}
PERPETRATOR_KINDS = {
    "name": "name_bidx",
    "badge": "badge_bidx",
    "plate": "plate_bidx",
    "phone": "phone_bidx",
}
MATCH_LABELS = {
    ("victim", "name"): _("victim's name"),
    ("victim", "phone"): _("victim's phone number"),
    ("perpetrator", "name"): _("perpetrator's name"),
    ("perpetrator", "badge"): _("badge or service number"),
    ("perpetrator", "plate"): _("vehicle plate"),
    ("perpetrator", "phone"): _("perpetrator's phone number"),
}


def object_url(name: str, pk: int) -> str:
    """Link to a detail page when that page exists in this installation, else ''."""
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


@dataclass
class IncidentRow:
    event: Event
    title: str | None
    url: str

    @property
    def region_name(self) -> str:
        return regions.name(self.event.region) if self.event.region else ""


def incident_row(request: StaffRequest, event: Event) -> IncidentRow:
    return IncidentRow(
        event, reads.sealed_title(request, event), object_url("incidents:detail", event.pk)
    )


@policy.staff_view(Perm.INCIDENT_VIEW)
def incident_list(request: StaffRequest) -> HttpResponse:
    membership = request.membership
    form = filters.IncidentFilterForm(request.GET or None, membership=membership)
    events = filters.filter_events(policy.events_for(request), form.values(), request.user)
    page = filters.paginate(events, filters.INCIDENT_ORDER, request.GET.get("page"))
    rows = [incident_row(request, event) for event in filters.incident_rows(events, page)]
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "query": form.query_string(),
        "titles_locked": any(row.title is None for row in rows),
    }
    return render(request, "incidents/list.html", context)


# --- search ---------------------------------------------------------------------------------


@dataclass
class EventMatch:
    event: Event
    reasons: set[tuple[str, str]] = field(default_factory=set)
    title: str | None = None
    url: str = ""

    @property
    def reason_labels(self) -> list[str]:
        return [str(MATCH_LABELS[r]) for r in sorted(self.reasons)]


@dataclass
class PersonMatch:
    person: Person
    kinds: list[str]
    events: list[Event]

    @property
    def reason_labels(self) -> list[str]:
        return [str(MATCH_LABELS["victim", kind]) for kind in self.kinds]


@dataclass
class SearchResults:
    people: list[PersonMatch]
    events: list[EventMatch]


def _any_of(indexes: dict[str, set[str]], columns: dict[str, str]) -> Q | None:
    """OR of column IN indexes for the kinds that have any (an empty index never matches)."""
    query = None
    for kind, column in columns.items():
        if indexes.get(kind):
            term = Q(**{f"{column}__in": indexes[kind]})
            query = term if query is None else query | term
    return query


def _matched(
    row: Person | Perpetrator, indexes: dict[str, set[str]], columns: dict[str, str]
) -> list[str]:
    return [k for k, c in columns.items() if getattr(row, c) and getattr(row, c) in indexes[k]]


def query_indexes(request: StaffRequest, query: str) -> dict[str, set[str]]:
    """Blind indexes of the query for each kind (phones in national and international form)."""
    index_key = policy.index_key(request)
    country = request.membership.organisation.country
    indexes = {
        kind: {crypto.blind_index(index_key, kind, query, region=country)} - {""}
        for kind in PERPETRATOR_KINDS
        if kind != "phone"
    }
    indexes["phone"] = {
        crypto.blind_index(index_key, "phone", form, region=country)
        for form in filters.phone_forms(country, query)
    }
    return indexes


def blind_search(request: StaffRequest, query: str) -> SearchResults:
    """Exact matches of ``query`` as a name, phone, badge or plate, in the member's own data.

    Lookups go through the blind-index columns (indexed), then one query asks
    the policy which of the few incidents found this member may see.
    """
    indexes = query_indexes(request, query)
    organisation_id = request.membership.organisation_id
    people: list[PersonMatch] = []
    victim_acts: list[tuple[Person, list[str], list[Act]]] = []
    perpetrators: list[Perpetrator] = []
    person_q = _any_of(indexes, PERSON_KINDS)
    if person_q is not None:
        matches = list(
            policy.people_for(request).filter(person_q).order_by("pseudonym", "pk")[:SEARCH_LIMIT]
        )
        victims_acts = Act.objects.filter(victim__in=[p.pk for p in matches])
        by_person: dict[int, list[Act]] = {}
        for act in victims_acts.select_related("event").order_by("-event__number"):
            by_person.setdefault(act.victim_id, []).append(act)
        victim_acts = [
            (p, _matched(p, indexes, PERSON_KINDS), by_person.get(p.pk, [])) for p in matches
        ]
    perpetrator_q = _any_of(indexes, PERPETRATOR_KINDS)
    if perpetrator_q is not None:
        perpetrators = list(
            Perpetrator.objects.filter(perpetrator_q, event__organisation_id=organisation_id)
            .select_related("event")
            .order_by("-event__number")[:SEARCH_LIMIT]
        )
    found = {a.event_id for _p, _k, acts in victim_acts for a in acts}
    found |= {p.event_id for p in perpetrators}
    visible = set(policy.events_for(request).filter(pk__in=found).values_list("pk", flat=True))
    events: dict[int, EventMatch] = {}
    for person, kinds, acts in victim_acts:
        its_events = list({a.event_id: a.event for a in acts if a.event_id in visible}.values())
        people.append(PersonMatch(person, kinds, its_events))
        for event in its_events:
            match = events.setdefault(event.pk, EventMatch(event))
            match.reasons.update(("victim", kind) for kind in kinds)
    for perpetrator in perpetrators:
        if perpetrator.event_id in visible:
            match = events.setdefault(perpetrator.event_id, EventMatch(perpetrator.event))
            kinds = _matched(perpetrator, indexes, PERPETRATOR_KINDS)
            match.reasons.update(("perpetrator", kind) for kind in kinds)
    ordered = sorted(events.values(), key=lambda m: -m.event.number)
    for match in ordered:
        match.title = reads.sealed_title(request, match.event)
        match.url = object_url("incidents:detail", match.event.pk)
    return SearchResults(people, ordered)


@require_http_methods(["GET", "POST"])
@policy.staff_view(Perm.INCIDENT_VIEW)
def search(request: StaffRequest) -> HttpResponse:
    """POST only for queries: a name or number typed here never reaches a URL, log or history."""
    form = filters.SearchForm(request.POST if request.method == "POST" else None)
    results = None
    if request.method == "POST" and form.is_valid():
        results = blind_search(request, form.cleaned_data["q"])
        # Who searched and how much was found; never what was searched for.
        record(
            request.user,
            "search",
            organisation=request.membership.organisation,
            people=len(results.people),
            incidents=len(results.events),
        )
    return render(request, "incidents/search.html", {"form": form, "results": results})
