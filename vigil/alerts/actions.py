"""Every write of the alerts app: one transaction and one audit event each.

Role decisions go through ``vigil.policy``; the unsealing of sources and
subscriber lists happens in ``alerts.reads`` (the views pass what it returns).
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil import policy
from vigil.accounts.models import Membership, Organisation, User
from vigil.alerts import keys, sanitise, transitions
from vigil.alerts.models import (
    CHECKABLE,
    LANGUAGES,
    Alert,
    AlertStatus,
    AlertStatusChange,
    CheckerUse,
    Dispatch,
    IdentifierIndex,
    IdentifierKind,
    LinkRequest,
    LinkStatus,
    MemberLink,
    Subscriber,
)
from vigil.audit.log import record
from vigil.cases import consent
from vigil.cases.models import ConsentPurpose
from vigil.incidents.models import Person
from vigil.lib.numbering import next_number
from vigil.vault import crypto, sealing
from vigil.vocab.models import Term

DEFAULT_VALID_DAYS = 90


class AlertError(Exception):
    """A move the pipeline refuses; the message is shown to the member."""


class RateLimited(Exception):
    """The member has used the checker too often in the last hour."""


def period_start(day: datetime.date, kind: str) -> datetime.date:
    """The Monday of the week or the first of the month: never the day itself."""
    if kind == "week":
        return day - datetime.timedelta(days=day.weekday())
    return day.replace(day=1)


def default_valid_until(today: datetime.date | None = None) -> datetime.date:
    return (today or timezone.localdate()) + datetime.timedelta(days=DEFAULT_VALID_DAYS)


# --- alerts ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NewAlert:
    alert: Alert
    key: bytes


def create_alert(
    acting_user: User,
    organisation: Organisation,
    *,
    source_kind: str,
    source_id: int,
    region: str,
    period_kind: str,
    day: datetime.date,
    perpetrator_type: Term | None = None,
    act_types: list[Term] | None = None,
    methods: list[Term] | None = None,
    victims: list[Person],
) -> NewAlert:
    """A draft from an incident or an accepted report; its source is sealed, not a column.

    Refused unless every victim of the source consents to an alert (latest decision)."""
    if not victims or not all(consent.has(v, ConsentPurpose.ALERT) for v in victims):
        raise AlertError(_("She has not agreed to an alert from this report."))
    with transaction.atomic():
        alert = Alert(
            organisation=organisation,
            author=acting_user,
            region=region,
            period_kind=period_kind,
            period_start=period_start(day, period_kind),
            perpetrator_type=perpetrator_type,
            valid_until=default_valid_until(),
        )
        key = alert.ensure_data_key(organisation)
        alert.number = next_number(Alert, organisation.pk)
        alert.sealed = sealing.seal_json(key, {"texts": {}, "identifiers": [], "police_reason": ""})
        alert.sealed_source = sealing.seal_json(key, {"kind": source_kind, "id": source_id})
        alert.save()
        alert.act_types.set(act_types or [])
        alert.methods.set(methods or [])
        AlertStatusChange.objects.create(
            alert=alert, from_status="", to_status=AlertStatus.DRAFT, changed_by=acting_user
        )
        record(
            acting_user,
            "alert.create",
            organisation=organisation,
            target=alert,
            source_kind=source_kind,
        )
    return NewAlert(alert, key)


def update_alert(
    acting_user: User,
    alert: Alert,
    key: bytes,
    *,
    texts: dict[str, str],
    identifiers: list[dict[str, str]],
    act_types: list[Term],
    methods: list[Term],
    **clear: Any,
) -> None:
    """Edit a draft: clear fields, the texts per language and the offender's identifiers."""
    if alert.status != AlertStatus.DRAFT:
        raise AlertError(_("Only a draft can be edited."))
    clean_ids = [
        {"kind": i["kind"], "value": i["value"].strip()} for i in identifiers if i["value"].strip()
    ]
    with transaction.atomic():
        content = sealing.open_json(key, alert.sealed, {})
        content["texts"] = {lang: texts.get(lang, "").strip() for lang in LANGUAGES}
        content["identifiers"] = clean_ids
        alert.sealed = sealing.seal_json(key, content)
        alert.has_police_identifier = any(i["kind"] == IdentifierKind.BADGE for i in clean_ids)
        if "day" in clear:
            day = clear.pop("day")
            alert.period_start = period_start(day, clear.get("period_kind", alert.period_kind))
        for name, value in clear.items():
            setattr(alert, name, value)
        alert.save()
        alert.act_types.set(act_types)
        alert.methods.set(methods)
        record(
            acting_user,
            "alert.update",
            organisation=alert.organisation,
            target=alert,
            languages=sorted(k for k, v in content["texts"].items() if v),
            identifiers=len(clean_ids),
        )


