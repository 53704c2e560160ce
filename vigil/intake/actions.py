"""Writes about reports: submit, reply, triage, expiry. Each is audited.

Audit rows for reporter actions carry no actor and nothing about the
reporter: only the submission id and what happened.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.accounts.models import Organisation, User
from vigil.audit.log import record
from vigil.cases import actions as case_actions
from vigil.cases import consent as consent_rules
from vigil.cases.models import Case, ConsentPurpose
from vigil.incidents import actions as incident_actions
from vigil.incidents.models import DatePrecision, Event, SourceChannel
from vigil.intake import choices, receipts, tasks
from vigil.intake.models import (
    Attachment,
    Author,
    Channel,
    Message,
    PendingReceipt,
    RejectReason,
    Submission,
    SubmissionStatus,
)
from vigil.vault import crypto, sealing
from vigil.vault.keys import organisation_public_key
from vigil.vocab.models import Term


class TriageError(Exception):
    pass


@dataclass(frozen=True)
class NewSubmission:
    submission: Submission
    receipt: str


# Where an accepted submission came from, in the incident's terms: a partner's
# program through the API, an outreach worker's phone form (ODK, KoboToolbox).
SOURCE_OF_CHANNEL: dict[str, str] = {
    Channel.WEB: SourceChannel.WEB,
    Channel.HOTLINE: SourceChannel.HOTLINE,
    Channel.API: SourceChannel.PARTNER,
    Channel.KOBO: SourceChannel.OUTREACH,
    Channel.ODK: SourceChannel.OUTREACH,
}


def submit(
    organisation: Organisation,
    report: dict[str, Any],
    *,
    channel: str = Channel.WEB,
    entered_by: User | None = None,
    browser_key: bytes | None = None,
) -> NewSubmission:
    """Store a report sealed to the organisation; return the receipt (shown once).

    With ``browser_key`` (the key her browser already holds in a cookie) the
    receipt is also kept, encrypted under it, in the same transaction: she can
    reload it after a crash or restart until she confirms she saved it.
    """
    receipt = receipts.new_receipt()
    derived = receipts.derive(receipt)
    thread_key = crypto.new_key()
    with transaction.atomic():
        submission = Submission.objects.create(
            organisation=organisation,
            channel=channel,
            receipt_lookup=derived.lookup,
            sealed_key=crypto.seal_to(organisation_public_key(organisation), thread_key),
            receipt_wrapped_key=crypto.encrypt(derived.wrap_key, thread_key),
            sealed=sealing.seal_json(thread_key, report),
            urgent=bool(report.get("urgent")),
            entered_by=entered_by,
        )
        if browser_key is not None:
            _keep_pending(browser_key, receipt, organisation.slug)
        record(
            entered_by,
            "submission.create",
            organisation=organisation,
            target=submission,
            channel=channel,
        )
        if submission.urgent:
            pk = submission.pk
            transaction.on_commit(lambda: tasks.notify_danger.enqueue(pk))
    return NewSubmission(submission, receipt)


def _keep_pending(browser_key: bytes, receipt: str, slug: str) -> None:
    now = timezone.now()
    PendingReceipt.objects.filter(expires_at__lt=now).delete()
    lookup = receipts.pending_lookup(browser_key)
    # A second report from the same browser replaces the first one's receipt.
    PendingReceipt.objects.filter(lookup=lookup).delete()
    PendingReceipt.objects.create(
        lookup=lookup,
        sealed=crypto.encrypt_json(browser_key, {"receipt": receipt, "org": slug}),
        expires_at=now + datetime.timedelta(hours=settings.RECEIPT_PENDING_HOURS),
    )


def pending_receipt(browser_key: bytes) -> dict[str, str] | None:
    """The receipt still waiting for this browser ({"receipt", "org"}), or None."""
    pending = PendingReceipt.objects.filter(
        lookup=receipts.pending_lookup(browser_key), expires_at__gte=timezone.now()
    ).first()
    if pending is None:
        return None
    try:
        held: dict[str, str] = crypto.decrypt_json(browser_key, bytes(pending.sealed))
    except crypto.CryptoError:
        return None
    return held


def confirm_receipt_saved(browser_key: bytes, organisation: Organisation) -> None:
    """She saved her code: it can never be shown again."""
    with transaction.atomic():
        deleted, _rows = PendingReceipt.objects.filter(
            lookup=receipts.pending_lookup(browser_key)
        ).delete()
        if deleted:
            record(None, "submission.receipt_saved", organisation=organisation)


def open_mailbox(receipt: str) -> tuple[Submission, bytes] | None:
    """Find the submission of a receipt and unwrap its thread key, or None."""
    derived = receipts.derive(receipt)
    submission = Submission.objects.filter(receipt_lookup=derived.lookup).first()
    if submission is None or not submission.receipt_wrapped_key:
        return None
    try:
        return submission, crypto.decrypt(derived.wrap_key, bytes(submission.receipt_wrapped_key))
    except crypto.CryptoError:
        return None


def staff_thread_key(org_private: bytes, submission: Submission) -> bytes:
    if not submission.sealed_key:
        raise crypto.CryptoError("content destroyed")
    return crypto.unseal(org_private, bytes(submission.sealed_key))


def add_message(
    submission: Submission, thread_key: bytes, body: str, *, staff_user: User | None = None
) -> Message:
    author = Author.STAFF if staff_user else Author.REPORTER
    with transaction.atomic():
        message = Message.objects.create(
            submission=submission,
            author=author,
            staff_user=staff_user,
            sealed=sealing.seal_text(thread_key, body.strip()),
            read_by_staff=staff_user is not None,
        )
        Submission.objects.filter(pk=submission.pk).update(updated_at=timezone.now())
        record(
            staff_user, f"message.{author}", organisation=submission.organisation, target=message
        )
        _notify_after_triage(submission, author)
    return message


def _notify_after_triage(submission: Submission, author: str) -> None:
    """Her words after triage go to the case team, who no longer watch the inbox."""
    if author == Author.REPORTER and submission.status in {
        SubmissionStatus.ACCEPTED,
        SubmissionStatus.MERGED,
    }:
        pk = submission.pk
        transaction.on_commit(lambda: tasks.notify_new_message.enqueue(pk))


def add_information(submission: Submission, thread_key: bytes, text: str) -> Message:
    """Extra details from the reporter arrive as a message in her thread."""
    return add_message(submission, thread_key, text)


# --- triage ---------------------------------------------------------------------


def _start_date(
    report: dict[str, Any], received: datetime.date
) -> tuple[datetime.date | None, str]:
    when = report.get("when")
    if when == "date" and report.get("date"):
        return datetime.date.fromisoformat(report["date"]), DatePrecision.EXACT
    offsets = {"today": 0, "this_week": 3, "this_month": 15}
    if when in offsets:
        exact = when == "today"
        return received - datetime.timedelta(
            days=offsets[when]
        ), DatePrecision.EXACT if exact else DatePrecision.ESTIMATE
    return None, DatePrecision.ESTIMATE


def _terms(codes: list[str]) -> dict[str, Term]:
    return {t.code: t for t in Term.objects.filter(code__in=[c for c in codes if c])}


def _code(options: list, key: str | None) -> str:
    for option in options:
        if option[0] == key:
            return str(option[2])
    return ""


def accept(acting_user: User, org_private: bytes, submission: Submission) -> Case:
    """Create an incident, a client and a case from the report, carrying every field."""
    if submission.status != SubmissionStatus.NEW:
        raise TriageError("already triaged")
    thread_key = staff_thread_key(org_private, submission)
    report = sealing.open_json(thread_key, submission.sealed, {})
    index_key = crypto.blind_index_key(org_private)
    organisation = submission.organisation
    what_codes = [c.code for c in choices.WHAT if c.key in report.get("what", [])]
    need_codes = [_code(choices.NEEDS, key) for key in report.get("needs", [])]
    place_code = _code(choices.PLACES, report.get("place"))
    who_code = _code(choices.WHO_KIND, report.get("who"))
    terms = _terms([*what_codes, *need_codes, place_code, who_code, "INV.DID_IT"])
    with transaction.atomic():
        start, precision = _start_date(report, submission.created_at.date())
        new = incident_actions.start_event(
            acting_user,
            organisation,
            country=organisation.country,
            source_channel=SOURCE_OF_CHANNEL.get(submission.channel, SourceChannel.WEB),
        )
        story = report.get("story", "")
        incident_actions.save_event(
            acting_user,
            new.event,
            new.key,
            {
                "title": f"{submission.code}",
                "summary": story[:280],
                "narrative": story,
                "place_detail": report.get("place_detail", ""),
            },
            start_date=start,
            start_precision=precision,
            region=report.get("region", ""),
            place_type=terms.get(place_code),
        )
        contact = report.get("contact", "")
        victim = incident_actions.create_person(
            acting_user,
            organisation,
            index_key,
            pseudonym=f"{submission.code}",
            sealed={
                "phone": contact if report.get("method") in {"phone", "sms", "messenger"} else "",
                "contact_notes": " / ".join(
                    x
                    for x in (report.get("method", ""), contact, report.get("safe_times", ""))
                    if x
                ),
            },
        )
        acts = [
            incident_actions.add_act(acting_user, new.event, victim=victim, act_type=terms[code])
            for code in what_codes
            if code in terms
        ]
        _add_perpetrator(acting_user, new.event, new.key, index_key, report, terms, acts)
        _record_consents(acting_user, victim, report)
        incident_actions.finish_event(acting_user, new.event)
        _attachments_to_evidence(acting_user, new.event, new.key, submission, thread_key)
        opened = case_actions.open_case(acting_user, victim, [new.event], [acting_user])
        opened.case.needs.set([terms[c] for c in need_codes if c in terms])
        _close_triage(
            acting_user, submission, SubmissionStatus.ACCEPTED, event=new.event, case=opened.case
        )
    return opened.case


def _add_perpetrator(
    acting_user: User,
    event: Event,
    event_key: bytes,
    index_key: bytes,
    report: dict[str, Any],
    terms: dict[str, Term],
    acts: list[Any],
) -> None:
    """Who did it, with badge, name and plate sealed and blind-indexed for search."""
    if not any(report.get(f) for f in ("who", "badge", "name", "vehicle", "unit", "description")):
        return
    who_code = _code(choices.WHO_KIND, report.get("who"))
    incident_actions.add_perpetrator(
        acting_user,
        event,
        event_key,
        index_key,
        perpetrator_type=terms.get(who_code),
        sealed={
            "name": report.get("name", ""),
            "badge": report.get("badge", ""),
            "plate": report.get("vehicle", ""),
            "unit": report.get("unit", ""),
            "description": _describe(report),
        },
        acts=acts,
        degree=terms.get("INV.DID_IT"),
    )


def _record_consents(acting_user: User, victim: Any, report: dict[str, Any]) -> None:
    given = set(report.get("consents", []))
    for purpose, _label in choices.CONSENTS:
        consent_rules.record_consent(acting_user, victim, purpose, str(purpose) in given)
    if "consent_level" in report:
        level = report["consent_level"] or consent_rules.LISTEN
        consent_rules.record_level(acting_user, victim, level)
        return
    # Saved before the ladder: the old "warn others" and police ticks, as she gave them.
    for purpose, _label in choices.LEGACY_CONSENTS:
        consent_rules.record_consent(acting_user, victim, purpose, str(purpose) in given)


def _describe(report: dict[str, Any]) -> str:
    parts = [
        choices.label_of(choices.UNIFORM, report["uniform"]) if report.get("uniform") else "",
        f"×{report['how_many']}" if report.get("how_many") else "",
        report.get("description", ""),
    ]
    return "; ".join(p for p in parts if p)


def merge(acting_user: User, org_private: bytes, submission: Submission, event: Event) -> None:
    """Attach the report to an existing incident as a source (a duplicate report)."""
    if submission.status != SubmissionStatus.NEW:
        raise TriageError("already triaged")
    if event.organisation_id != submission.organisation_id:
        raise TriageError("incident of another organisation")
    thread_key = staff_thread_key(org_private, submission)
    report = sealing.open_json(thread_key, submission.sealed, {})
    event_key = crypto.unseal(org_private, bytes(event.sealed_key or b""))
    source_type = Term.objects.filter(code="SRC.VICTIM").first()
    who_code = _code(choices.WHO_KIND, report.get("who"))
    terms = _terms([who_code, "INV.DID_IT"])
    # Every answer she gave goes into the source's notes, so nothing of a duplicate
    # report is lost; her identifiers of the officer stay searchable.
    from vigil.intake.public import summary

    notes = "\n".join(f"{label}: {value}" for label, value in summary(report))
    with transaction.atomic():
        incident_actions.add_source(
            acting_user,
            event,
            event_key,
            source_type=source_type,
            reliability=None,
            sealed={"name": submission.code, "contact": "", "notes": notes},
        )
        index_key = crypto.blind_index_key(org_private)
        _add_perpetrator(acting_user, event, event_key, index_key, report, terms, [])
        _attachments_to_evidence(acting_user, event, event_key, submission, thread_key)
        _close_triage(acting_user, submission, SubmissionStatus.MERGED, event=event)


def reject(acting_user: User, submission: Submission, reason: str) -> None:
    if submission.status != SubmissionStatus.NEW:
        raise TriageError("already triaged")
    if reason not in RejectReason.values:
        raise ValueError(reason)
    with transaction.atomic():
        submission.reject_reason = reason
        _close_triage(acting_user, submission, SubmissionStatus.REJECTED)


def _close_triage(acting_user: User, submission: Submission, status: str, **links: Any) -> None:
    submission.status = status
    submission.triaged_by = acting_user
    submission.triaged_at = timezone.now()
    for name, value in links.items():
        setattr(submission, name, value)
    submission.save()
    record(
        acting_user,
        f"submission.{status}",
        organisation=submission.organisation,
        target=submission,
        reason=submission.reject_reason,
    )


def expire(older_than_days: int, now: datetime.datetime | None = None) -> int:
    """Destroy the keys of untriaged reports older than the limit (crypto-shredding)."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=older_than_days)
    stale = Submission.objects.filter(status=SubmissionStatus.NEW, created_at__lt=cutoff)
    count = 0
    for submission in stale.iterator():
        with transaction.atomic():
            for attachment in submission.attachments.all():
                sealing.delete_file(attachment.stored_name)
            submission.attachments.all().delete()
            submission.messages.all().delete()
            submission.sealed_key = None
            submission.receipt_wrapped_key = None
            submission.sealed = None
            submission.status = SubmissionStatus.EXPIRED
            submission.save()
            record(
                None, "submission.expire", organisation=submission.organisation, target=submission
            )
        count += 1
    return count


