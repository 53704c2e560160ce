"""Every write of the engagement app: one transaction, one audit event (ids and codes only).

Writing sealed content needs no private key (each record's data key is sealed
to the organisation's public key); updating a sealed record takes the data
key the caller opened through the policy module.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from vigil.accounts.models import Membership, Organisation, User
from vigil.audit.log import record
from vigil.complaints.models import LegalAction, OversightBody
from vigil.engagement import transitions
from vigil.engagement.models import (
    AUDIENCE_FIELDS,
    Activity,
    Agreement,
    Allegation,
    BoardMember,
    CalendarFeed,
    CommunityBoard,
    ContactLog,
    Finding,
    Material,
    Partner,
    PartnerContact,
    Recommendation,
    RecommendationChange,
    SealedFile,
    Suggestion,
    SuggestionChange,
    SuggestionStatus,
    Visit,
)
from vigil.incidents.models import Event
from vigil.lib.numbering import next_number
from vigil.vault import sealing
from vigil.vocab.models import Term

CONTACT_FIELDS = ("name", "phone", "email", "notes")
MEMBER_FIELDS = ("name", "contact", "notes")


class TransitionError(Exception):
    pass


def _clean(values: dict[str, Any], names: Iterable[str]) -> dict[str, str]:
    return {name: str(values.get(name) or "").strip() for name in names}


def _same_org(organisation_id: int, *objects: Any) -> None:
    for obj in objects:
        if obj is not None and getattr(obj, "organisation_id", organisation_id) != organisation_id:
            raise ValueError("an object of another organisation")


def _check_members(organisation_id: int, members: Iterable[Membership]) -> list[Membership]:
    members = list(members)
    if any(m.organisation_id != organisation_id for m in members):
        raise ValueError("a member of another organisation")
    return members


# --- partnerships --------------------------------------------------------------------------


def create_partner(
    *,
    acting_user: User,
    organisation: Organisation,
    body: OversightBody,
    kind: str,
    since: datetime.date | None,
    participants: Iterable[Membership] = (),
) -> Partner:
    if body.organisation_id not in (None, organisation.pk):
        raise ValueError("body of another organisation")
    with transaction.atomic():
        partner = Partner.objects.create(
            organisation=organisation, body=body, kind=kind, since=since, created_by=acting_user
        )
        partner.participants.set(_check_members(organisation.pk, participants))
        record(
            acting_user,
            "partner.create",
            organisation=organisation,
            target=partner,
            body=body.pk,
            kind=kind,
        )
    return partner


def update_partner(
    *,
    acting_user: User,
    partner: Partner,
    kind: str,
    since: datetime.date | None,
    is_active: bool,
    participants: Iterable[Membership],
) -> None:
    with transaction.atomic():
        partner.kind, partner.since, partner.is_active = kind, since, is_active
        partner.save()
        partner.participants.set(_check_members(partner.organisation_id, participants))
        record(
            acting_user,
            "partner.update",
            organisation=partner.organisation,
            target=partner,
            kind=kind,
            active=is_active,
            participants=partner.participants.count(),
        )


def _contact_payload(
    contact: PartnerContact, rank: str, unit: str, sealed: dict[str, Any]
) -> dict[str, str]:
    """Rank and unit go to clear columns only when the organisation chose so."""
    payload = _clean(sealed, CONTACT_FIELDS)
    if contact.rank_in_clear:
        contact.rank, contact.unit = rank.strip(), unit.strip()
    else:
        contact.rank, contact.unit = "", ""
        payload.update(rank=rank.strip(), unit=unit.strip())
    return payload


def add_contact(
    *,
    acting_user: User,
    partner: Partner,
    rank_in_clear: bool,
    rank: str,
    unit: str,
    sealed: dict[str, Any],
) -> PartnerContact:
    with transaction.atomic():
        contact = PartnerContact(
            organisation_id=partner.organisation_id,
            partner=partner,
            rank_in_clear=rank_in_clear,
            created_by=acting_user,
        )
        key = contact.ensure_data_key(partner.organisation)
        contact.sealed = sealing.seal_json(key, _contact_payload(contact, rank, unit, sealed))
        contact.save()
        record(
            acting_user,
            "partner.contact_add",
            organisation=partner.organisation,
            target=contact,
            partner=partner.pk,
        )
    return contact


def update_contact(
    *,
    acting_user: User,
    contact: PartnerContact,
    key: bytes,
    rank_in_clear: bool,
    rank: str,
    unit: str,
    is_active: bool,
    sealed: dict[str, Any],
) -> None:
    with transaction.atomic():
        contact.rank_in_clear, contact.is_active = rank_in_clear, is_active
        contact.sealed = sealing.seal_json(key, _contact_payload(contact, rank, unit, sealed))
        contact.save()
        record(
            acting_user,
            "partner.contact_update",
            organisation=contact.partner.organisation,
            target=contact,
            partner=contact.partner_id,
            active=is_active,
        )


def _check_log(
    partner: Partner, contact: PartnerContact | None, action: LegalAction | None
) -> None:
    if contact is not None and contact.partner_id != partner.pk:
        raise ValueError("a contact of another partner")
    if action is not None:
        _same_org(partner.organisation_id, action)
        # Reuse: the legal action itself is addressed to the partner's body.
        if action.body_id != partner.body_id:
            raise ValueError("the legal action is addressed to another body")


def log_contact(
    *,
    acting_user: User,
    partner: Partner,
    kind: str,
    date: datetime.date,
    contact: PartnerContact | None = None,
    legal_action: LegalAction | None = None,
    response: str = "",
    response_on: datetime.date | None = None,
    sealed: dict[str, Any] | None = None,
) -> ContactLog:
    _check_log(partner, contact, legal_action)
    with transaction.atomic():
        entry = ContactLog(
            organisation_id=partner.organisation_id,
            partner=partner,
            contact=contact,
            kind=kind,
            date=date,
            legal_action=legal_action,
            response=response,
            response_on=response_on,
            created_by=acting_user,
        )
        key = entry.ensure_data_key(partner.organisation)
        entry.sealed = sealing.seal_json(key, _clean(sealed or {}, ("notes", "response_notes")))
        entry.save()
        record(
            acting_user,
            "partner.contact_log",
            organisation=partner.organisation,
            target=entry,
            partner=partner.pk,
            kind=kind,
            legal_action=legal_action.pk if legal_action else None,
        )
    return entry


def update_contact_log(
    *,
    acting_user: User,
    entry: ContactLog,
    key: bytes,
    kind: str,
    date: datetime.date,
    contact: PartnerContact | None,
    legal_action: LegalAction | None,
    response: str,
    response_on: datetime.date | None,
    sealed: dict[str, Any],
) -> None:
    _check_log(entry.partner, contact, legal_action)
    with transaction.atomic():
        entry.kind, entry.date, entry.contact, entry.legal_action = (
            kind,
            date,
            contact,
            legal_action,
        )
        entry.response, entry.response_on = response, response_on
        entry.sealed = sealing.seal_json(key, _clean(sealed, ("notes", "response_notes")))
        entry.save()
        record(
            acting_user,
            "partner.contact_log_update",
            organisation=entry.partner.organisation,
            target=entry,
            partner=entry.partner_id,
            response=response,
        )


def _store(
    item: SealedFile, organisation: Organisation, upload: Any, extra: dict[str, str]
) -> None:
    """Encrypt an upload into storage under the row's own key, as evidence is."""
    key = item.ensure_data_key(organisation)
    stored = sealing.store_file(key, upload.chunks(), folder="engagement")
    item.stored_name, item.sha256, item.size = stored.name, stored.sha256, stored.size
    item.content_type = (getattr(upload, "content_type", "") or "application/octet-stream")[:100]
    item.sealed = sealing.seal_json(key, {"file_name": upload.name or "", **extra})


