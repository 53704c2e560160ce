"""Officer profiles, repeat lists and co-accusal: policy-scoped queries and the
unsealing of what these pages show.

Only perpetrators of incidents whose victim consented to perpetrator matching
count (the rule of the duplicate hints, ``incidents.duplicates``): the latest
MATCHING decision of a victim of the incident is a grant. External register
rows count as they are (published data), marked as external.

Every function runs a fixed number of queries whatever the number of rows
(tests hold them to it); unsealing is per row but needs no query.
"""

from __future__ import annotations

import datetime
import heapq
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, F, Min, OuterRef, Q, QuerySet
from django.http import HttpRequest

from vigil import policy
from vigil.cases.models import Consent, ConsentPurpose
from vigil.complaints.models import LegalAction
from vigil.incidents import regions
from vigil.incidents.models import Act, Event, Perpetrator
from vigil.lib.requests import as_staff
from vigil.officers.identity import PERPETRATOR_COLUMNS, REGIONAL, Identity, token
from vigil.officers.models import (
    DEFAULT_REPEAT_THRESHOLD,
    ExternalComplaint,
    OfficerSettings,
)
from vigil.vault import crypto, sealing
from vigil.vault.keys import VaultLocked

REPEAT_LIMIT = 200
CO_ACCUSAL_MIN = 2


# --- consent ------------------------------------------------------------------------------


def consenting_events(organisation_id: int) -> QuerySet[Act, Any]:
    """Event ids (as a subquery) with a victim whose latest MATCHING decision is a grant.

    "Latest" as in ``cases.consent.current``: by time, ties by id; a grant
    counts when no later decision of the same person exists (an anti-join,
    which the database runs once for the whole list, not once per row).
    """
    decisions = Consent.objects.filter(
        organisation_id=organisation_id, purpose=ConsentPurpose.MATCHING, body=""
    )
    later = decisions.filter(person_id=OuterRef("person_id")).filter(
        Q(recorded_at__gt=OuterRef("recorded_at"))
        | Q(recorded_at=OuterRef("recorded_at"), pk__gt=OuterRef("pk"))
    )
    granted = decisions.filter(granted=True).exclude(Exists(later)).values("person_id")
    return Act.objects.filter(victim_id__in=granted).values("event_id")


def _perpetrators(request: HttpRequest) -> QuerySet[Perpetrator]:
    organisation_id = as_staff(request).membership.organisation_id
    return policy.officer_perpetrators_for(request).filter(
        event_id__in=consenting_events(organisation_id)
    )


def threshold_of(organisation_id: int) -> int:
    found = (
        OfficerSettings.objects.filter(organisation_id=organisation_id)
        .values_list("repeat_threshold", flat=True)
        .first()
    )
    return found or DEFAULT_REPEAT_THRESHOLD


# --- labels: what the viewer may unseal ---------------------------------------------------


def _open(request: HttpRequest, record: Any, blob: Any) -> dict[str, Any] | None:
    """The sealed JSON of a row (key from ``record``), None when this session cannot open it."""
    try:
        return dict(sealing.open_json(policy.data_key(request, record), blob, {}))
    except (VaultLocked, crypto.CryptoError):
        return None


def _label(values: dict[str, Any] | None, kind: str) -> str | None:
    if values is None:
        return None
    if kind == "person":
        parts = [values.get("name", ""), values.get("birth_year", ""), values.get("badge", "")]
        return " · ".join(str(p) for p in parts if p) or ""
    return str(values.get(kind, "") or "")


# --- repeat officers ----------------------------------------------------------------------


@dataclass
class RepeatRow:
    identity: Identity
    own: int = 0
    external: int = 0
    own_sample: int | None = None
    external_sample: int | None = None
    label: str | None = None
    token: str = ""

    @property
    def total(self) -> int:
        return self.own + self.external

    @property
    def region_name(self) -> str:
        return regions.name(self.identity.region) if self.identity.region else ""