def _move(
    acting_user: User | None, alert: Alert, to_status: str, event: str, **detail: Any
) -> None:
    from_status = alert.status
    if not transitions.allowed(from_status, to_status):
        raise AlertError(
            _("This alert cannot move from %(a)s to %(b)s.")
            % {
                "a": AlertStatus(from_status).label,
                "b": AlertStatus(to_status).label,
            }
        )
    alert.status = to_status
    alert.save()
    AlertStatusChange.objects.create(
        alert=alert, from_status=from_status, to_status=to_status, changed_by=acting_user
    )
    record(
        acting_user,
        event,
        organisation=alert.organisation,
        target=alert,
        from_status=from_status,
        to_status=to_status,
        **detail,
    )


def submit(acting_user: User, alert: Alert, key: bytes, secrets_: sanitise.Secrets) -> None:
    """Draft to vetting, once every language has a text and nothing of hers leaks."""
    content = sealing.open_json(key, alert.sealed, {})
    texts = content.get("texts", {})
    missing = [lang for lang in LANGUAGES if not texts.get(lang)]
    if missing:
        raise AlertError(
            _("Write the description in every language: %(langs)s.") % {"langs": ", ".join(missing)}
        )
    values = tuple(i["value"] for i in content.get("identifiers", []))
    leaked = sanitise.leaks(list(texts.values()), secrets_, values)
    if leaked:
        raise AlertError(
            _("The alert repeats %(what)s from the report. Rewrite it.")
            % {"what": ", ".join(str(sanitise.KINDS[k]) for k in leaked)}
        )
    with transaction.atomic():
        alert.checklist = {}
        alert.approved_by = None
        alert.police_identifier_approved_by = None
        _move(acting_user, alert, AlertStatus.VETTING, "alert.submit")


def return_to_draft(acting_user: User, membership: Membership, alert: Alert) -> None:
    if not policy.can_approve_alert(membership, alert.author_id):
        raise PermissionError("only a second person returns an alert")
    with transaction.atomic():
        _move(acting_user, alert, AlertStatus.DRAFT, "alert.return")


def approve(
    acting_user: User,
    membership: Membership,
    alert: Alert,
    key: bytes,
    *,
    checklist: dict[str, bool],
    police_reason: str = "",
) -> None:
    """The second person's approval: not the author, every item ticked; a police
    identifier only with a lawyer's approval and a reason (sealed)."""
    if not policy.can_approve_alert(membership, alert.author_id):
        raise PermissionError("the author cannot approve; a coordinator or lawyer must")
    if not all(checklist.get(item) for item, _label in transitions.CHECKLIST):
        raise AlertError(_("Tick every item of the checklist first."))
    with transaction.atomic():
        if alert.has_police_identifier:
            if not policy.can_approve_police_identifier(membership):
                raise AlertError(_("A badge or police number needs a lawyer's approval."))
            if len(police_reason.strip()) < 10:
                raise AlertError(_("Give the reason for naming a police identifier."))
            content = sealing.open_json(key, alert.sealed, {})
            content["police_reason"] = police_reason.strip()
            alert.sealed = sealing.seal_json(key, content)
            alert.police_identifier_approved_by = acting_user
        alert.checklist = {item: True for item, _label in transitions.CHECKLIST}
        alert.approved_by = acting_user
        _move(
            acting_user,
            alert,
            AlertStatus.APPROVED,
            "alert.approve",
            police_identifier=alert.has_police_identifier,
        )


def publish(acting_user: User, alert: Alert, key: bytes) -> None:
    """Release the texts and identifiers to the members and index them for the checker."""
    if alert.approved_by_id is None or alert.approved_by_id == alert.author_id:
        raise AlertError(_("A second person must approve the alert first."))
    content = sealing.open_json(key, alert.sealed, {})
    released = {"texts": content.get("texts", {}), "identifiers": content.get("identifiers", [])}
    with transaction.atomic():
        alert.released = crypto.encrypt_json(keys.release_key(alert.organisation_id), released)
        alert.published_at = timezone.now()
        rows = [
            IdentifierIndex(
                alert=alert,
                kind=i["kind"],
                digest=keys.identifier_digest(alert.organisation_id, i["kind"], i["value"]),
            )
            for i in released["identifiers"]
            if i["kind"] in CHECKABLE
        ]
        IdentifierIndex.objects.bulk_create(rows)
        _move(acting_user, alert, AlertStatus.PUBLISHED, "alert.publish", indexes=len(rows))


