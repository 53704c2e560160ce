"""Work with police and oversight bodies: partnerships, activities, boards, visits.

Clear columns are what workflow and statistics need (types, dates, region
codes, statuses, counts, vocabulary terms). Names and contacts of people,
minutes, places, notes, findings, allegations and files are sealed under each
record's own data key. Two texts are deliberately clear: a community board's
suggestion and the police answer to it, because the police liaison who must
read and answer them holds no organisation key; the form says so.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.vault.sealing import SealedRecord

# Vocabulary lists of this app (terms loaded by migration 0002).
TOPIC_LIST = "engagement_topic"
THEME_LIST = "detention_theme"


# --- partnerships -------------------------------------------------------------------------


class PartnerKind(models.TextChoices):
    POLICE_UNIT = "police_unit", _("Police unit")
    OMBUDSMAN = "ombudsman", _("Ombudsman office")
    NPM = "npm", _("National preventive mechanism")
    PROSECUTOR = "prosecutor", _("Prosecutor's office")
    HEALTH = "health", _("Health service")
    WOMEN_AGENCY = "women_agency", _("Women's agency")
    OTHER = "other", _("Other")


class Partner(models.Model):
    """A partnership with an institution of the oversight-body directory (shared or local)."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="engagement_partners"
    )
    body = models.ForeignKey(
        "complaints.OversightBody", on_delete=models.PROTECT, related_name="partnerships"
    )
    kind = models.CharField(_("kind of institution"), max_length=16, choices=PartnerKind.choices)
    since = models.DateField(_("partners since"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Police liaison members who take part: the only records of this app they see.
    participants = models.ManyToManyField(
        "accounts.Membership", blank=True, related_name="engagement_partners"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_active", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "body"], name="one_partner_per_body")
        ]

    def __str__(self) -> str:
        return self.body.name


class PartnerContact(SealedRecord):
    """A named person at a partner. Sealed JSON: name, phone, email, notes, and rank
    and unit unless the organisation chose to keep those two in clear."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="contacts")
    rank_in_clear = models.BooleanField(_("rank and unit in clear"), default=False)
    rank = models.CharField(_("rank"), max_length=100, blank=True)
    unit = models.CharField(_("unit"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    sealed = models.BinaryField(null=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_active", "pk"]

    def __str__(self) -> str:
        return f"contact {self.pk}"


class ContactKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    CALL = "call", _("Call")
    LETTER = "letter", _("Letter")
    CASE_SENT = "case_sent", _("Case sent (with consent)")
    LEGAL_ACTION = "legal_action", _("Legal action sent")
    OTHER = "other", _("Other")


class PartnerResponse(models.TextChoices):
    ACTED = "acted", _("Acted on it")
    PARTIAL = "partial", _("Partly acted")
    FORWARDED = "forwarded", _("Forwarded it")
    DECLINED = "declined", _("Declined")
    NONE = "none", _("No response")


class ContactLog(SealedRecord):
    """One contact with a partner. A legal action sent to the partner links to the
    complaints record, where its response and deadlines are kept.
    Sealed JSON: notes, response_notes."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="history")
    contact = models.ForeignKey(
        PartnerContact, null=True, blank=True, on_delete=models.PROTECT, related_name="history"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ContactKind.choices)
    date = models.DateField(_("date"))
    legal_action = models.ForeignKey(
        "complaints.LegalAction",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="partner_contacts",
    )
    response = models.CharField(
        _("response"), max_length=16, choices=PartnerResponse.choices, blank=True
    )
    response_on = models.DateField(_("response received on"), null=True, blank=True)
    sealed = models.BinaryField(null=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"contact log {self.pk}"


class AgreementKind(models.TextChoices):
    MOU = "mou", _("Memorandum of understanding")
    PROTOCOL = "protocol", _("Protocol")
    LETTER = "letter", _("Letter of cooperation")
    OTHER = "other", _("Other")


class SealedFile(SealedRecord):
    """A file encrypted in storage under the row's data key; SHA-256 of the plaintext
    for chain of custody. Sealed JSON: file_name (and title where the subclass has one)."""

    stored_name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    sealed = models.BinaryField(null=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class Agreement(SealedFile):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="agreements")
    kind = models.CharField(_("type"), max_length=16, choices=AgreementKind.choices)
    signed_on = models.DateField(_("signed on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        ordering = ["-signed_on", "-pk"]

    def __str__(self) -> str:
        return f"agreement {self.pk}"


# --- activities ---------------------------------------------------------------------------


class ActivityType(models.TextChoices):
    ACADEMY_COURSE = "academy_course", _("Training: police academy course")
    IN_SERVICE = "in_service", _("Training: in-service")
    GUEST_LECTURE = "guest_lecture", _("Training: guest lecture")
    JOINT_MEETING = "joint_meeting", _("Joint police-community meeting")
    BOARD_MEETING = "board_meeting", _("Community board meeting")
    ROUND_TABLE = "round_table", _("Round table")
    OTHER = "other", _("Other")


TRAININGS: frozenset[str] = frozenset(
    {ActivityType.ACADEMY_COURSE, ActivityType.IN_SERVICE, ActivityType.GUEST_LECTURE}
)
# Audience counts by category: people are counted, never named.
AUDIENCE_FIELDS = (
    "police_senior",
    "police_middle",
    "police_junior",
    "community_members",
    "wud_speakers",
    "other_participants",
)
POLICE_FIELDS = ("police_senior", "police_middle", "police_junior")


class Activity(SealedRecord):
    """A training, meeting or round table. Sealed JSON: place, notes, minutes."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="engagement_activities"
    )
    number = models.PositiveIntegerField()
    activity_type = models.CharField(_("type"), max_length=16, choices=ActivityType.choices)
    date = models.DateField(_("date"), db_index=True)
    hours = models.PositiveSmallIntegerField(_("hours"), null=True, blank=True)
    region = models.CharField(_("region"), max_length=10, blank=True)
    board = models.ForeignKey(
        "CommunityBoard",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name=_("community board"),
    )
    partners = models.ManyToManyField(
        Partner, blank=True, related_name="activities", verbose_name=_("partner institutions")
    )
    topics = models.ManyToManyField(
        "vocab.Term", blank=True, related_name="+", verbose_name=_("modules or topics")
    )
    participants = models.ManyToManyField(
        "accounts.Membership", blank=True, related_name="engagement_activities"
    )
    police_senior = models.PositiveIntegerField(_("police: senior ranks"), default=0)
    police_middle = models.PositiveIntegerField(_("police: middle ranks"), default=0)
    police_junior = models.PositiveIntegerField(_("police: junior ranks"), default=0)
    community_members = models.PositiveIntegerField(_("community members"), default=0)
    wud_speakers = models.PositiveIntegerField(
        _("women who use drugs among the speakers"), default=0
    )
    other_participants = models.PositiveIntegerField(_("other participants"), default=0)
    pre_test_avg = models.DecimalField(
        _("pre-test average (%)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    post_test_avg = models.DecimalField(
        _("post-test average (%)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    sealed = models.BinaryField(null=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number"], name="activity_number_per_org"
            )
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def code(self) -> str:
        return f"E-{self.number:04d}"

    @property
    def is_training(self) -> bool:
        return self.activity_type in TRAININGS

    @property
    def police_count(self) -> int:
        return sum(getattr(self, name) for name in POLICE_FIELDS)


class Material(SealedFile):
    """A training material or handout, sealed under its own key."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="materials")

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"material {self.pk}"


# --- community boards ---------------------------------------------------------------------


class CommunityBoard(models.Model):
    """A board per district: region is the ISO 3166-2 code, district a public place name."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="community_boards"
    )
    region = models.CharField(_("region"), max_length=10)
    district = models.CharField(_("district"), max_length=100)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["region", "district"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "region", "district"], name="one_board_per_district"
            )
        ]

    def __str__(self) -> str:
        return self.district


class MemberCategory(models.TextChoices):
    COMMUNITY = "community", _("Community member")
    WUD = "wud", _("Woman who uses drugs")
    POLICE = "police", _("Police")
    OFFICIAL = "official", _("Local official")
    NGO = "ngo", _("NGO staff")


class BoardMember(SealedRecord):
    """Sealed JSON: name, contact, notes."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    board = models.ForeignKey(CommunityBoard, on_delete=models.PROTECT, related_name="members")
    category = models.CharField(_("category"), max_length=16, choices=MemberCategory.choices)
    is_active = models.BooleanField(_("active"), default=True)
    sealed = models.BinaryField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_active", "pk"]

    def __str__(self) -> str:
        return f"board member {self.pk}"


class SuggestionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ANSWERED = "answered", _("Answered by the police")
    IMPLEMENTED = "implemented", _("Implemented")
    REJECTED = "rejected", _("Rejected")


class Suggestion(SealedRecord):
    """A board's suggestion on policing. ``text`` and ``answer`` are clear (see module
    docstring); sealed JSON: notes (the NGO's own notes)."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveIntegerField()
    board = models.ForeignKey(CommunityBoard, on_delete=models.PROTECT, related_name="suggestions")
    meeting = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.SET_NULL, related_name="suggestions"
    )
    text = models.TextField(_("suggestion"))
    addressed_to = models.ForeignKey(
        "accounts.Membership",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="engagement_suggestions",
        verbose_name=_("addressed to (police liaison)"),
    )
    status = models.CharField(
        max_length=16, choices=SuggestionStatus.choices, default=SuggestionStatus.SUBMITTED
    )
    submitted_on = models.DateField(_("submitted on"))
    due_date = models.DateField(_("answer due"), null=True, blank=True, db_index=True)
    answer = models.TextField(_("answer of the police"), blank=True)
    answered_on = models.DateField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    sealed = models.BinaryField(null=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-submitted_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number"], name="suggestion_number_per_org"
            )
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def code(self) -> str:
        return f"S-{self.number:04d}"


class SuggestionChange(models.Model):
    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=16, choices=SuggestionStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=SuggestionStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status}->{self.to_status}"


# --- detention monitoring -----------------------------------------------------------------


class FacilityType(models.TextChoices):
    POLICE_CELLS = "police_cells", _("Police holding cells")
    PRETRIAL = "pretrial", _("Pre-trial detention")
    NARCOLOGICAL = "narcological", _("Narcological facility")
    PSYCHIATRIC = "psychiatric", _("Psychiatric facility")
    OTHER = "other", _("Other")


class Visit(SealedRecord):
    """A monitoring visit to a place of detention. Sealed JSON: facility, notes."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="detention_visits"
    )
    number = models.PositiveIntegerField()
    facility_type = models.CharField(
        _("type of facility"), max_length=16, choices=FacilityType.choices
    )
    region = models.CharField(_("region"), max_length=10, blank=True)
    date = models.DateField(_("date of the visit"))
    follow_up_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="follow_ups",
        verbose_name=_("follow-up of"),
    )
    partner = models.ForeignKey(
        Partner,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("with (ombudsman office, NPM)"),
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("team")
    )
    sealed = models.BinaryField(null=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "number"], name="visit_number_per_org")
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def code(self) -> str:
        return f"V-{self.number:04d}"

    @property
    def is_follow_up(self) -> bool:
        return self.follow_up_of_id is not None


class Concern(models.TextChoices):
    NONE = "none", _("No concern")
    SOME = "some", _("Some concern")
    SERIOUS = "serious", _("Serious concern")


class Finding(models.Model):
    """What the team found on one checklist theme; notes sealed under the visit's key."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="findings")
    theme = models.ForeignKey("vocab.Term", on_delete=models.PROTECT, related_name="+")
    concern = models.CharField(max_length=8, choices=Concern.choices)
    sealed = models.BinaryField(null=True)

    class Meta:
        ordering = ["theme__order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "theme"], name="one_finding_per_theme")
        ]

    def __str__(self) -> str:
        return f"finding {self.pk}"


class Allegation(models.Model):
    """An allegation heard during a visit; summary sealed under the visit's key.
    It becomes an incident only with the person's consent, through the incident wizard."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="allegations")
    consent = models.BooleanField(_("the person consents to documenting it"), default=False)
    event = models.ForeignKey(
        "incidents.Event",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("documented as incident"),
    )
    sealed = models.BinaryField(null=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"allegation {self.pk}"


class RecommendationStatus(models.TextChoices):
    OPEN = "open", _("Issued")
    IN_PROGRESS = "in_progress", _("In progress")
    REPEATED = "repeated", _("Repeated")
    IMPLEMENTED = "implemented", _("Implemented")
    REJECTED = "rejected", _("Rejected")


# Statuses in which a follow-up is owed (due dates and reminders apply).
OPEN_RECOMMENDATION: frozenset[str] = frozenset(
    {RecommendationStatus.OPEN, RecommendationStatus.IN_PROGRESS, RecommendationStatus.REPEATED}
)


class Recommendation(models.Model):
    """A recommendation to an authority of the directory; text sealed under the visit's key."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="recommendations")
    theme = models.ForeignKey(
        "vocab.Term", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    authority = models.ForeignKey(
        "complaints.OversightBody",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("authority"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True, db_index=True)
    status = models.CharField(
        max_length=16, choices=RecommendationStatus.choices, default=RecommendationStatus.OPEN
    )
    reminded_at = models.DateTimeField(null=True, blank=True)
    sealed = models.BinaryField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"recommendation {self.pk}"

    @property
    def code(self) -> str:
        return f"{self.visit.code}/R{self.pk}"


class RecommendationChange(models.Model):
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="history"
    )
    from_status = models.CharField(max_length=16, choices=RecommendationStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=RecommendationStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status}->{self.to_status}"


# --- calendar feed ------------------------------------------------------------------------


class CalendarFeed(models.Model):
    """A member's secret calendar URL. Only the token's SHA-256 is stored, so a
    database copy cannot be used to read the feed; revoking makes the URL 404."""

    membership = models.ForeignKey(
        "accounts.Membership", on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"feed {self.pk}"