def repeat_officers(
    request: HttpRequest, threshold: int, *, labels: bool = True
) -> list[RepeatRow]:
    """Identities in at least ``threshold`` incidents and external complaints together,
    most first. One statement for the four identifier kinds, one for the registers."""
    organisation_id: int = as_staff(request).membership.organisation_id
    perpetrators = _perpetrators(request)
    external = policy.external_complaints_for(request)
    rows: dict[Identity, RepeatRow] = {}
    for kind, bidx, region, n, sample in _own_counts(perpetrators, external, threshold):
        identity = Identity(kind, bidx, region or "")
        rows[identity] = RepeatRow(identity, own=n, own_sample=sample)
    own_badges = perpetrators.exclude(badge_bidx="").values("badge_bidx")
    own_names = perpetrators.exclude(name_bidx="").values("name_bidx")
    grouped_external = (
        external.values("identity_kind", "identity_bidx", "identity_region")
        .annotate(n=Count("pk"), sample=Min("pk"))
        .filter(
            Q(n__gte=threshold)
            | Q(identity_kind="badge", identity_bidx__in=own_badges)
            | Q(identity_kind="name", identity_bidx__in=own_names)
        )
        .order_by()
    )
    for found in grouped_external:
        identity = Identity(
            found["identity_kind"], found["identity_bidx"], found["identity_region"]
        )
        row = rows.setdefault(identity, RepeatRow(identity))
        row.external, row.external_sample = found["n"], found["sample"]
    ranked = [
        ((-r.own - r.external, -r.own, i.kind, i.bidx, i.region), r)
        for i, r in rows.items()
        if r.own + r.external >= threshold
    ]
    chosen = [r for _key, r in heapq.nsmallest(REPEAT_LIMIT, ranked, key=itemgetter(0))]
    for row in chosen:
        row.token = token(organisation_id, row.identity)
    if labels:
        _label_rows(request, chosen)
    return chosen


def _own_counts(
    perpetrators: QuerySet[Perpetrator], external: QuerySet[ExternalComplaint], threshold: int
) -> list[tuple[str, str, str, int, int]]:
    """(kind, blind index, region, incidents, sample perpetrator) for every identifier of
    the organisation's consenting perpetrators in at least ``threshold`` incidents or in
    a register.

    One statement. The policy-scoped querysets are compiled by the ORM (so the
    organisation filter and the consent rule stay where they are written) and used
    as common table expressions: the consent rule's anti-join runs once and its
    result is shared by the four groupings. Written as a UNION ALL of four ORM
    grouped queries instead, SQLite evaluated the rule once per part (1.5-2.2x the
    hand-written statement on 100,000 rows; docs/performance.md).
    """
    scoped_sql, scoped_params = (
        perpetrators.values("pk", "event_id", *PERPETRATOR_COLUMNS.values())
        .annotate(region=F("event__region"))
        .order_by()
        .query.sql_with_params()
    )
    registers_sql, registers_params = (
        external.values("identity_kind", "identity_bidx").order_by().query.sql_with_params()
    )
    own = connection.ops.quote_name
    groupings = []
    params: list[Any] = []
    # Column names come from PERPETRATOR_COLUMNS (constants); every value is a parameter.
    for kind, column in PERPETRATOR_COLUMNS.items():
        col = own(column)
        region, group = ("region", f"{col}, region") if kind in REGIONAL else ("''", col)
        groupings.append(
            f"SELECT %s, {col}, {region}, COUNT(DISTINCT event_id), MIN(id) FROM ok "  # noqa: S608
            f"WHERE {col} <> '' GROUP BY {group} "
            f"HAVING COUNT(DISTINCT event_id) >= %s OR {col} IN "
            "(SELECT identity_bidx FROM reg WHERE identity_kind = %s)"
        )
        params += [kind, threshold, kind]
    ok_columns = ", ".join(own(c) for c in ["id", "event_id", *PERPETRATOR_COLUMNS.values()])
    statement = (
        f"WITH ok ({ok_columns}, region) AS ({scoped_sql}), "
        f"reg (identity_kind, identity_bidx) AS ({registers_sql}) " + " UNION ALL ".join(groupings)
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [*scoped_params, *registers_params, *params])
        return [tuple(found) for found in cursor.fetchall()]


def _label_rows(request: HttpRequest, rows: list[RepeatRow]) -> None:
    own_ids = [r.own_sample for r in rows if r.own_sample]
    external_ids = [r.external_sample for r in rows if r.external_sample and not r.own_sample]
    own = {p.pk: p for p in Perpetrator.objects.filter(pk__in=own_ids).select_related("event")}
    outside = {
        c.pk: c
        for c in ExternalComplaint.objects.filter(pk__in=external_ids).select_related("register")
    }
    for row in rows:
        kind = row.identity.kind
        if row.own_sample in own:
            perpetrator = own[row.own_sample]
            row.label = _label(_open(request, perpetrator.event, perpetrator.sealed), kind)
        elif row.external_sample in outside:
            complaint = outside[row.external_sample]
            row.label = _label(_open(request, complaint.register, complaint.sealed), kind)