def _end(alert: Alert) -> None:
    """An ended alert is no longer released: its copy and indexes are destroyed."""
    alert.released = None
    alert.indexes.all().delete()


def withdraw(acting_user: User, membership: Membership, alert: Alert) -> None:
    if not policy.can(membership, policy.Perm.ALERT_APPROVE):
        raise PermissionError("only a coordinator or lawyer withdraws an alert")
    with transaction.atomic():
        _end(alert)
        _move(acting_user, alert, AlertStatus.WITHDRAWN, "alert.withdraw")


def expire_due(today: datetime.date | None = None) -> int:
    """Published alerts past their date become expired (run daily by the task)."""
    day = today or timezone.localdate()
    count = 0
    for alert in Alert.objects.filter(status=AlertStatus.PUBLISHED, valid_until__lt=day):
        with transaction.atomic():
            _end(alert)
            _move(None, alert, AlertStatus.EXPIRED, "alert.expire")
        count += 1
    return count


def record_source_opened(acting_user: User, alert: Alert, source_kind: str) -> None:
    with transaction.atomic():
        record(
            acting_user,
            "alert.open_source",
            organisation=alert.organisation,
            target=alert,
            source_kind=source_kind,
        )


# --- subscribers and the members' page --------------------------------------------------


def enrol(
    acting_user: User,
    organisation: Organisation,
    *,
    group: str,
    channel: str,
    region: str,
    language: str,
    name: str,
    email: str,
    phone: str,
) -> Subscriber:
    with transaction.atomic():
        subscriber = Subscriber(
            organisation=organisation,
            group=group,
            channel=channel,
            region=region,
            language=language,
            enrolled_by=acting_user,
        )
        key = subscriber.ensure_data_key(organisation)
        subscriber.number = next_number(Subscriber, organisation.pk)
        subscriber.sealed = sealing.seal_json(
            key, {"name": name.strip(), "email": email.strip(), "phone": phone.strip()}
        )
        subscriber.email_index = keys.email_index(email) if email.strip() else ""
        subscriber.save()
        record(
            acting_user,
            "subscriber.enrol",
            organisation=organisation,
            target=subscriber,
            channel=channel,
            group=group,
        )
    return subscriber


def deactivate(acting_user: User, subscriber: Subscriber) -> None:
    """Remove a member: her sealed details are destroyed with her data key."""
    with transaction.atomic():
        subscriber.active = False
        subscriber.shred()
        subscriber.email_index = ""
        subscriber.save()
        subscriber.links.all().delete()
        record(
            acting_user,
            "subscriber.deactivate",
            organisation=subscriber.organisation,
            target=subscriber,
        )


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_link(email: str) -> tuple[Subscriber, str] | None:
    """A sign-in token for the active member with this email, or None (said the same way)."""
    index = keys.email_index(email)
    subscriber = (
        Subscriber.objects.filter(email_index=index, active=True)
        .select_related("organisation")
        .first()
    )
    if subscriber is None:
        return None
    token = secrets.token_urlsafe(32)
    minutes = int(getattr(settings, "ALERTS_LINK_MINUTES", 15))
    with transaction.atomic():
        MemberLink.objects.create(
            subscriber=subscriber,
            token_hash=_token_hash(token),
            expires_at=timezone.now() + datetime.timedelta(minutes=minutes),
        )
        record(
            None, "alert_member.link_sent", organisation=subscriber.organisation, target=subscriber
        )
    return subscriber, token


def redeem_link(token: str) -> Subscriber | None:
    """Use a link once, before it expires; returns the member or None."""
    with transaction.atomic():
        link = (
            MemberLink.objects.select_for_update()
            .select_related("subscriber__organisation")
            .filter(token_hash=_token_hash(token), used_at__isnull=True)
            .first()
        )
        if link is None or link.expires_at <= timezone.now() or not link.subscriber.active:
            return None
        link.used_at = timezone.now()
        link.save(update_fields=["used_at"])
        subscriber = link.subscriber
        record(
            None, "alert_member.sign_in", organisation=subscriber.organisation, target=subscriber
        )
    return subscriber