def add_agreement(
    *,
    acting_user: User,
    partner: Partner,
    kind: str,
    signed_on: datetime.date,
    valid_until: datetime.date | None,
    title: str,
    upload: Any,
) -> Agreement:
    agreement = Agreement(
        organisation_id=partner.organisation_id,
        partner=partner,
        kind=kind,
        signed_on=signed_on,
        valid_until=valid_until,
        uploaded_by=acting_user,
    )
    _store(agreement, partner.organisation, upload, {"title": title.strip()})
    try:
        with transaction.atomic():
            agreement.save()
            record(
                acting_user,
                "partner.agreement_add",
                organisation=partner.organisation,
                target=agreement,
                partner=partner.pk,
                kind=kind,
                sha256=agreement.sha256,
            )
    except BaseException:
        sealing.delete_file(agreement.stored_name)
        raise
    return agreement


def update_agreement(
    *,
    acting_user: User,
    agreement: Agreement,
    key: bytes,
    kind: str,
    signed_on: datetime.date,
    valid_until: datetime.date | None,
    title: str,
) -> None:
    """The record of an agreement; the signed file itself never changes (chain of custody)."""
    with transaction.atomic():
        values = sealing.open_json(key, agreement.sealed, {})
        agreement.kind, agreement.signed_on, agreement.valid_until = kind, signed_on, valid_until
        agreement.sealed = sealing.seal_json(key, {**values, "title": title.strip()})
        agreement.save()
        record(
            acting_user,
            "partner.agreement_update",
            organisation=agreement.partner.organisation,
            target=agreement,
            partner=agreement.partner_id,
            kind=kind,
        )


