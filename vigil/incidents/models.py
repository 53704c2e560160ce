"""Who did what to whom (HURIDOCS Events Standard Formats, simplified).

Clear columns are only what workflow and statistics need (dates, region
codes, term codes, statuses, flags, counts). Everything that could identify a
person is inside ``sealed`` blobs encrypted under the event's or person's data
key; exact-match search uses blind indexes.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.vault.sealing import SealedRecord
from vigil.vocab.models import Term


class DatePrecision(models.TextChoices):
    EXACT = "exact", _("Exact day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")
    ESTIMATE = "estimate", _("Estimate")


class SourceChannel(models.TextChoices):
    WEB = "web", _("Web report")
    HOTLINE = "hotline", _("Hotline")
    OUTREACH = "outreach", _("Outreach")
    PARTNER = "partner", _("Partner organisation")
    IMPORT = "import", _("Import")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    RECORDED = "recorded", _("Recorded")


class Sex(models.TextChoices):
    FEMALE = "f", _("Female")
    MALE = "m", _("Male")
    OTHER = "x", _("Other")
    UNKNOWN = "", _("Not known")


class AgeBand(models.TextChoices):
    UNDER_18 = "0-17", _("Under 18")
    A18 = "18-24", _("18-24")
    A25 = "25-34", _("25-34")
    A35 = "35-44", _("35-44")
    A45 = "45-54", _("45-54")
    A55 = "55+", _("55 or older")
    UNKNOWN = "", _("Not known")


def term_fk(term_list: str, **kwargs: Any) -> models.ForeignKey:
    return models.ForeignKey(
        Term,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"list": term_list},
        null=True,
        blank=True,
        **kwargs,
    )


class Event(SealedRecord):
    """An incident. Sealed JSON: title, summary, narrative, city, place_detail."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="events"
    )
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=16, choices=EventStatus.choices, default=EventStatus.DRAFT)
    wizard_step = models.CharField(max_length=16, default="basics")
    start_date = models.DateField(null=True, blank=True)
    start_precision = models.CharField(
        max_length=16, choices=DatePrecision.choices, default=DatePrecision.EXACT
    )
    end_date = models.DateField(null=True, blank=True)
    country = models.CharField(max_length=2, blank=True)
    region = models.CharField(max_length=10, blank=True, db_index=True)
    place_type = term_fk("place_type")
    source_channel = models.CharField(
        max_length=16, choices=SourceChannel.choices, default=SourceChannel.OUTREACH
    )
    violation_status = term_fk("violation_status")
    # Denormalised from the latest statistics consent, for the aggregation queries.
    stats_consent = models.BooleanField(default=False)
    sealed = models.BinaryField(null=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "number"], name="event_number_per_org")
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "-start_date"]),
            models.Index(fields=["organisation", "-created_at"]),
            # Region filter of the incident list, newest first (docs/performance.md).
            models.Index(
                fields=["organisation", "region", "-number"], name="event_org_region_number"
            ),
            # Statistics count only recorded, consented incidents (docs/performance.md).
            models.Index(
                fields=["organisation", "status", "stats_consent", "start_date", "region"],
                name="event_stats",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def code(self) -> str:
        return f"E-{self.number:05d}"


class Person(SealedRecord):
    """A victim or client. Pseudonym in clear; name, phone, address sealed."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="people"
    )
    pseudonym = models.CharField(_("pseudonym"), max_length=60)
    sealed = models.BinaryField(null=True)
    name_bidx = models.CharField(max_length=32, blank=True, db_index=True)
    phone_bidx = models.CharField(max_length=32, blank=True, db_index=True)
    sex = models.CharField(max_length=1, choices=Sex.choices, blank=True, default=Sex.FEMALE)
    age_band = models.CharField(max_length=8, choices=AgeBand.choices, blank=True)
    characteristics = models.ManyToManyField(Term, blank=True, related_name="+")
    primary_group = term_fk("characteristic")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["organisation", "pseudonym"])]

    def __str__(self) -> str:
        return self.pseudonym


class Act(models.Model):
    """One victim suffering one type of act: the counting unit for statistics."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="acts")
    victim = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="acts")
    act_type = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="+")
    methods = models.ManyToManyField(Term, blank=True, related_name="+")
    consequences = models.ManyToManyField(Term, blank=True, related_name="+")
    status_at_end = term_fk("act_status")

    class Meta:
        # Statistics group acts by type per event and count distinct victims.
        indexes = [models.Index(fields=["event", "act_type", "victim"], name="act_stats")]

    def __str__(self) -> str:
        return f"{self.event_id}:{self.act_type_id}"


class Perpetrator(models.Model):
    """Sealed (event key) JSON: name, badge, plate, phone, agency, unit, rank, description."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="perpetrators")
    perpetrator_type = term_fk("perpetrator_type")
    sealed = models.BinaryField(null=True)
    name_bidx = models.CharField(max_length=32, blank=True, db_index=True)
    badge_bidx = models.CharField(max_length=32, blank=True, db_index=True)
    plate_bidx = models.CharField(max_length=32, blank=True, db_index=True)
    phone_bidx = models.CharField(max_length=32, blank=True, db_index=True)

    def __str__(self) -> str:
        return f"perpetrator {self.pk}"


class Involvement(models.Model):
    act = models.ForeignKey(Act, on_delete=models.CASCADE, related_name="involvements")
    perpetrator = models.ForeignKey(
        Perpetrator, on_delete=models.CASCADE, related_name="involvements"
    )
    degree = term_fk("involvement")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["act", "perpetrator"], name="one_involvement_per_pair")
        ]

    def __str__(self) -> str:
        return f"{self.perpetrator_id} in {self.act_id}"


class Source(models.Model):
    """Who told us. Sealed (event key) JSON: name, contact, notes."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sources")
    source_type = term_fk("source_type")
    reliability = term_fk("reliability")
    sealed = models.BinaryField(null=True)

    def __str__(self) -> str:
        return f"source {self.pk}"


class EvidenceKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    MEDICAL = "medical", _("Medical certificate")
    AUDIO = "audio", _("Audio")
    VIDEO = "video", _("Video")
    DOCUMENT = "document", _("Document")


class Evidence(models.Model):
    """A sealed file (event key). Sealed JSON: original file name, description, EXIF reason."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=16, choices=EvidenceKind.choices)
    stored_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    # SHA-256 of the plaintext as received (after metadata stripping), for chain of custody.
    sha256 = models.CharField(max_length=64)
    captured_on = models.DateField(null=True, blank=True)
    metadata_kept = models.BooleanField(default=False)
    sealed = models.BinaryField(null=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"evidence {self.pk}"