def check_identifier(
    acting_user: User | None, organisation_id: int, who: str, kind: str, value: str
) -> int:
    """How many live published alerts hold this identifier. Rate-limited per member;
    the audit event and the usage row keep the kind only, never the query."""
    limit = int(getattr(settings, "ALERTS_CHECKER_PER_HOUR", 20))
    since = timezone.now() - datetime.timedelta(hours=1)
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation_id)
        if CheckerUse.objects.filter(who=who, at__gte=since).count() >= limit:
            raise RateLimited
        CheckerUse.objects.create(organisation=organisation, who=who)
        digest = keys.identifier_digest(organisation_id, kind, value)
        found = (
            IdentifierIndex.objects.filter(
                kind=kind,
                digest=digest,
                alert__organisation_id=organisation_id,
                alert__status=AlertStatus.PUBLISHED,
            )
            .values("alert_id")
            .distinct()
            .count()
        )
        record(acting_user, "checker.lookup", organisation=organisation, kind=kind)
    return found


def prepare_dispatch(acting_user: User, alert: Alert, recipients: list[dict[str, str]]) -> Dispatch:
    """Hand the unsealed recipients to the sending job, encrypted for the worker only.

    The task gets the dispatch id, never an address (task arguments are stored in clear).
    """
    from vigil.alerts import tasks

    if alert.status != AlertStatus.PUBLISHED:
        raise AlertError(_("Only a published alert is sent."))
    with transaction.atomic():
        dispatch = Dispatch.objects.create(
            organisation=alert.organisation,
            alert=alert,
            requested_by=acting_user,
            total=len(recipients),
            sealed_batch=crypto.encrypt_json(keys.dispatch_key(), recipients),
        )
        record(
            acting_user,
            "alert.dispatch",
            organisation=alert.organisation,
            target=dispatch,
            alert=alert.pk,
            recipients=len(recipients),
        )
        transaction.on_commit(lambda: tasks.send_alert.enqueue(dispatch.pk))
    return dispatch


# --- police sharing ------------------------------------------------------------------------


def record_digest(
    acting_user: User, organisation: Organisation, *, file_format: str, incidents: int, months: int
) -> None:
    with transaction.atomic():
        record(
            acting_user,
            "police.digest",
            organisation=organisation,
            format=file_format,
            incidents=incidents,
            months=months,
        )


def record_link_request(
    acting_user: User,
    organisation: Organisation,
    *,
    partner: str,
    reference: str,
    request_text: str,
    received_at: datetime.date,
    event_id: int | None,
) -> LinkRequest:
    with transaction.atomic():
        row = LinkRequest(
            organisation=organisation, received_at=received_at, recorded_by=acting_user
        )
        key = row.ensure_data_key(organisation)
        row.number = next_number(LinkRequest, organisation.pk)
        row.sealed = sealing.seal_json(
            key,
            {
                "partner": partner,
                "reference": reference,
                "request": request_text,
                "event": event_id,
                "answer": "",
            },
        )
        row.save()
        record(acting_user, "police.link_request", organisation=organisation, target=row)
    return row


def record_link_decision(
    acting_user: User, row: LinkRequest, *, granted: bool, victims: QuerySet[Person]
) -> None:
    """Her decision, recorded as her consent to share the full report with police."""
    if row.status != LinkStatus.AWAITING:
        raise AlertError(_("Her decision is already recorded."))
    people = list(victims)
    if not people:
        raise AlertError(_("No report matches this reference."))
    with transaction.atomic():
        for person in people:
            consent.record_consent(acting_user, person, ConsentPurpose.POLICE_FULL, granted)
        row.status = LinkStatus.DECIDED
        row.decision_granted = granted
        row.decided_at = timezone.now()
        row.save()
        record(
            acting_user,
            "police.link_decision",
            organisation=row.organisation,
            target=row,
            granted=granted,
            victims=len(people),
        )


def answer_link_request(acting_user: User, row: LinkRequest, key: bytes, *, answer: str) -> None:
    if row.status != LinkStatus.DECIDED:
        raise AlertError(_("Record her decision before answering the police."))
    with transaction.atomic():
        content = sealing.open_json(key, row.sealed, {})
        content["answer"] = answer.strip()
        row.sealed = sealing.seal_json(key, content)
        row.status = LinkStatus.ANSWERED
        row.answered_at = timezone.now()
        row.save()
        record(
            acting_user,
            "police.link_answer",
            organisation=row.organisation,
            target=row,
            granted=bool(row.decision_granted),
        )