def record_file_download(*, acting_user: User, item: SealedFile, damaged: bool) -> None:
    """Chain of custody: every download (and every failed integrity check) is audited."""
    action = "engagement.file_damaged" if damaged else "engagement.file_download"
    with transaction.atomic():
        record(
            acting_user,
            action,
            organisation=item.organisation,  # type: ignore[attr-defined]
            target=item,
            sha256=item.sha256,
        )


# --- activities ----------------------------------------------------------------------------


@dataclass
class ActivityData:
    activity_type: str
    date: datetime.date
    hours: int | None
    region: str
    board: CommunityBoard | None
    partners: list[Partner]
    topics: list[Term]
    participants: list[Membership]
    counts: dict[str, int]
    pre_test_avg: Any
    post_test_avg: Any
    sealed: dict[str, Any]


ACTIVITY_SEALED = ("place", "notes", "minutes")


def _apply_activity(activity: Activity, data: ActivityData, key: bytes) -> None:
    organisation_id = activity.organisation_id
    _same_org(organisation_id, data.board, *data.partners)
    _check_members(organisation_id, data.participants)
    for term in data.topics:
        if term.organisation_id not in (None, organisation_id):
            raise ValueError("a term of another organisation")
    activity.activity_type, activity.date, activity.hours = (
        data.activity_type,
        data.date,
        data.hours,
    )
    activity.region, activity.board = data.region, data.board
    for name in AUDIENCE_FIELDS:
        setattr(activity, name, int(data.counts.get(name) or 0))
    trained = activity.is_training
    activity.pre_test_avg = data.pre_test_avg if trained else None
    activity.post_test_avg = data.post_test_avg if trained else None
    activity.sealed = sealing.seal_json(key, _clean(data.sealed, ACTIVITY_SEALED))
    activity.save()
    activity.partners.set(data.partners)
    activity.topics.set(data.topics)
    activity.participants.set(data.participants)


def create_activity(
    *, acting_user: User, organisation: Organisation, data: ActivityData
) -> Activity:
    with transaction.atomic():
        activity = Activity(
            organisation=organisation,
            number=next_number(Activity, organisation.pk),
            activity_type=data.activity_type,
            date=data.date,
            created_by=acting_user,
        )
        key = activity.ensure_data_key(organisation)
        _apply_activity(activity, data, key)
        record(
            acting_user,
            "activity.create",
            organisation=organisation,
            target=activity,
            type=activity.activity_type,
            police=activity.police_count,
        )
    return activity


def update_activity(
    *, acting_user: User, activity: Activity, key: bytes, data: ActivityData
) -> None:
    with transaction.atomic():
        _apply_activity(activity, data, key)
        record(
            acting_user,
            "activity.update",
            organisation=activity.organisation,
            target=activity,
            type=activity.activity_type,
            police=activity.police_count,
        )


def add_material(*, acting_user: User, activity: Activity, upload: Any) -> Material:
    material = Material(
        organisation_id=activity.organisation_id, activity=activity, uploaded_by=acting_user
    )
    _store(material, activity.organisation, upload, {})
    try:
        with transaction.atomic():
            material.save()
            record(
                acting_user,
                "activity.material_add",
                organisation=activity.organisation,
                target=material,
                activity=activity.pk,
                sha256=material.sha256,
            )
    except BaseException:
        sealing.delete_file(material.stored_name)
        raise
    return material


