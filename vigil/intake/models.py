"""Anonymous reports and hotline calls, before triage.

A submission's content and its message thread are encrypted under one random
thread key T. T is sealed to the organisation's public key (staff read it)
and wrapped under a key derived from the reporter's receipt (she reads the
replies). The server alone can read neither. No address, user agent or
referrer of a reporter is stored anywhere.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    WEB = "web", _("Web report")
    HOTLINE = "hotline", _("Hotline call")
    API = "api", _("Partner program (API)")
    KOBO = "kobo", _("KoboToolbox form")
    ODK = "odk", _("ODK form on a phone")


class SubmissionStatus(models.TextChoices):
    NEW = "new", _("New")
    ACCEPTED = "accepted", _("Accepted")
    MERGED = "merged", _("Merged into an existing incident")
    REJECTED = "rejected", _("Rejected")
    EXPIRED = "expired", _("Expired")


class RejectReason(models.TextChoices):
    SPAM = "spam", _("Spam or abuse")
    OUT_OF_SCOPE = "out_of_scope", _("Out of scope")
    DUPLICATE = "duplicate", _("Duplicate of another report")
    OTHER = "other", _("Other")


class Submission(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="submissions"
    )
    channel = models.CharField(max_length=16, choices=Channel.choices)
    status = models.CharField(
        max_length=16, choices=SubmissionStatus.choices, default=SubmissionStatus.NEW
    )
    # Argon2id(receipt) keyed with a server pepper: looks the mailbox up, reveals nothing.
    receipt_lookup = models.CharField(  # noqa: DJ001 - NULL, unlike "", may repeat under UNIQUE
        max_length=64, unique=True, null=True
    )
    # Thread key T sealed to the organisation, and wrapped under the receipt-derived key.
    sealed_key = models.BinaryField(null=True)
    receipt_wrapped_key = models.BinaryField(null=True)
    sealed = models.BinaryField(null=True)
    # In clear so the inbox can put her first without opening every report:
    # a flag, like the statuses, never what happened.
    urgent = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Set by triage.
    event = models.ForeignKey(
        "incidents.Event",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submissions",
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="submissions"
    )
    reject_reason = models.CharField(max_length=16, choices=RejectReason.choices, blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    triaged_at = models.DateTimeField(null=True, blank=True)
    entered_by = models.ForeignKey(  # hotline operator; empty for web reports
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "status", "created_at"]),
            # The inbox: new reports, danger first, then oldest first, read in index order.
            models.Index(
                fields=["organisation", "status", "-urgent", "created_at"],
                name="intake_sub_inbox_idx",
            ),
            # "Recently triaged": backwards along triage time, never a sort of all of them.
            models.Index(
                fields=["organisation", "-triaged_at"],
                name="intake_sub_triaged_idx",
                condition=models.Q(triaged_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"R-{self.pk:06d}"

    @property
    def code(self) -> str:
        return str(self)


class Author(models.TextChoices):
    REPORTER = "reporter", _("Reporter")
    STAFF = "staff", _("Organisation")


class Message(models.Model):
    """One message of the reporter's thread; body and files sealed under T."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="messages")
    author = models.CharField(max_length=16, choices=Author.choices)
    staff_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sealed = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)
    read_by_staff = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"message {self.pk}"


class Attachment(models.Model):
    """A file from the reporter, encrypted under T; metadata stripped on upload."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="attachments")
    stored_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    sealed = models.BinaryField(null=True)  # original file name
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"attachment {self.pk}"


class PendingReceipt(models.Model):
    """A receipt not yet confirmed as saved, written with the report itself.

    Stored in the same transaction as the submission, so a crash between
    storing the report and showing the receipt cannot lose it. The receipt is
    encrypted under the key that her browser already holds in a cookie (the
    draft's cookie-box key), and the row is found by a hash of that key: the
    database alone can neither read it nor tie it to a report. Deleted when she
    confirms she saved the code, or when it expires.
    """

    lookup = models.CharField(max_length=64, unique=True)
    sealed = models.BinaryField()
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"pending receipt {self.pk}"
