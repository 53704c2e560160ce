"""Writes about legal actions, the directory and letters.

Each runs in a transaction and writes the audit log (identifiers and codes
only). Callers pass keys they opened through the policy module.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language

from vigil import policy
from vigil.accounts.models import Membership, Organisation, User
from vigil.audit.log import record
from vigil.cases import consent
from vigil.cases.models import Case, Consent, ConsentOverride, ConsentPurpose
from vigil.complaints import deadlines, transitions
from vigil.complaints.models import (
    AWAITING_RESPONSE,
    ActionOutcome,
    ActionStatus,
    ActionStatusChange,
    ActionType,
    BodyType,
    Channel,
    GeneratedLetter,
    LegalAction,
    LegalGround,
    LetterTemplate,
    LiaisonContact,
    Outcome,
    OversightBody,
    Response,
)
from vigil.incidents.models import Act, Event, Person
from vigil.lib.numbering import next_number
from vigil.policy import Perm
from vigil.vault import sealing

LIAISON_FIELDS = ("name", "phone", "email", "notes")
BODY_FIELDS = (
    "country",
    "region",
    "body_type",
    "address",
    "email",
    "phone",
    "website",
    "response_days",
    "response_unit",
    "is_active",
)


class TransitionError(Exception):
    pass


def remind_before_days() -> int:
    """Working days before the due date when the lawyer is reminded."""
    return int(getattr(settings, "COMPLAINTS_REMIND_BEFORE_WORKING_DAYS", 3))


# --- directory -----------------------------------------------------------------------------


def _unique_slug(organisation: Organisation, name: str) -> str:
    base = slugify(f"{organisation.slug}-{name}")[:56] or organisation.slug
    slug, n = base, 1
    while OversightBody.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def create_local_body(
    acting_user: User, organisation: Organisation, *, names: dict[str, str], **fields: Any
) -> OversightBody:
    with transaction.atomic():
        body = OversightBody(
            organisation=organisation,
            slug=_unique_slug(organisation, names.get("en") or next(iter(names.values()), "")),
            names={k: v.strip() for k, v in names.items() if v and v.strip()},
            **{k: v for k, v in fields.items() if k in BODY_FIELDS},
        )
        body.save()
        record(acting_user, "body.create", organisation=organisation, target=body, slug=body.slug)
    return body


def _same_name(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def find_body_by_name(organisation_id: int, name: str) -> OversightBody | None:
    """A body this organisation sees (shared or its own) whose slug or name is ``name``."""
    for body in OversightBody.objects.filter(
        Q(organisation__isnull=True) | Q(organisation_id=organisation_id)
    ).order_by("organisation_id", "pk"):
        if _same_name(body.slug, name) or any(_same_name(v, name) for v in body.names.values()):
            return body
    return None


def body_for_consent(acting_user: User, organisation: Organisation, name: str) -> OversightBody:
    """The directory entry of a body "not in the list": an existing one of that name, or a
    new local entry flagged for a coordinator to complete (type, country, address)."""
    name = " ".join(name.split())
    found = find_body_by_name(organisation.pk, name)
    if found is not None:
        return found
    with transaction.atomic():
        body = OversightBody.objects.create(
            organisation=organisation,
            slug=_unique_slug(organisation, name),
            names={(get_language() or "en")[:2]: name},
            body_type=BodyType.OTHER,
            needs_completion=True,
        )
        record(acting_user, "body.create", organisation=organisation, target=body, slug=body.slug)
    return body


def record_body_consent(
    acting_user: User,
    person: Person,
    granted: bool,
    *,
    body: OversightBody | None = None,
    new_name: str = "",
) -> Consent:
    """Her decision about sharing the identified case with one body of the directory
    (``body``) or with one not yet in it (``new_name``: an entry is added for completion)."""
    with transaction.atomic():
        if body is None:
            body = body_for_consent(acting_user, person.organisation, new_name)
        return consent.record_consent(
            acting_user, person, ConsentPurpose.SHARE_IDENTIFIED, granted, body=body.slug
        )


def update_local_body(
    acting_user: User, body: OversightBody, *, names: dict[str, str], **fields: Any
) -> None:
    if body.is_shared:
        raise PermissionError("shared bodies are read-only")
    with transaction.atomic():
        body.names = {k: v.strip() for k, v in names.items() if v and v.strip()}
        for name, value in fields.items():
            if name in BODY_FIELDS:
                setattr(body, name, value)
        body.needs_completion = False
        body.save()
        record(acting_user, "body.update", organisation=body.organisation, target=body)


def _liaison_values(values: dict[str, Any]) -> dict[str, str]:
    return {f: str(values.get(f) or "").strip() for f in LIAISON_FIELDS}


def add_liaison(
    acting_user: User,
    organisation: Organisation,
    body: OversightBody,
    *,
    position: str,
    sealed: dict[str, Any],
) -> LiaisonContact:
    """A named contact; writing needs no private key (the data key is sealed to the org)."""
    if body.organisation_id not in (None, organisation.pk):
        raise ValueError("body of another organisation")
    with transaction.atomic():
        liaison = LiaisonContact(
            organisation=organisation,
            body=body,
            position=position.strip(),
            created_by=acting_user,
        )
        key = liaison.ensure_data_key(organisation)
        liaison.sealed = sealing.seal_json(key, _liaison_values(sealed))
        liaison.save()
        record(acting_user, "liaison.add", organisation=organisation, target=liaison, body=body.pk)
    return liaison


def update_liaison(
    acting_user: User,
    liaison: LiaisonContact,
    key: bytes,
    *,
    position: str,
    is_active: bool,
    sealed: dict[str, Any],
) -> None:
    with transaction.atomic():
        liaison.position = position.strip()
        liaison.is_active = is_active
        liaison.sealed = sealing.seal_json(key, _liaison_values(sealed))
        liaison.save()
        record(
            acting_user,
            "liaison.update",
            organisation=liaison.organisation,
            target=liaison,
            active=is_active,
        )


# --- legal actions: drafting ------------------------------------------------------------------


def _check_acts(case: Case, acts: list[Act]) -> None:
    incident_ids = set(case.incidents.values_list("pk", flat=True))
    if any(act.event_id not in incident_ids for act in acts):
        raise ValueError("an act outside the case's incidents")


def _check_lawyer(case: Case, lawyer: User | None) -> None:
    if lawyer is None:
        return
    ok = Membership.objects.filter(
        user=lawyer,
        organisation_id=case.organisation_id,
        is_active=True,
        role__in=policy.roles_with(Perm.LEGAL_FILE),
    ).exists()
    if not ok:
        raise ValueError("the lawyer must be a lawyer or coordinator of the organisation")


def _check_body(case: Case, body: OversightBody) -> None:
    if body.organisation_id not in (None, case.organisation_id):
        raise ValueError("body of another organisation")


def _place(case: Case, acts: list[Act], body: OversightBody) -> tuple[str, str]:
    """Where the acts happened (country, region), for the accountability figures."""
    events = (
        Event.objects.filter(pk__in={a.event_id for a in acts}) if acts else case.incidents.all()
    )
    event = events.exclude(region="").order_by("start_date", "number").first()
    if event is not None:
        return event.country or body.country or case.organisation.country, event.region
    return body.country or case.organisation.country, ""


def _seal(key: bytes, action: LegalAction, **values: str) -> None:
    data = sealing.open_json(key, action.sealed, {})
    data.update({k: v.strip() for k, v in values.items()})
    action.sealed = sealing.seal_json(key, data)


@dataclass(frozen=True)
class Draft:
    action_type: str
    body: OversightBody
    acts: list[Act]
    grounds: list[LegalGround]
    lawyer: User | None
    notes: str = ""


def create_action(
    acting_user: User,
    case: Case,
    case_key: bytes,
    draft: Draft,
    *,
    parent: LegalAction | None = None,
) -> LegalAction:
    acts = list(draft.acts)
    _check_acts(case, acts)
    _check_lawyer(case, draft.lawyer)
    _check_body(case, draft.body)
    if draft.action_type not in ActionType.values:
        raise ValueError(draft.action_type)
    with transaction.atomic():
        country, region = _place(case, acts, draft.body)
        action = LegalAction(
            organisation=case.organisation,
            case=case,
            parent=parent,
            action_type=draft.action_type,
            body=draft.body,
            lawyer=draft.lawyer,
            country=country,
            region=region,
            created_by=acting_user,
        )
        action.number = next_number(LegalAction, case.organisation_id)
        _seal(case_key, action, notes=draft.notes)
        action.save()
        action.acts.set(acts)
        action.grounds.set(list(draft.grounds))
        ActionStatusChange.objects.create(
            action=action, from_status="", to_status=ActionStatus.DRAFT, by=acting_user
        )
        record(
            acting_user,
            "legal_action.create",
            organisation=case.organisation,
            target=action,
            case=case.pk,
            type=action.action_type,
            body=draft.body.slug,
            parent=parent.pk if parent else None,
        )
    return action


def update_draft(acting_user: User, action: LegalAction, case_key: bytes, draft: Draft) -> None:
    acts = list(draft.acts)
    _check_acts(action.case, acts)
    _check_lawyer(action.case, draft.lawyer)
    _check_body(action.case, draft.body)
    with transaction.atomic():
        action = _locked(action)
        if action.status != ActionStatus.DRAFT:
            raise TransitionError("only a draft can be edited")
        action.action_type = draft.action_type
        action.body = draft.body
        action.lawyer = draft.lawyer
        action.country, action.region = _place(action.case, acts, draft.body)
        _seal(case_key, action, notes=draft.notes)
        action.save()
        action.acts.set(acts)
        action.grounds.set(list(draft.grounds))
        record(
            acting_user,
            "legal_action.update",
            organisation=action.organisation,
            target=action,
            body=draft.body.slug,
        )


# --- consent --------------------------------------------------------------------------------

OVERRIDE_PREFIX = "legal_action:"


def override_action_name(action: LegalAction) -> str:
    return f"{OVERRIDE_PREFIX}{action.pk}"


def consent_basis(action: LegalAction) -> str | None:
    """Why the case may be shared with the action's body: "consent", "override" or None.

    Consent is the client's current decision for this body (its slug). An
    override counts only when made after her latest decision for this body,
    so a later withdrawal ends it.
    """
    client = action.case.client
    latest = consent.current(client, ConsentPurpose.SHARE_IDENTIFIED, action.body.slug)
    if latest is not None and latest.granted:
        return "consent"
    overrides = ConsentOverride.objects.filter(
        case=action.case,
        purpose=ConsentPurpose.SHARE_IDENTIFIED,
        action=override_action_name(action),
    )
    if latest is not None:
        overrides = overrides.filter(at__gt=latest.recorded_at)
    return "override" if overrides.exists() else None


def identity_consented(action: LegalAction) -> bool:
    """May her legal name go into a letter to this body? Only with her own consent."""
    return consent.has(action.case.client, ConsentPurpose.SHARE_IDENTIFIED, action.body.slug)


def record_share_consent(acting_user: User, action: LegalAction, granted: bool) -> None:
    """Her decision about sharing the identified case with this action's body."""
    consent.record_consent(
        acting_user,
        action.case.client,
        ConsentPurpose.SHARE_IDENTIFIED,
        granted,
        body=action.body.slug,
    )