def consent_purposes() -> list[str]:
    return [str(p) for p in ConsentPurpose.values]


def set_public_profile(
    acting_user: User, organisation: Organisation, profile: dict[str, Any]
) -> None:
    """Introduction, hotline number and hours shown on the organisation's report page."""
    with transaction.atomic():
        settings_ = dict(organisation.settings or {})
        settings_["public"] = profile
        organisation.settings = settings_
        organisation.save(update_fields=["settings"])
        record(
            acting_user,
            "organisation.public_profile",
            organisation=organisation,
            target=organisation,
        )


def set_public_languages(
    acting_user: User, organisation: Organisation, languages: list[str]
) -> list[str]:
    """The languages the organisation's public report pages offer; all of them when
    every enabled language is chosen (so a language added later is offered too)."""
    from vigil.lib import languages as vigil_languages

    enabled = vigil_languages.codes()
    chosen = [code for code in enabled if code in set(languages)]
    if not chosen:
        raise ValueError("a public page offers at least one language")
    stored = [] if chosen == enabled else chosen
    with transaction.atomic():
        organisation.public_languages = stored
        organisation.save(update_fields=["public_languages"])
        record(
            acting_user,
            "organisation.public_languages",
            organisation=organisation,
            target=organisation,
            languages=chosen,
        )
    return chosen