# --- community boards ----------------------------------------------------------------------


def create_board(
    *, acting_user: User, organisation: Organisation, region: str, district: str
) -> CommunityBoard:
    with transaction.atomic():
        board = CommunityBoard.objects.create(
            organisation=organisation, region=region, district=district.strip()
        )
        record(acting_user, "board.create", organisation=organisation, target=board, region=region)
    return board


def update_board(
    *, acting_user: User, board: CommunityBoard, region: str, district: str, is_active: bool
) -> None:
    with transaction.atomic():
        board.region, board.district, board.is_active = region, district.strip(), is_active
        board.save()
        record(
            acting_user,
            "board.update",
            organisation=board.organisation,
            target=board,
            region=region,
            active=is_active,
        )


def add_board_member(
    *, acting_user: User, board: CommunityBoard, category: str, sealed: dict[str, Any]
) -> BoardMember:
    with transaction.atomic():
        member = BoardMember(organisation_id=board.organisation_id, board=board, category=category)
        key = member.ensure_data_key(board.organisation)
        member.sealed = sealing.seal_json(key, _clean(sealed, MEMBER_FIELDS))
        member.save()
        record(
            acting_user,
            "board.member_add",
            organisation=board.organisation,
            target=member,
            board=board.pk,
            category=category,
        )
    return member


def update_board_member(
    *,
    acting_user: User,
    member: BoardMember,
    key: bytes,
    category: str,
    is_active: bool,
    sealed: dict[str, Any],
) -> None:
    with transaction.atomic():
        member.category, member.is_active = category, is_active
        member.sealed = sealing.seal_json(key, _clean(sealed, MEMBER_FIELDS))
        member.save()
        record(
            acting_user,
            "board.member_update",
            organisation=member.board.organisation,
            target=member,
            board=member.board_id,
            active=is_active,
        )


def _check_addressee(organisation_id: int, addressed_to: Membership | None) -> None:
    if addressed_to is not None and addressed_to.organisation_id != organisation_id:
        raise ValueError("a member of another organisation")


def submit_suggestion(
    *,
    acting_user: User,
    board: CommunityBoard,
    text: str,
    submitted_on: datetime.date,
    due_date: datetime.date | None,
    addressed_to: Membership | None,
    meeting: Activity | None = None,
    notes: str = "",
) -> Suggestion:
    _check_addressee(board.organisation_id, addressed_to)
    _same_org(board.organisation_id, meeting)
    with transaction.atomic():
        suggestion = Suggestion(
            organisation_id=board.organisation_id,
            number=next_number(Suggestion, board.organisation_id),
            board=board,
            meeting=meeting,
            text=text.strip(),
            addressed_to=addressed_to,
            submitted_on=submitted_on,
            due_date=due_date,
            created_by=acting_user,
        )
        key = suggestion.ensure_data_key(board.organisation)
        suggestion.sealed = sealing.seal_json(key, {"notes": notes.strip()})
        suggestion.save()
        SuggestionChange.objects.create(
            suggestion=suggestion, to_status=SuggestionStatus.SUBMITTED, by=acting_user
        )
        record(
            acting_user,
            "suggestion.submit",
            organisation=board.organisation,
            target=suggestion,
            board=board.pk,
            addressed_to=addressed_to.pk if addressed_to else None,
        )
    return suggestion


def update_suggestion(
    *,
    acting_user: User,
    suggestion: Suggestion,
    key: bytes,
    text: str,
    due_date: datetime.date | None,
    addressed_to: Membership | None,
    notes: str,
) -> None:
    _check_addressee(suggestion.organisation_id, addressed_to)
    with transaction.atomic():
        if due_date != suggestion.due_date:
            suggestion.reminded_at = None  # a new due date earns a new reminder
        suggestion.text, suggestion.due_date = text.strip(), due_date
        suggestion.addressed_to = addressed_to
        suggestion.sealed = sealing.seal_json(key, {"notes": notes.strip()})
        suggestion.save()
        record(
            acting_user,
            "suggestion.update",
            organisation=suggestion.board.organisation,
            target=suggestion,
            addressed_to=addressed_to.pk if addressed_to else None,
        )