def override_consent(
    acting_user: User,
    acting_membership: Membership,
    action: LegalAction,
    case_key: bytes,
    reason: str,
) -> ConsentOverride:
    """A coordinator lets this action be filed without the client's consent
    (cases.consent.override: coordinator, reason of 10+ characters, sealed, audited)."""
    return consent.override(
        acting_user,
        acting_membership,
        action.case,
        case_key,
        ConsentPurpose.SHARE_IDENTIFIED,
        override_action_name(action),
        reason,
    )


# --- legal actions: the pipeline ---------------------------------------------------------------


def _move(acting_user: User, action: LegalAction, to_status: str, **audit: Any) -> None:
    old = action.status
    if not transitions.allowed(old, to_status):
        raise TransitionError(f"{old} -> {to_status} is not allowed")
    action.status = to_status
    action.closed_at = timezone.now() if to_status == ActionStatus.CLOSED else None
    action.save()
    ActionStatusChange.objects.create(
        action=action, from_status=old, to_status=to_status, by=acting_user
    )
    record(
        acting_user,
        "legal_action.status",
        organisation=action.organisation,
        target=action,
        old=old,
        new=to_status,
        **audit,
    )


def _locked(action: LegalAction) -> LegalAction:
    """Re-read the row under a lock so two people cannot move it at once."""
    fresh = (
        LegalAction.objects.select_for_update(of=("self",))
        .select_related("case", "case__client", "case__organisation", "body", "organisation")
        .get(pk=action.pk)
    )
    return fresh