# --- files from the reporter ---------------------------------------------------------

FAMILY_TO_KIND = {"image": "photo", "document": "document", "audio": "audio", "video": "video"}


def stored_bytes(submission: Submission) -> int:
    """What the reporter's files of a report take in storage."""
    return int(submission.attachments.aggregate(total=Sum("size"))["total"] or 0)


def add_attachment(submission: Submission, thread_key: bytes, upload: Any) -> Attachment:
    """Check, strip metadata and seal a file from the reporter under her thread key.

    Raises incidents.evidence.Refused with a translated reason.
    """
    from vigil.incidents import evidence

    prepared = evidence.prepare(upload, keep_metadata=False)
    stored = sealing.store_file(thread_key, prepared.chunks(), folder="reports")
    try:
        with transaction.atomic():
            if stored_bytes(submission) + stored.size > settings.REPORT_STORAGE_QUOTA:
                raise evidence.Refused(
                    str(_("Your report cannot hold more files. Please write to us instead."))
                )
            attachment = Attachment.objects.create(
                submission=submission,
                stored_name=stored.name,
                content_type=prepared.kind.content_type,
                size=stored.size,
                sha256=stored.sha256,
                sealed=sealing.seal_json(thread_key, {"file_name": (upload.name or "")[:255]}),
            )
            record(None, "attachment.add", organisation=submission.organisation, target=attachment)
            _notify_after_triage(submission, Author.REPORTER)
    except BaseException:
        sealing.delete_file(stored.name)
        raise
    return attachment


def _attachments_to_evidence(
    acting_user: User, event: Event, event_key: bytes, submission: Submission, thread_key: bytes
) -> None:
    from vigil.incidents import evidence

    for attachment in submission.attachments.all():
        family = attachment.content_type.split("/")[0]
        name = sealing.open_json(thread_key, attachment.sealed, {}).get("file_name", "")
        evidence.add_evidence(
            acting_user,
            event,
            event_key,
            chunks=sealing.open_file(thread_key, attachment.stored_name),
            kind=FAMILY_TO_KIND.get(family, "document") if family != "application" else "document",
            content_type=attachment.content_type,
            file_name=name,
        )