def move_suggestion(
    *, acting_user: User, suggestion: Suggestion, to_status: str, answer: str = ""
) -> None:
    """Move along the table; answering records the police answer and its date."""
    with transaction.atomic():
        current = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
        if not transitions.suggestion_allowed(current.status, to_status):
            raise TransitionError(f"{current.status} -> {to_status}")
        if to_status == SuggestionStatus.ANSWERED:
            if not answer.strip():
                raise TransitionError("an answer is required")
            current.answer, current.answered_on = answer.strip(), timezone.localdate()
        from_status, current.status = current.status, to_status
        current.save()
        SuggestionChange.objects.create(
            suggestion=current, from_status=from_status, to_status=to_status, by=acting_user
        )
        record(
            acting_user,
            "suggestion.move",
            organisation=current.board.organisation,
            target=current,
            from_status=from_status,
            to_status=to_status,
        )
    suggestion.refresh_from_db()


# --- detention monitoring ------------------------------------------------------------------


@dataclass
class VisitData:
    facility_type: str
    region: str
    date: datetime.date
    follow_up_of: Visit | None
    partner: Partner | None
    team: list[User]
    sealed: dict[str, Any]


def _apply_visit(visit: Visit, data: VisitData, key: bytes) -> None:
    _same_org(visit.organisation_id, data.follow_up_of, data.partner)
    if data.follow_up_of is not None and data.follow_up_of.pk == visit.pk:
        raise ValueError("a visit cannot follow up itself")
    visit.facility_type, visit.region, visit.date = data.facility_type, data.region, data.date
    visit.follow_up_of, visit.partner = data.follow_up_of, data.partner
    visit.sealed = sealing.seal_json(key, _clean(data.sealed, ("facility", "notes")))
    visit.save()
    visit.team.set(data.team)


@dataclass(frozen=True)
class NewVisit:
    """A new visit and its data key (findings, allegations and recommendations use it)."""

    visit: Visit
    key: bytes


def create_visit(*, acting_user: User, organisation: Organisation, data: VisitData) -> NewVisit:
    with transaction.atomic():
        visit = Visit(
            organisation=organisation,
            number=next_number(Visit, organisation.pk),
            date=data.date,
            created_by=acting_user,
        )
        key = visit.ensure_data_key(organisation)
        _apply_visit(visit, data, key)
        record(
            acting_user,
            "visit.create",
            organisation=organisation,
            target=visit,
            facility_type=visit.facility_type,
            follow_up=visit.is_follow_up,
        )
    return NewVisit(visit, key)


def update_visit(*, acting_user: User, visit: Visit, key: bytes, data: VisitData) -> None:
    with transaction.atomic():
        _apply_visit(visit, data, key)
        record(
            acting_user,
            "visit.update",
            organisation=visit.organisation,
            target=visit,
            facility_type=visit.facility_type,
        )


def save_findings(
    *, acting_user: User, visit: Visit, key: bytes, findings: dict[Term, tuple[str, str]]
) -> None:
    """Replace the checklist: one finding per theme that was assessed (concern, notes)."""
    with transaction.atomic():
        visit.findings.all().delete()
        for theme, (concern, notes) in findings.items():
            if concern:
                Finding.objects.create(
                    visit=visit,
                    theme=theme,
                    concern=concern,
                    sealed=sealing.seal_json(key, {"notes": notes.strip()}),
                )
        record(
            acting_user,
            "visit.findings",
            organisation=visit.organisation,
            target=visit,
            themes=sorted(t.code for t, (c, _n) in findings.items() if c),
        )


def _check_event(allegation: Allegation, event: Event | None) -> None:
    if event is None:
        return
    if not allegation.consent:
        raise ValueError("an allegation becomes an incident only with the person's consent")
    if event.organisation_id != allegation.visit.organisation_id:
        raise ValueError("an incident of another organisation")


def add_allegation(
    *, acting_user: User, visit: Visit, key: bytes, consent: bool, summary: str
) -> Allegation:
    with transaction.atomic():
        allegation = Allegation.objects.create(
            visit=visit,
            consent=consent,
            created_by=acting_user,
            sealed=sealing.seal_json(key, {"summary": summary.strip()}),
        )
        record(
            acting_user,
            "visit.allegation_add",
            organisation=visit.organisation,
            target=allegation,
            visit=visit.pk,
            consent=consent,
        )
    return allegation


