"""Ugly Mugs alerts, their vetting, the members who receive them, and police sharing.

Clear columns are only what the workflow and the figures need: statuses, region
codes, week or month starts, vocabulary terms, risk levels, dates of moves and
counts. Everything written in words, every offender identifier, every contact
detail and the link to the source incident are sealed (see docs/threat-model.md,
"Alerts").
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.incidents.models import term_fk
from vigil.vault.sealing import SealedRecord
from vigil.vocab.models import Term

LANGUAGES: tuple[str, ...] = ("en", "ru", "uk")


class AlertStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    VETTING = "vetting", _("Vetting")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")
    EXPIRED = "expired", _("Expired")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Risk(models.TextChoices):
    YELLOW = "yellow", _("Yellow: be careful")
    ORANGE = "orange", _("Orange: dangerous")
    RED = "red", _("Red: very dangerous")


class PeriodKind(models.TextChoices):
    WEEK = "week", _("Week")
    MONTH = "month", _("Month")


class IdentifierKind(models.TextChoices):
    PHONE = "phone", _("Phone number")
    PLATE = "plate", _("Car number plate")
    BADGE = "badge", _("Badge or other police number")
    OTHER = "other", _("Other (clothing, car model, nickname)")


# Identifier kinds the checker looks up (through blind indexes).
CHECKABLE: tuple[str, ...] = (IdentifierKind.PHONE, IdentifierKind.PLATE, IdentifierKind.BADGE)


class Alert(SealedRecord):
    """Sealed JSON (alert key): ``texts`` {language: third-person description},
    ``identifiers`` [{kind, value}], ``police_reason``. ``sealed_source`` (same key):
    {kind: "event" or "submission", id}. ``released``: the published copy (texts and
    identifiers only) under the server's release key, kept while the alert is live."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=16, choices=AlertStatus.choices, default=AlertStatus.DRAFT)
    region = models.CharField(max_length=10, blank=True)
    period_kind = models.CharField(
        max_length=8, choices=PeriodKind.choices, default=PeriodKind.MONTH
    )
    period_start = models.DateField()
    perpetrator_type = term_fk("perpetrator_type")
    act_types = models.ManyToManyField(Term, blank=True, related_name="+")
    methods = models.ManyToManyField(Term, blank=True, related_name="+")
    risk = models.CharField(max_length=8, choices=Risk.choices, default=Risk.ORANGE)
    valid_until = models.DateField()
    sealed = models.BinaryField(null=True)
    sealed_source = models.BinaryField(null=True)
    has_police_identifier = models.BooleanField(default=False)
    checklist = models.JSONField(default=dict, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    police_identifier_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    released = models.BinaryField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "number"], name="alert_number_per_org")
        ]
        indexes = [models.Index(fields=["organisation", "status", "-number"])]

    def __str__(self) -> str:
        return self.code

    @property
    def code(self) -> str:
        return f"A-{self.number:04d}"


class AlertStatusChange(models.Model):
    """One move of the pipeline (``alerts.transitions``), never changed afterwards."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=16, choices=AlertStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=AlertStatus.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} -> {self.to_status}"


class IdentifierIndex(models.Model):
    """Blind index of one identifier of a published alert, for the checker.

    Keyed with the organisation's checker key; deleted when the alert ends."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="indexes")
    kind = models.CharField(max_length=8, choices=IdentifierKind.choices)
    digest = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["kind", "digest"])]

    def __str__(self) -> str:
        return f"{self.kind} index of {self.alert_id}"


class Channel(models.TextChoices):
    PAGE = "page", _("Members' page only")
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")


class MemberGroup(models.TextChoices):
    PEER = "peer", _("Peer")
    OUTREACH = "outreach", _("Outreach worker")
    PARTNER = "partner", _("Partner organisation")


class Subscriber(SealedRecord):
    """A vetted member who receives alerts. Sealed JSON (own key): name, email, phone.

    ``email_index`` is a slow keyed hash of the email (like receipt codes) so that
    the sign-in page can find her from the address she types, without the
    organisation key and without storing the address."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveIntegerField()
    group = models.CharField(max_length=16, choices=MemberGroup.choices)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    region = models.CharField(max_length=10, blank=True)
    language = models.CharField(max_length=8, default="ru")
    active = models.BooleanField(default=True)
    sealed = models.BinaryField(null=True)
    email_index = models.CharField(max_length=64, blank=True, db_index=True)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    enrolled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number"], name="subscriber_number_per_org"
            )
        ]

    def __str__(self) -> str:
        return f"M-{self.number:04d}"


class MemberLink(models.Model):
    """A short-lived, single-use sign-in link; only the SHA-256 of its token is stored."""

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"link for {self.subscriber_id}"


class DispatchStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Sending")
    DONE = "done", _("Sent")
    FAILED = "failed", _("Failed")


class Dispatch(models.Model):
    """Sending one alert to the members. ``sealed_batch`` holds the recipients for the
    worker under the dispatch key (never in the database alone) and is wiped when the
    job ends; only counts remain."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    alert = models.ForeignKey(Alert, on_delete=models.PROTECT, related_name="dispatches")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=8, choices=DispatchStatus.choices, default=DispatchStatus.QUEUED
    )
    total = models.PositiveIntegerField(default=0)
    sent = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    sealed_batch = models.BinaryField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"dispatch {self.pk} of {self.alert_id}"


class CheckerUse(models.Model):
    """One checker lookup, for the rate limit and the figures. No query is kept."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    who = models.CharField(max_length=24)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["who", "-at"])]

    def __str__(self) -> str:
        return f"check by {self.who}"


class LinkStatus(models.TextChoices):
    AWAITING = "awaiting", _("Waiting for her decision")
    DECIDED = "decided", _("Her decision recorded")
    ANSWERED = "answered", _("Answered")


class LinkRequest(SealedRecord):
    """A police request to link an anonymised digest entry to her report.

    Sealed JSON (own key): partner, reference, request (its words), event (id),
    answer. The organisation answers only after recording her decision."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveIntegerField()
    status = models.CharField(
        max_length=10, choices=LinkStatus.choices, default=LinkStatus.AWAITING
    )
    sealed = models.BinaryField(null=True)
    decision_granted = models.BooleanField(null=True)
    received_at = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number"], name="link_request_number_per_org"
            )
        ]

    def __str__(self) -> str:
        return f"R-{self.number:04d}"
