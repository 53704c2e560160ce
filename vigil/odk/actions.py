"""Every write of offline intake; each is audited exactly once."""

from __future__ import annotations

import base64
import datetime
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from vigil.accounts.models import Organisation, User
from vigil.audit.log import record
from vigil.intake import actions as intake_actions
from vigil.intake.models import Channel, Submission
from vigil.odk import envelope, instance
from vigil.odk.models import Device, EncryptedRecord, FormKey, RecordStatus
from vigil.vault import crypto, sealing
from vigil.vault.keys import organisation_public_key

# --- the form key ------------------------------------------------------------------


def create_form_key(organisation: Organisation, *, acting_user: User | None) -> FormKey:
    """A new RSA key pair; the previous one stays (sealed) for records sent to it."""
    pem = envelope.new_private_key_pem()
    with transaction.atomic():
        previous = (
            FormKey.objects.select_for_update()
            .filter(organisation=organisation, is_current=True)
            .first()
        )
        if previous is not None:
            previous.is_current = False
            previous.save(update_fields=["is_current"])
        key = FormKey.objects.create(
            organisation=organisation,
            public_key=envelope.public_key_base64(pem),
            sealed_private=crypto.seal_to(organisation_public_key(organisation), pem),
            created_by=acting_user,
        )
        record(
            acting_user,
            "odk.key_created",
            organisation=organisation,
            target=key,
            key=key.pk,
            previous=previous.pk if previous else None,
        )
    return key


def current_form_key(organisation: Organisation) -> FormKey:
    """The key phones encrypt to, made on first use (needs only the public org key)."""
    key = FormKey.objects.filter(organisation=organisation, is_current=True).first()
    return key or create_form_key(organisation, acting_user=None)


# --- phones ------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedDevice:
    device: Device
    password: str  # shown once, never stored


def hash_password(password: str) -> str:
    return hashlib.sha256(password.encode("utf-8")).hexdigest()


def issue_device(organisation: Organisation, label: str, *, acting_user: User) -> IssuedDevice:
    password = secrets.token_urlsafe(18)
    with transaction.atomic():
        device = Device.objects.create(
            organisation=organisation,
            label=label.strip()[:60],
            username=f"odk-{secrets.token_hex(5)}",
            password_hash=hash_password(password),
            created_by=acting_user,
        )
        record(
            acting_user,
            "odk.device_issued",
            organisation=organisation,
            target=device,
            device=device.pk,
        )
    return IssuedDevice(device, password)


def revoke_device(device: Device, *, acting_user: User) -> None:
    with transaction.atomic():
        if device.revoked_at is None:
            device.revoked_at = timezone.now()
            device.save(update_fields=["revoked_at"])
        record(
            acting_user,
            "odk.device_revoked",
            organisation=device.organisation,
            target=device,
            device=device.pk,
        )


def touch_device(device: Device) -> None:
    """Last contact, to the minute, so a coordinator notices a phone gone quiet."""
    now = timezone.now().replace(second=0, microsecond=0)
    if device.last_seen_at != now:
        Device.objects.filter(pk=device.pk).update(last_seen_at=now)


# --- records from phones -----------------------------------------------------------


class Duplicate(Exception):
    """The same instance was already received; ``same`` when byte-identical."""

    def __init__(self, same: bool) -> None:
        super().__init__("duplicate")
        self.same = same


def envelope_digest(manifest_xml: bytes, files: dict[str, bytes]) -> str:
    digest = hashlib.sha256(manifest_xml)
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    return digest.hexdigest()


def receive_record(
    device: Device,
    manifest: envelope.Manifest,
    manifest_xml: bytes,
    files: dict[str, bytes],
    *,
    acting_user: User | None = None,
) -> EncryptedRecord:
    """Keep a phone's encrypted record as sent, sealed again; raises Duplicate."""
    organisation = device.organisation
    digest = envelope_digest(manifest_xml, files)
    existing = EncryptedRecord.objects.filter(
        organisation=organisation, instance_id=manifest.instance_id
    ).first()
    if existing is not None:
        raise Duplicate(same=existing.envelope_sha256 == digest)
    key, sealed_key = sealing.new_data_key(organisation)
    payload = {
        "manifest": base64.b64encode(manifest_xml).decode("ascii"),
        "files": {name: base64.b64encode(data).decode("ascii") for name, data in files.items()},
    }
    size = len(manifest_xml) + sum(len(d) for d in files.values())
    try:
        with transaction.atomic():
            row = EncryptedRecord.objects.create(
                organisation=organisation,
                device=device,
                instance_id=manifest.instance_id,
                envelope_sha256=digest,
                size=size,
                sealed_key=sealed_key,
                sealed=sealing.seal_json(key, payload),
            )
            record(
                acting_user,
                "odk.record_received",
                organisation=organisation,
                target=row,
                device=device.pk,
                files=len(files),
                size=size,
            )
    except IntegrityError as exc:  # a concurrent re-send of the same instance
        raise Duplicate(same=True) from exc
    return row


