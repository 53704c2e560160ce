"""Officer profiles are computed, not stored: an officer is a blind index (badge,
name skeleton, plate, phone) shared by perpetrators of the organisation's own
incidents and by rows of external complaint registers.

Stored here: the organisation's repeat threshold, and the external complaint
registers imported from published data (one row per accused officer per
complaint). Register rows are sealed under the register's data key; clear
columns are only the region code, the complaint date, the category and
finding codes, and the blind indexes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.vault.sealing import SealedRecord

DEFAULT_REPEAT_THRESHOLD = 2


class Finding(models.TextChoices):
    SUSTAINED = "sustained", _("Sustained")
    NOT_SUSTAINED = "not_sustained", _("Not sustained")
    UNFOUNDED = "unfounded", _("Unfounded")
    EXONERATED = "exonerated", _("Exonerated")
    NO_FINDING = "no_finding", _("No finding")
    OTHER = "other", _("Other")


class Category(models.TextChoices):
    FORCE = "force", _("Use of force or beating")
    SEXUAL = "sexual", _("Sexual violence or harassment")
    EXTORTION = "extortion", _("Extortion or bribe demand")
    DETENTION = "detention", _("Unlawful detention or search")
    EVIDENCE = "evidence", _("Planted evidence or falsified case")
    AUTHORITY = "authority", _("Abuse of authority")
    VERBAL = "verbal", _("Insults, threats or discourtesy")
    OTHER = "other", _("Other")


class IdentityKind(models.TextChoices):
    BADGE = "badge", _("Badge or service number")
    NAME = "name", _("Name")
    PLATE = "plate", _("Vehicle plate")
    PHONE = "phone", _("Phone number")
    # A combination of register columns (e.g. name + birth year + appointment date).
    PERSON = "person", _("Combined register columns")


class OfficerSettings(models.Model):
    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="officer_settings"
    )
    repeat_threshold = models.PositiveSmallIntegerField(
        _("repeat threshold"), default=DEFAULT_REPEAT_THRESHOLD
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.repeat_threshold}"


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded, columns to choose")
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    CHECKED = "checked", _("Checked (dry run)")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")


class ComplaintRegister(SealedRecord):
    """One uploaded register file and what became of it.

    The file is sealed (its own data key, like evidence) and deleted once
    imported. ``job_secret`` holds the file and index keys for the worker,
    encrypted under a key passed to the task; it is wiped when the job ends.
    Errors name a line, a column header and an error code, never a cell value.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="complaint_registers"
    )
    source_name = models.CharField(_("source"), max_length=200)
    file_format = models.CharField(max_length=4)
    stored_name = models.CharField(max_length=200, blank=True)
    headers = models.JSONField(default=list)
    # field -> column header, and the fields that identify an officer.
    mapping = models.JSONField(default=dict)
    identity = models.JSONField(default=list)
    unknown_as_other = models.BooleanField(default=False)
    status = models.CharField(
        max_length=16, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    dry_run = models.BooleanField(default=False)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    rows_imported = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)
    error_count = models.PositiveIntegerField(default=0)
    job_secret = models.BinaryField(null=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["organisation", "-created_at"])]

    def __str__(self) -> str:
        return f"register {self.pk} ({self.status})"

    @property
    def percent(self) -> int:
        if not self.rows_total:
            return 100 if self.status in FINISHED else 0
        return min(100, self.rows_done * 100 // self.rows_total)

    @property
    def is_pending(self) -> bool:
        return self.status in {ImportStatus.QUEUED, ImportStatus.RUNNING}


FINISHED = frozenset({ImportStatus.CHECKED, ImportStatus.DONE, ImportStatus.FAILED})


class ExternalComplaint(models.Model):
    """One accused officer in one complaint of an external register.

    Sealed (register key) JSON: name, badge, birth_year, appointed_on, unit,
    reference, category and finding as written in the source.
    """

    register = models.ForeignKey(
        ComplaintRegister, on_delete=models.CASCADE, related_name="complaints"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    line = models.PositiveIntegerField()
    region = models.CharField(max_length=10, blank=True)
    complaint_date = models.DateField(null=True, blank=True)
    category = models.CharField(max_length=16, choices=Category.choices)
    finding = models.CharField(max_length=16, choices=Finding.choices)
    identity_kind = models.CharField(max_length=8, choices=IdentityKind.choices)
    identity_bidx = models.CharField(max_length=32)
    # The region as part of the identity: always for badges and names (read within a
    # region, like the organisation's own incidents), for combined columns when chosen.
    identity_region = models.CharField(max_length=10, blank=True)
    name_bidx = models.CharField(max_length=32, blank=True)
    badge_bidx = models.CharField(max_length=32, blank=True)
    sealed = models.BinaryField(null=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["organisation", "identity_kind", "identity_bidx", "identity_region"],
                name="extcomplaint_identity",
            ),
            models.Index(fields=["organisation", "badge_bidx"], name="extcomplaint_badge"),
            models.Index(fields=["organisation", "name_bidx"], name="extcomplaint_name"),
        ]

    def __str__(self) -> str:
        return f"external complaint {self.pk}"