def compute_deadline(
    body: OversightBody, submitted_on: datetime.date, country: str
) -> tuple[datetime.date | None, datetime.date | None]:
    """(due date, reminder day) from the body's statutory period, or (None, None)."""
    if body.response_days is None:
        return None, None
    holidays_of = body.country or country
    due = deadlines.due_date(submitted_on, body.response_days, body.response_unit, holidays_of)
    remind = deadlines.working_days_before(due, remind_before_days(), holidays_of)
    return due, max(remind, submitted_on)


def file_action(
    acting_user: User,
    action: LegalAction,
    case_key: bytes,
    *,
    submitted_on: datetime.date,
    channel: str,
    reference: str = "",
) -> LegalAction:
    """Draft → submitted. Refuses (ConsentMissing) without her consent or an override."""
    if channel not in Channel.values:
        raise ValueError(channel)
    with transaction.atomic():
        action = _locked(action)
        if action.status != ActionStatus.DRAFT:
            raise TransitionError("only a draft can be filed")
        if consent_basis(action) is None:
            raise consent.ConsentMissing(ConsentPurpose.SHARE_IDENTIFIED, action.body.slug)
        action.submitted_on = submitted_on
        action.channel = channel
        action.due_date, action.remind_on = compute_deadline(
            action.body, submitted_on, action.country
        )
        action.reminded_before_at = action.reminded_after_at = None
        _seal(case_key, action, reference=reference)
        _move(
            acting_user,
            action,
            ActionStatus.SUBMITTED,
            channel=channel,
            due=str(action.due_date or ""),
            basis=consent_basis(action),
        )
    return action