def update_allegation(
    *,
    acting_user: User,
    allegation: Allegation,
    key: bytes,
    consent: bool,
    summary: str,
    event: Event | None,
) -> None:
    with transaction.atomic():
        allegation.consent = consent
        _check_event(allegation, event)
        allegation.event = event
        allegation.sealed = sealing.seal_json(key, {"summary": summary.strip()})
        allegation.save()
        record(
            acting_user,
            "visit.allegation_update",
            organisation=allegation.visit.organisation,
            target=allegation,
            visit=allegation.visit_id,
            consent=consent,
            event=event.pk if event else None,
        )


def _check_authority(visit: Visit, authority: OversightBody) -> None:
    if authority.organisation_id not in (None, visit.organisation_id):
        raise ValueError("body of another organisation")


def add_recommendation(
    *,
    acting_user: User,
    visit: Visit,
    key: bytes,
    authority: OversightBody,
    theme: Term | None,
    due_date: datetime.date | None,
    text: str,
) -> Recommendation:
    _check_authority(visit, authority)
    with transaction.atomic():
        item = Recommendation.objects.create(
            visit=visit,
            authority=authority,
            theme=theme,
            due_date=due_date,
            sealed=sealing.seal_json(key, {"text": text.strip()}),
        )
        RecommendationChange.objects.create(
            recommendation=item, to_status=item.status, by=acting_user
        )
        record(
            acting_user,
            "recommendation.add",
            organisation=visit.organisation,
            target=item,
            visit=visit.pk,
            authority=authority.pk,
        )
    return item


def update_recommendation(
    *,
    acting_user: User,
    item: Recommendation,
    key: bytes,
    authority: OversightBody,
    theme: Term | None,
    due_date: datetime.date | None,
    text: str,
) -> None:
    _check_authority(item.visit, authority)
    with transaction.atomic():
        if due_date != item.due_date:
            item.reminded_at = None
        item.authority, item.theme, item.due_date = authority, theme, due_date
        item.sealed = sealing.seal_json(key, {"text": text.strip()})
        item.save()
        record(
            acting_user,
            "recommendation.update",
            organisation=item.visit.organisation,
            target=item,
            authority=authority.pk,
        )


def move_recommendation(
    *,
    acting_user: User,
    item: Recommendation,
    to_status: str,
    due_date: datetime.date | None = None,
) -> None:
    """Move along the table; a new due date (e.g. when repeated) earns a new reminder."""
    with transaction.atomic():
        current = Recommendation.objects.select_for_update().get(pk=item.pk)
        if not transitions.recommendation_allowed(current.status, to_status):
            raise TransitionError(f"{current.status} -> {to_status}")
        from_status, current.status = current.status, to_status
        if due_date is not None and due_date != current.due_date:
            current.due_date, current.reminded_at = due_date, None
        current.save()
        RecommendationChange.objects.create(
            recommendation=current, from_status=from_status, to_status=to_status, by=acting_user
        )
        record(
            acting_user,
            "recommendation.move",
            organisation=item.visit.organisation,
            target=current,
            from_status=from_status,
            to_status=to_status,
        )
    item.refresh_from_db()


def record_export(*, acting_user: User, organisation: Organisation, fmt: str) -> None:
    """Exports leave the system: each one is in the audit log (format only)."""
    with transaction.atomic():
        record(acting_user, "engagement.export", organisation=organisation, format=fmt)


# --- calendar feed -------------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_feed(*, acting_user: User, membership: Membership) -> str:
    """A new secret URL token (shown once); any previous feed of the member is revoked."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        CalendarFeed.objects.filter(membership=membership, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        feed = CalendarFeed.objects.create(membership=membership, token_hash=token_hash(token))
        record(acting_user, "calendar.create", organisation=membership.organisation, target=feed)
    return token


def revoke_feeds(*, acting_user: User, membership: Membership) -> int:
    with transaction.atomic():
        count = CalendarFeed.objects.filter(membership=membership, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        record(
            acting_user,
            "calendar.revoke",
            organisation=membership.organisation,
            target=membership,
            count=count,
        )
    return count