# --- officers accused together -----------------------------------------------------------

PAIR_LIMIT = 100
# The most specific identifier a perpetrator carries names him (as on a profile's
# co-accusal list): badge within a region, else name within a region, else plate,
# else phone. Written once as SQL over the columns of PERPETRATOR_COLUMNS.
_KEY_SQL = (
    "CASE WHEN badge_bidx <> '' THEN 'badge' || '|' || badge_bidx || '|' || region "
    "WHEN name_bidx <> '' THEN 'name' || '|' || name_bidx || '|' || region "
    "WHEN plate_bidx <> '' THEN 'plate' || '|' || plate_bidx || '|' "
    "WHEN phone_bidx <> '' THEN 'phone' || '|' || phone_bidx || '|' ELSE '' END"
)


@dataclass
class Pair:
    first: RepeatRow
    second: RepeatRow
    incidents: int

    @property
    def both(self) -> tuple[RepeatRow, RepeatRow]:
        return self.first, self.second


def co_accused_pairs(request: HttpRequest) -> list[Pair]:
    """Pairs of officers recorded in the same incidents at least CO_ACCUSAL_MIN times,
    most first, over the organisation's consenting incidents. One statement (the
    same consent rule as the repeat list), plus one to label the officers."""
    organisation_id: int = as_staff(request).membership.organisation_id
    scoped_sql, scoped_params = (
        _perpetrators(request)
        .values("pk", "event_id", *PERPETRATOR_COLUMNS.values())
        .annotate(region=F("event__region"))
        .order_by()
        .query.sql_with_params()
    )
    own = connection.ops.quote_name
    columns = ", ".join(own(c) for c in ["id", "event_id", *PERPETRATOR_COLUMNS.values()])
    statement = (
        f"WITH ok ({columns}, region) AS ({scoped_sql}), "  # noqa: S608 - constants only
        f"keyed AS (SELECT id, event_id, {_KEY_SQL} AS officer FROM ok) "
        "SELECT a.officer, b.officer, COUNT(DISTINCT a.event_id), MIN(a.id), MIN(b.id) "
        "FROM keyed a JOIN keyed b ON a.event_id = b.event_id AND a.officer < b.officer "
        "WHERE a.officer <> '' GROUP BY a.officer, b.officer "
        "HAVING COUNT(DISTINCT a.event_id) >= %s ORDER BY 3 DESC, 1, 2 LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [*scoped_params, CO_ACCUSAL_MIN, PAIR_LIMIT])
        found = cursor.fetchall()
    pairs = [
        Pair(_row(organisation_id, a, a_sample), _row(organisation_id, b, b_sample), n)
        for a, b, n, a_sample, b_sample in found
    ]
    _label_rows(request, [row for pair in pairs for row in (pair.first, pair.second)])
    return pairs


def _row(organisation_id: int, officer: str, sample: int) -> RepeatRow:
    kind, bidx, region = officer.split("|")
    identity = Identity(kind, bidx, region)
    return RepeatRow(identity, own_sample=sample, token=token(organisation_id, identity))


# --- one officer ----------------------------------------------------------------------------


@dataclass
class IncidentLine:
    event: Event
    acts: list[str] = field(default_factory=list)
    actions: list[LegalAction] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    title: str | None = None

    @property
    def region_name(self) -> str:
        return regions.name(self.event.region) if self.event.region else ""


@dataclass
class ExternalLine:
    complaint: ExternalComplaint
    values: dict[str, Any] | None

    @property
    def region_name(self) -> str:
        return regions.name(self.complaint.region) if self.complaint.region else ""


@dataclass
class CoAccused:
    identity: Identity
    events: set[int]
    label: str | None
    token: str


@dataclass
class Profile:
    identity: Identity
    label: str | None
    incidents: list[IncidentLine]
    external: list[ExternalLine]
    co_accused: list[CoAccused]

    @property
    def region_name(self) -> str:
        return regions.name(self.identity.region) if self.identity.region else ""

    @property
    def total(self) -> int:
        return len(self.incidents) + len(self.external)


def _matching(identity: Identity, rows: QuerySet[Perpetrator]) -> QuerySet[Perpetrator]:
    column = PERPETRATOR_COLUMNS.get(identity.kind)
    if column is None:  # combined register columns exist only outside
        return rows.none()
    rows = rows.filter(**{column: identity.bidx})
    return rows.filter(event__region=identity.region) if identity.kind in REGIONAL else rows


def _external_matching(identity: Identity, rows: QuerySet[ExternalComplaint]) -> QuerySet[Any]:
    if identity.kind == "badge":
        rows = rows.filter(badge_bidx=identity.bidx, region=identity.region)
    elif identity.kind == "name":
        rows = rows.filter(name_bidx=identity.bidx, region=identity.region)
    else:
        rows = rows.filter(
            identity_kind=identity.kind,
            identity_bidx=identity.bidx,
            identity_region=identity.region,
        )
    return rows.select_related("register").order_by("-complaint_date", "pk")


def profile(request: HttpRequest, identity: Identity) -> Profile:
    """Incidents whose perpetrators carry the identity, with acts and complaint outcomes;
    external complaints; officers accused with it in at least two incidents."""
    own = list(
        _matching(identity, _perpetrators(request)).select_related("event").order_by("-event_id")
    )
    lines: dict[int, IncidentLine] = {}
    for perpetrator in own:
        line = lines.setdefault(perpetrator.event_id, IncidentLine(perpetrator.event))
        values = _open(request, perpetrator.event, perpetrator.sealed)
        if values is not None and values.get("name"):
            line.names.append(str(values["name"]))
        if line.title is None:
            event_values = _open(request, perpetrator.event, perpetrator.event.sealed)
            line.title = None if event_values is None else str(event_values.get("title", ""))
    event_ids = list(lines)
    for act in Act.objects.filter(event_id__in=event_ids).select_related("act_type").order_by("pk"):
        act_label = act.act_type.label
        if act_label not in lines[act.event_id].acts:
            lines[act.event_id].acts.append(act_label)
    _attach_actions(lines)
    external = [
        ExternalLine(c, _open(request, c.register, c.sealed))
        for c in _external_matching(identity, policy.external_complaints_for(request))
    ]
    label: str | None = None
    if own:
        label = _label(_open(request, own[0].event, own[0].sealed), identity.kind)
    elif external:
        label = _label(external[0].values, identity.kind)
    ordered = sorted(
        lines.values(),
        key=lambda line: (line.event.start_date or datetime.date.min, line.event.number),
        reverse=True,
    )
    return Profile(
        identity, label, ordered, external, _co_accused(request, identity, own, event_ids)
    )


def _attach_actions(lines: dict[int, IncidentLine]) -> None:
    links = LegalAction.acts.through.objects.filter(act__event_id__in=list(lines)).values_list(
        "legalaction_id", "act__event_id"
    )
    by_action: dict[int, set[int]] = defaultdict(set)
    for action_id, event_id in links:
        by_action[action_id].add(event_id)
    actions = (
        LegalAction.objects.filter(pk__in=list(by_action))
        .select_related("body")
        .prefetch_related("outcomes")
        .order_by("number")
    )
    for action in actions:
        for event_id in sorted(by_action[action.pk]):
            lines[event_id].actions.append(action)


def identities_of(perpetrator: Perpetrator, region: str) -> Iterable[Identity]:
    for kind, column in PERPETRATOR_COLUMNS.items():
        value = getattr(perpetrator, column)
        if value:
            yield Identity(kind, value, region if kind in REGIONAL else "")


def _co_accused(
    request: HttpRequest, identity: Identity, own: list[Perpetrator], event_ids: list[int]
) -> list[CoAccused]:
    """Other identities among the perpetrators of this officer's incidents, in >= 2 of them."""
    own_ids = {p.pk for p in own}
    found: dict[Identity, CoAccused] = {}
    others = (
        policy.officer_perpetrators_for(request)
        .filter(event_id__in=event_ids)
        .exclude(pk__in=own_ids)
        .select_related("event")
        .order_by("pk")
    )
    for perpetrator in others:
        # One identity per perpetrator (the most specific he carries), so an officer
        # recorded with both badge and name is listed once.
        other = next(iter(identities_of(perpetrator, perpetrator.event.region)), None)
        if other is None or other == identity:
            continue
        entry = found.get(other)
        if entry is None:
            values = _open(request, perpetrator.event, perpetrator.sealed)
            entry = found[other] = CoAccused(
                other,
                set(),
                _label(values, other.kind),
                token(perpetrator.event.organisation_id, other),
            )
        entry.events.add(perpetrator.event_id)
    chosen = [c for c in found.values() if len(c.events) >= CO_ACCUSAL_MIN]
    return sorted(chosen, key=lambda c: (-len(c.events), c.identity))