def acknowledge(
    acting_user: User,
    action: LegalAction,
    case_key: bytes,
    *,
    on: datetime.date,
    reference: str = "",
) -> None:
    with transaction.atomic():
        action = _locked(action)
        action.acknowledged_on = on
        if reference.strip():
            _seal(case_key, action, reference=reference)
        _move(acting_user, action, ActionStatus.ACKNOWLEDGED)


def record_response(
    acting_user: User,
    action: LegalAction,
    case_key: bytes,
    *,
    response: str,
    response_on: datetime.date | None,
    outcomes: Iterable[str],
    summary: str = "",
) -> None:
    """The authority's answer and the outcome. Moves an awaiting action to
    "response received"; later (e.g. the outcome became known) it updates in place."""
    if response not in Response.values:
        raise ValueError(response)
    codes = sorted(set(outcomes))
    if any(code not in Outcome.values for code in codes):
        raise ValueError("unknown outcome")
    if response != Response.NO_RESPONSE and response_on is None:
        raise ValueError("the date of the response is required")
    with transaction.atomic():
        action = _locked(action)
        if action.status == ActionStatus.DRAFT:
            raise TransitionError("a draft has no response")
        if response_on is not None and action.submitted_on and response_on < action.submitted_on:
            raise ValueError("the response cannot predate the submission")
        action.response = response
        action.response_on = None if response == Response.NO_RESPONSE else response_on
        action.response_days = (
            (action.response_on - action.submitted_on).days
            if action.response_on and action.submitted_on
            else None
        )
        _seal(case_key, action, response_summary=summary)
        ActionOutcome.objects.filter(action=action).exclude(outcome__in=codes).delete()
        for code in codes:
            ActionOutcome.objects.get_or_create(action=action, outcome=code)
        if action.status in AWAITING_RESPONSE:
            _move(
                acting_user,
                action,
                ActionStatus.RESPONSE_RECEIVED,
                response=response,
                outcomes=codes,
            )
        else:
            action.save()
            record(
                acting_user,
                "legal_action.response",
                organisation=action.organisation,
                target=action,
                response=response,
                outcomes=codes,
            )


