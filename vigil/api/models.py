"""API tokens, reports received through the API, and KoboToolbox hooks.

Tokens are shown once and stored as SHA-256 hashes: they are 256-bit random
strings, so a fast hash is enough, and a copy of the database cannot act
with them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    STATS_READ = "stats:read", _("Read the published statistics")
    REPORTS_SUBMIT = "reports:submit", _("Submit reports")
    REPORTS_STATUS = "reports:status", _("Read the status of its own reports")
    IMPORTS_WRITE = "imports:write", _("Send spreadsheets to import")


class ApiToken(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_on = models.DateField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None

    def scope_labels(self) -> list[str]:
        labels = dict(Scope.choices)
        return [str(labels.get(s, s)) for s in self.scopes]


class ApiSubmission(models.Model):
    """A report sent by a token: the token may read its status with ``reference``."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="submissions")
    submission = models.OneToOneField(
        "intake.Submission", on_delete=models.CASCADE, related_name="api_source"
    )
    reference = models.CharField(max_length=32, unique=True)

    def __str__(self) -> str:
        return self.reference


class KoboHook(models.Model):
    """A KoboToolbox REST service pointing at this organisation.

    ``mapping``: {report field: Kobo question name}; ``values``: {report field:
    {Kobo answer: choice key}} for answers that are neither a key nor a label.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="kobo_hooks"
    )
    name = models.CharField(_("name"), max_length=80)
    token_hash = models.CharField(max_length=64, unique=True)
    mapping = models.JSONField(default=dict, blank=True)
    values = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class KoboDelivery(models.Model):
    """One Kobo submission received; a resent ``_uuid`` is recognised and ignored."""

    hook = models.ForeignKey(KoboHook, on_delete=models.CASCADE, related_name="deliveries")
    uuid_hash = models.CharField(max_length=64)
    submission = models.ForeignKey(
        "intake.Submission", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["hook", "uuid_hash"], name="kobo_uuid_once")]

    def __str__(self) -> str:
        return f"kobo {self.pk}"
