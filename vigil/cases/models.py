"""Case management: one client, one or more incidents, and the response.

The case's data key also seals its notes, tasks, interventions and consent
notes (one record group), so opening a case costs one unseal.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.incidents.models import Event, Person, term_fk
from vigil.vault.sealing import SealedRecord
from vigil.vocab.models import Term


class CaseStatus(models.TextChoices):
    NEW = "new", _("New")
    TRIAGED = "triaged", _("Triaged")
    ACTIVE = "active", _("Active")
    MONITORING = "monitoring", _("Monitoring")
    CLOSED = "closed", _("Closed")


class Case(SealedRecord):
    """Sealed JSON: needs_notes, plan."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="cases"
    )
    number = models.PositiveIntegerField()
    client = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cases")
    incidents = models.ManyToManyField(Event, related_name="cases", blank=True)
    assignees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="assigned_cases", blank=True
    )
    status = models.CharField(max_length=16, choices=CaseStatus.choices, default=CaseStatus.NEW)
    needs = models.ManyToManyField(Term, blank=True, related_name="+")
    sealed = models.BinaryField(null=True)
    closure_checklist = models.JSONField(default=dict, blank=True)
    closure_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    closure_requested_at = models.DateTimeField(null=True, blank=True)
    outcome = term_fk("case_outcome")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "number"], name="case_number_per_org")
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "-updated_at"]),
            models.Index(fields=["organisation", "-updated_at"]),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def code(self) -> str:
        return f"C-{self.number:05d}"


class StatusChange(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=16, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=CaseStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status}->{self.to_status}"


class Task(models.Model):
    """Sealed (case key): title. Reminders go out by email with a link only."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    sealed = models.BinaryField()
    due_date = models.DateField(null=True, blank=True, db_index=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="tasks", null=True
    )
    done_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return f"task {self.pk}"


class Note(models.Model):
    """Sealed (case key): body."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    sealed = models.BinaryField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"note {self.pk}"


class Intervention(models.Model):
    """The response. Sealed (case key): details."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="interventions")
    intervention_type = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    authority_response = term_fk("authority_response")
    outcome = term_fk("case_outcome")
    sealed = models.BinaryField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"intervention {self.pk}"


class ConsentPurpose(models.TextChoices):
    FOLLOW_UP = "follow_up", _("Follow-up contact")
    STATISTICS = "statistics", _("Use in anonymised statistics")
    SHARE_IDENTIFIED = "share_identified", _("Share the identified case with a named body")
    ALERT = "alert", _("Issue an Ugly Mugs alert from the report")
    POLICE_ANONYMISED = "police_anonymised", _("Share anonymised information with police")
    MATCHING = "matching", _("Match the perpetrator with other reports")
    # The two upper rungs of the Ugly Mugs consent ladder (``cases.consent.LEVELS``).
    POLICE_ON_BEHALF = "police_on_behalf", _("The organisation may speak to police for her")
    POLICE_FULL = "police_full", _("Share her full report with police")


class Consent(models.Model):
    """One decision about one purpose. Rows are never changed: a withdrawal is a
    new row with granted=False, and the latest row per purpose (and body) wins."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="consents")
    purpose = models.CharField(max_length=32, choices=ConsentPurpose.choices)
    # For SHARE_IDENTIFIED: which body (e.g. "ombudsman", "prosecutor"). Empty otherwise.
    body = models.CharField(max_length=64, blank=True)
    granted = models.BooleanField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        indexes = [models.Index(fields=["person", "purpose", "-recorded_at"])]

    def __str__(self) -> str:
        return f"{self.purpose}={self.granted}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise RuntimeError("consent records are never overwritten; add a new one")
        super().save(*args, **kwargs)


class ConsentOverride(models.Model):
    """A coordinator let an action proceed without consent. Sealed (case key): reason."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="overrides")
    purpose = models.CharField(max_length=32, choices=ConsentPurpose.choices)
    action = models.CharField(max_length=64)
    sealed_reason = models.BinaryField()
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"override {self.purpose} for {self.action}"