def appeal(
    acting_user: User,
    action: LegalAction,
    case_key: bytes,
    draft: Draft,
) -> LegalAction:
    """Open an appeal (a new draft whose parent is ``action``) and mark ``action`` appealed."""
    with transaction.atomic():
        parent = _locked(action)
        _move(acting_user, parent, ActionStatus.APPEALED)
        return create_action(acting_user, parent.case, case_key, draft, parent=parent)


def close(acting_user: User, action: LegalAction) -> None:
    with transaction.atomic():
        _move(acting_user, _locked(action), ActionStatus.CLOSED)


def transition(acting_user: User, action: LegalAction, to_status: str) -> None:
    """A plain move of the table (moves that carry data have their own function)."""
    if to_status in transitions.WITH_DATA:
        raise TransitionError(f"{to_status} needs its own step")
    if to_status == ActionStatus.CLOSED:
        close(acting_user, action)
        return
    with transaction.atomic():
        _move(acting_user, _locked(action), to_status)


# --- letters ------------------------------------------------------------------------------------


def store_letter(
    acting_user: User,
    action: LegalAction,
    case_key: bytes,
    *,
    format: str,
    language: str,
    content: bytes,
    identified: bool,
    template_sha256: str = "",
) -> GeneratedLetter:
    stored = sealing.store_file(case_key, [content], folder="letters")
    with transaction.atomic():
        letter = GeneratedLetter.objects.create(
            action=action,
            format=format,
            language=language,
            stored_name=stored.name,
            sha256=stored.sha256,
            size=stored.size,
            identified=identified,
            template_sha256=template_sha256,
            created_by=acting_user,
        )
        record(
            acting_user,
            "letter.generate",
            organisation=action.organisation,
            target=letter,
            action_id=action.pk,
            format=format,
            language=language,
            identified=identified,
            sha256=stored.sha256,
        )
    return letter


def record_letter_download(acting_user: User, letter: GeneratedLetter) -> None:
    with transaction.atomic():
        record(
            acting_user,
            "letter.download",
            organisation=letter.action.organisation,
            target=letter,
            sha256=letter.sha256,
        )


def save_template(
    acting_user: User,
    organisation: Organisation,
    *,
    body_type: str,
    language: str,
    content: bytes,
) -> LetterTemplate:
    """Store the organisation's template (the caller validated it by rendering once)."""
    if body_type not in BodyType.values:
        raise ValueError(body_type)
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        template, _created = LetterTemplate.objects.update_or_create(
            organisation=organisation,
            body_type=body_type,
            language=language,
            defaults={"content": content, "sha256": digest, "uploaded_by": acting_user},
        )
        record(
            acting_user,
            "letter_template.upload",
            organisation=organisation,
            target=template,
            body_type=body_type,
            language=language,
            sha256=digest,
        )
    return template


def reset_template(
    acting_user: User, organisation: Organisation, *, body_type: str, language: str
) -> bool:
    """Go back to the shared default; True when there was an own template."""
    with transaction.atomic():
        deleted, _rows = LetterTemplate.objects.filter(
            organisation=organisation, body_type=body_type, language=language
        ).delete()
        if deleted:
            record(
                acting_user,
                "letter_template.reset",
                organisation=organisation,
                body_type=body_type,
                language=language,
            )
    return bool(deleted)
