"""Hints that an incident may repeat another one of the same organisation.

Comparison uses the blind indexes stored beside sealed values, so it needs no
key and reveals no value: two rows match when their keyed fingerprints are
equal. Each organisation's index key is derived from its own organisation
key, so fingerprints never match across organisations; the queries are also
restricted to the event's organisation.

Perpetrator-based hints use the perpetrator's identifiers for matching, which
needs the victim's consent to perpetrator matching (DESIGN.md section 6): on
both sides, since the other incident's perpetrator data is used as well.

Usage in a detail view (the event already obtained through ``vigil.policy``)::

    hints = possible_duplicates(event, within=policy.events_for(request))

and in its template::

    {% include "incidents/_duplicates.html" with hints=duplicate_hints %}
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from vigil.cases.models import Consent, ConsentPurpose
from vigil.incidents.models import Act, Event, Perpetrator, Person

MAX_HINTS = 10
# Rows read per kind of match: a very common name must not make the page slow.
SCAN_LIMIT = 200

VICTIM_COLUMNS = {"victim_name": "name_bidx", "victim_phone": "phone_bidx"}
PERPETRATOR_COLUMNS = {
    "perpetrator_badge": "badge_bidx",
    "perpetrator_plate": "plate_bidx",
    "perpetrator_name": "name_bidx",
    "perpetrator_phone": "phone_bidx",
}
REASON_LABELS = {
    "same_victim": _("same victim"),
    "victim_name": _("same victim name"),
    "victim_phone": _("same victim phone number"),
    "perpetrator_badge": _("same badge or service number"),
    "perpetrator_plate": _("same vehicle plate"),
    "perpetrator_name": _("same perpetrator name"),
    "perpetrator_phone": _("same perpetrator phone number"),
}


@dataclass
class Hint:
    """Another event of the same organisation that shares identifiers with this one."""

    event: Event
    reasons: set[str] = field(default_factory=set)

    @property
    def reason_labels(self) -> list[str]:
        return [str(REASON_LABELS[r]) for r in REASON_LABELS if r in self.reasons]


def _values(rows: Iterable[Person | Perpetrator], columns: dict[str, str]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {reason: set() for reason in columns}
    for row in rows:
        for reason, column in columns.items():
            value = getattr(row, column)
            if value:  # an empty index means "no value", never a match
                found[reason].add(value)
    return found


def _any_of(values: dict[str, set[str]], columns: dict[str, str]) -> Q | None:
    query = None
    for reason, column in columns.items():
        if values[reason]:
            term = Q(**{f"{column}__in": values[reason]})
            query = term if query is None else query | term
    return query


def possible_duplicates(event: Event, within: QuerySet[Event] | None = None) -> list[Hint]:
    """Other events of the event's organisation sharing a victim or perpetrator identifier.

    ``within`` narrows the candidates to what the viewing member may see
    (``policy.events_for(request)``); it can never widen them beyond the
    event's organisation. At most MAX_HINTS events, newest first.

    Every query is an index lookup on a blind-index (or key) column, so the
    cost follows the number of matches, not the size of the organisation.
    """
    found: dict[int, set[str]] = {}
    victims = list(Person.objects.filter(acts__event=event).distinct())
    if victims:
        _victim_matches(found, event, victims)
        if event.pk in events_with_matching_consent({event.pk}):
            _perpetrator_matches(found, event)
    if not found:
        return []
    candidates = Event.objects.filter(organisation_id=event.organisation_id, pk__in=list(found))
    if within is not None:
        candidates = candidates.filter(pk__in=within.filter(pk__in=list(found)).values("pk"))
    return [Hint(e, found[e.pk]) for e in candidates.order_by("-number")[:MAX_HINTS]]


def _victim_matches(found: dict[int, set[str]], event: Event, victims: list[Person]) -> None:
    values = _values(victims, VICTIM_COLUMNS)
    same = Q(pk__in=[v.pk for v in victims])
    by_index = _any_of(values, VICTIM_COLUMNS)
    people = Person.objects.filter(
        same if by_index is None else same | by_index, organisation_id=event.organisation_id
    ).values_list("pk", *VICTIM_COLUMNS.values())
    reasons: dict[int, set[str]] = {}
    victim_ids = {v.pk for v in victims}
    for pk, *columns in people[:SCAN_LIMIT]:
        why = {r for r, value in zip(VICTIM_COLUMNS, columns, strict=True) if value in values[r]}
        reasons[pk] = why | ({"same_victim"} if pk in victim_ids else set())
    acts = (
        Act.objects.filter(victim_id__in=list(reasons))
        .exclude(event_id=event.pk)
        .values_list("event_id", "victim_id")
        .order_by("-event_id")
    )
    for event_id, victim_id in acts[:SCAN_LIMIT]:
        found.setdefault(event_id, set()).update(reasons[victim_id])


def _perpetrator_matches(found: dict[int, set[str]], event: Event) -> None:
    values = _values(Perpetrator.objects.filter(event=event), PERPETRATOR_COLUMNS)
    query = _any_of(values, PERPETRATOR_COLUMNS)
    if query is None:
        return
    rows = list(
        Perpetrator.objects.filter(query, event__organisation_id=event.organisation_id)
        .exclude(event_id=event.pk)
        .values_list("event_id", *PERPETRATOR_COLUMNS.values())
        .order_by("-event_id")[:SCAN_LIMIT]
    )
    # Her perpetrator's identifiers are used too: the other event needs a consenting victim.
    consenting = events_with_matching_consent({row[0] for row in rows})
    for event_id, *columns in rows:
        if event_id in consenting:
            why = {
                r
                for r, value in zip(PERPETRATOR_COLUMNS, columns, strict=True)
                if value in values[r]
            }
            found.setdefault(event_id, set()).update(why)


def events_with_matching_consent(event_ids: set[int]) -> set[int]:
    """Which of these events have a victim whose latest MATCHING decision is a grant.

    Two queries whatever the number of events; the rule is the one of
    ``cases.consent.current`` (the latest row per person wins, ties by id).
    """
    if not event_ids:
        return set()
    victims: dict[int, set[int]] = {}
    for event_id, person_id in Act.objects.filter(event_id__in=event_ids).values_list(
        "event_id", "victim_id"
    ):
        victims.setdefault(person_id, set()).add(event_id)
    latest: dict[int, bool] = {}
    decisions = (
        Consent.objects.filter(
            person_id__in=list(victims), purpose=ConsentPurpose.MATCHING, body=""
        )
        .order_by("person_id", "-recorded_at", "-pk")
        .values_list("person_id", "granted")
    )
    for person_id, granted in decisions:
        latest.setdefault(person_id, granted)
    return {e for person_id, granted in latest.items() if granted for e in victims[person_id]}
