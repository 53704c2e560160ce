"""Policy-scoped reads of the alerts app and the unsealing of what its pages show."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import get_language

from vigil import policy
from vigil.alerts import keys, sanitise
from vigil.alerts.members import Reader
from vigil.alerts.models import Alert, AlertStatus, Channel, LinkRequest, Subscriber
from vigil.incidents import regions
from vigil.incidents.models import Event, Person
from vigil.intake.models import SubmissionStatus
from vigil.vault import crypto, sealing

# Perpetrators of these types are officials: their names never go into an alert.
STATE_PATH = "PERP.STATE/"

# --- alerts (staff) --------------------------------------------------------------------


@dataclass
class AlertContent:
    texts: dict[str, str]
    identifiers: list[dict[str, str]]
    police_reason: str


def content(request: HttpRequest, alert: Alert) -> tuple[AlertContent, bytes]:
    key = policy.data_key(request, alert)
    data = sealing.open_json(key, alert.sealed, {})
    return (
        AlertContent(
            data.get("texts", {}), data.get("identifiers", []), data.get("police_reason", "")
        ),
        key,
    )


def source(request: HttpRequest, alert: Alert) -> dict[str, Any]:
    """The sealed link back to the incident or report ({kind, id})."""
    key = policy.data_key(request, alert)
    return dict(sealing.open_json(key, alert.sealed_source, {}))


def source_event(request: HttpRequest, kind: str, pk: int) -> Event:
    """The incident behind a source, as this member may see it (404 otherwise)."""
    if kind == "submission":
        submission = policy.get_submission_for_user(request, pk)
        if submission.status != SubmissionStatus.ACCEPTED or submission.event_id is None:
            raise Http404
        return policy.get_event_for_user(request, submission.event_id)
    return policy.get_event_for_user(request, pk)


def _victims(event: Event) -> QuerySet[Person]:
    return Person.objects.filter(acts__event=event).distinct()


def secrets_of(request: HttpRequest, alert: Alert) -> sanitise.Secrets:
    """What of hers the alert must not repeat: from the source incident and its victims."""
    link = source(request, alert)
    event = source_event(request, link["kind"], int(link["id"]))
    found = sanitise.Secrets()
    event_data = sealing.open_json(policy.data_key(request, event), event.sealed, {})
    found.narratives += [event_data.get(k, "") for k in ("narrative", "summary", "title")]
    found.places += [v for v in (event_data.get("place_detail", ""),) if v]
    if event.start_date:
        found.dates.append(event.start_date)
    if event.end_date:
        found.dates.append(event.end_date)
    for perpetrator in event.perpetrators.select_related("perpetrator_type"):
        data = sealing.open_json(policy.data_key(request, event), perpetrator.sealed, {})
        term = perpetrator.perpetrator_type
        if term is not None and term.path.startswith(STATE_PATH):
            found.officer_names += [n for n in (data.get("name", ""),) if n]
        found.badges += [b for b in (data.get("badge", ""),) if b]
    for person in _victims(event):
        data = sealing.open_json(policy.data_key(request, person), person.sealed, {})
        found.names += [n for n in (data.get("legal_name", ""), person.pseudonym) if n]
        found.contacts += [c for c in (data.get("phone", ""), data.get("contact_notes", "")) if c]
        found.places += [a for a in (data.get("address", ""),) if a]
    found.narratives = [n for n in found.narratives if n]
    return found


def victims_of_event(request: HttpRequest, event_id: int) -> QuerySet[Person]:
    return _victims(policy.get_event_for_user(request, event_id))


# --- subscribers ----------------------------------------------------------------------------


@dataclass
class SubscriberRow:
    subscriber: Subscriber
    details: dict[str, str] = field(default_factory=dict)


def subscriber_rows(request: HttpRequest) -> list[SubscriberRow]:
    rows = []
    for subscriber in policy.subscribers_for(request).filter(active=True).order_by("number"):
        key = policy.data_key(request, subscriber)
        rows.append(SubscriberRow(subscriber, sealing.open_json(key, subscriber.sealed, {})))
    return rows


def recipients(request: HttpRequest, alert: Alert) -> list[dict[str, str]]:
    """Who gets this alert by email or SMS: active members of its region (or of all)."""
    found = []
    members = policy.subscribers_for(request, policy.Perm.ALERT_SEND).filter(
        active=True, channel__in=[Channel.EMAIL, Channel.SMS]
    )
    for subscriber in members:
        if subscriber.region and subscriber.region != alert.region:
            continue
        details = sealing.open_json(policy.data_key(request, subscriber), subscriber.sealed, {})
        address = details.get("email" if subscriber.channel == Channel.EMAIL else "phone", "")
        if address:
            found.append(
                {"channel": subscriber.channel, "address": address, "language": subscriber.language}
            )
    return found


# --- the members' page ---------------------------------------------------------------------


@dataclass
class LiveAlert:
    alert: Alert
    text: str
    identifiers: list[dict[str, str]]
    region_name: str


def pick_text(texts: dict[str, str], language: str) -> str:
    return texts.get(language) or texts.get("en") or next((t for t in texts.values() if t), "")


def live_alerts(reader: Reader, limit: int = 30) -> list[LiveAlert]:
    """Published alerts of the reader's organisation, newest first, in her language."""
    language = (get_language() or "en")[:2]
    key = keys.release_key(reader.organisation_id)
    rows = (
        Alert.objects.filter(organisation_id=reader.organisation_id, status=AlertStatus.PUBLISHED)
        .select_related("perpetrator_type")
        .prefetch_related("act_types", "methods")
        .order_by("-published_at", "-number")[:limit]
    )
    shown = []
    for alert in rows:
        data = crypto.decrypt_json(key, bytes(alert.released)) if alert.released else {}
        shown.append(
            LiveAlert(
                alert,
                pick_text(data.get("texts", {}), language),
                data.get("identifiers", []),
                regions.name(alert.region) if alert.region else "",
            )
        )
    return shown


# --- police sharing ------------------------------------------------------------------------


def link_request_content(request: HttpRequest, row: LinkRequest) -> tuple[dict[str, Any], bytes]:
    key = policy.data_key(request, row)
    return dict(sealing.open_json(key, row.sealed, {})), key


def months_between(start: datetime.date, end: datetime.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1