class CannotOpen(Exception):
    pass


def _envelope_of(org_private: bytes, row: EncryptedRecord) -> tuple[bytes, dict[str, bytes]]:
    if not row.sealed_key:
        raise CannotOpen("content destroyed")
    key = crypto.unseal(org_private, bytes(row.sealed_key))
    payload: dict[str, Any] = sealing.open_json(key, row.sealed, {})
    files = {name: base64.b64decode(data) for name, data in payload["files"].items()}
    return base64.b64decode(payload["manifest"]), files


def _decrypt(org_private: bytes, row: EncryptedRecord) -> envelope.OpenedRecord:
    manifest_xml, files = _envelope_of(org_private, row)
    manifest = envelope.parse_manifest(manifest_xml)
    keys = list(FormKey.objects.filter(organisation_id=row.organisation_id).order_by("-pk"))
    # The form version names the key it was built with; try that one first.
    keys.sort(key=lambda k: str(k.pk) != (manifest.version or "").split(".")[0])
    last_error: Exception = envelope.EnvelopeError("no key")
    for form_key in keys:
        pem = crypto.unseal(org_private, bytes(form_key.sealed_private))
        try:
            return envelope.open_record(pem, manifest, files)
        except envelope.EnvelopeError as exc:
            last_error = exc
    raise last_error


def open_record(org_private: bytes, row: EncryptedRecord, *, acting_user: User) -> Submission:
    """Decrypt a phone's record into an ordinary report of the triage inbox.

    Raises CannotOpen (and marks the record) when it is altered or not for our keys.
    """
    if row.status == RecordStatus.OPENED and row.submission is not None:
        return row.submission
    try:
        opened = _decrypt(org_private, row)
        report = instance.to_report(opened.instance_xml)
    except (envelope.EnvelopeError, instance.InstanceError) as exc:
        with transaction.atomic():
            row.status = RecordStatus.UNREADABLE
            row.save(update_fields=["status"])
            record(
                acting_user,
                "odk.record_unreadable",
                organisation=row.organisation,
                target=row,
                reason=type(exc).__name__,
            )
        raise CannotOpen(str(exc)) from exc
    with transaction.atomic():
        # Two caseworkers pressing "open" at once must not make two reports.
        locked = EncryptedRecord.objects.select_for_update().get(pk=row.pk)
        if locked.submission is not None:
            return locked.submission
        created = intake_actions.submit(
            row.organisation, report, channel=Channel.ODK, entered_by=acting_user
        )
        submission = created.submission
        skipped = _attach_media(org_private, submission, opened.media)
        row.status = RecordStatus.OPENED
        row.opened_at = timezone.now()
        row.opened_by = acting_user
        row.submission = submission
        row.save(update_fields=["status", "opened_at", "opened_by", "submission"])
        record(
            acting_user,
            "odk.record_opened",
            organisation=row.organisation,
            target=row,
            submission=submission.pk,
            files=len(opened.media) - skipped,
            skipped=skipped,
        )
    return submission


def _spooled(name: str, data: bytes) -> Any:
    """A decrypted file as intake's upload type, so it gets the same checks."""
    from vigil.incidents import evidence

    spool = evidence.EncryptedSpool()
    spool.write(data)
    return evidence.SpooledUpload(spool, name, "application/octet-stream")


def _attach_media(
    org_private: bytes, submission: Submission, media: list[tuple[str, bytes]]
) -> int:
    """Photos and recordings go through intake's checks (type, metadata stripped)."""
    from vigil.incidents import evidence

    if not media:
        return 0
    thread_key = intake_actions.staff_thread_key(org_private, submission)
    skipped = 0
    for name, data in media:
        try:
            intake_actions.add_attachment(submission, thread_key, _spooled(name, data))
        except evidence.Refused:
            skipped += 1
    return skipped


def expire_records(older_than_days: int, now: datetime.datetime | None = None) -> int:
    """Shred records nobody opened in time, like untriaged reports (crypto-shredding)."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=older_than_days)
    stale = EncryptedRecord.objects.filter(
        status__in=[RecordStatus.WAITING, RecordStatus.UNREADABLE],
        received_at__lt=cutoff,
        sealed_key__isnull=False,
    )
    count = 0
    for row in stale.iterator():
        with transaction.atomic():
            row.sealed_key = None
            row.sealed = None
            row.save(update_fields=["sealed_key", "sealed"])
            record(None, "odk.record_expired", organisation=row.organisation, target=row)
        count += 1
    return count
