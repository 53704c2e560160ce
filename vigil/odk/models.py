"""Offline intake through ODK Collect: keys, phones and the encrypted records they send.

The RSA private key is sealed to the organisation key (only a member whose
session holds it opens it); the public key goes into the form. A phone
authenticates with a random password of which only a hash is kept. Records
stay encrypted (ODK's envelope, sealed again under a data key) until a
caseworker opens one in the inbox.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FormKey(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="odk_keys"
    )
    public_key = models.TextField()  # base64 DER, as the form carries it
    # The private key PEM sealed to the organisation's public key.
    sealed_private = models.BinaryField()
    # Only one key a phone downloads; older ones stay for records sealed to them.
    is_current = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(is_current=True),
                name="odk_one_current_key",
            )
        ]

    def __str__(self) -> str:
        return f"ODK key {self.pk}"


class Device(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="odk_devices"
    )
    # A coordinator's own label ("phone 3"); advised not to be a person's name.
    label = models.CharField(_("label"), max_length=60)
    username = models.CharField(max_length=40, unique=True)
    # SHA-256 of a random 128-bit password: a slow hash adds nothing to such a secret.
    password_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.label

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class RecordStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting to be opened")
    OPENED = "opened", _("Opened into the inbox")
    UNREADABLE = "unreadable", _("Could not be opened")


class EncryptedRecord(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="odk_records"
    )
    device = models.ForeignKey(
        Device, null=True, blank=True, on_delete=models.SET_NULL, related_name="records"
    )
    # A random uuid chosen by the phone: idempotent re-sends, reveals nothing.
    instance_id = models.CharField(max_length=100)
    envelope_sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    # Data key sealed to the organisation; the ODK envelope (manifest and .enc files)
    # is stored under it, so even the phone's ciphertext is not on disk as sent.
    sealed_key = models.BinaryField(null=True)
    sealed = models.BinaryField(null=True)
    status = models.CharField(
        max_length=16, choices=RecordStatus.choices, default=RecordStatus.WAITING
    )
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submission = models.OneToOneField(
        "intake.Submission",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="odk_record",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "instance_id"], name="odk_one_record_per_instance"
            )
        ]

    def __str__(self) -> str:
        return f"ODK-{self.pk:06d}"

    @property
    def code(self) -> str:
        return str(self)
