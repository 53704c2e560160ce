"""Legal actions to oversight bodies: the directory, the actions, letters and deadlines.

Clear columns are what the workflow and the accountability figures need
(body types, statuses, dates, region codes, response and outcome codes).
What could identify the client or the authority's file is sealed under the
case's data key (reference numbers, notes, the authority's answer) or, for a
liaison officer's personal contacts, under the liaison's own data key.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from vigil.vault.sealing import SealedRecord

# Languages of letters, body names, legal grounds and holiday names.
LANGS = ("en", "ru", "uk", "ro", "ka", "kk", "ky", "be")


def pick(texts: dict[str, str], fallback: str = "", language: str | None = None) -> str:
    """The text in ``language`` (default: the active one), else the English one
    through the catalogue in that language (shared vocabulary terms are there),
    else ``fallback``."""
    lang = (language or get_language() or "en")[:2]
    if texts.get(lang):
        return texts[lang]
    english = texts.get("en") or ""
    if not english:
        return fallback
    with translation.override(lang):
        return translation.pgettext("vocabulary", english)


# --- directory ------------------------------------------------------------------------


class BodyType(models.TextChoices):
    POLICE_INTERNAL = "police_internal", _("Police internal security / professional standards")
    PROSECUTOR = "prosecutor", _("Prosecutor")
    OMBUDSMAN = "ombudsman", _("Ombudsman")
    NPM = "npm", _("National preventive mechanism (detention monitoring)")
    COURT = "court", _("Court")
    UN_CEDAW = "un_cedaw", _("UN: CEDAW Committee")
    UN_CAT = "un_cat", _("UN: Committee against Torture")
    UN_RAPPORTEUR = "un_rapporteur", _("UN: special rapporteur")
    EMPLOYER = "employer", _("Employer of the official")
    HEALTH = "health", _("Health authority")
    OTHER = "other", _("Other")


class PeriodUnit(models.TextChoices):
    CALENDAR = "calendar", _("calendar days")
    WORKING = "working", _("working days")


class OversightBody(models.Model):
    """A body that receives complaints. Shared bodies (no organisation) come from
    data/bodies.json; an organisation adds its own local ones."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="oversight_bodies",
    )
    # Stable key; also the ``body`` of the client's consent to share her identified case.
    slug = models.SlugField(max_length=64, unique=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    region = models.CharField(_("region"), max_length=10, blank=True, db_index=True)
    body_type = models.CharField(_("type"), max_length=24, choices=BodyType.choices)
    names = models.JSONField(default=dict)
    # Public contact details of the institution (never a person's own contacts).
    address = models.TextField(_("postal address"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=64, blank=True)
    website = models.URLField(_("website"), blank=True)
    response_days = models.PositiveSmallIntegerField(_("response period"), null=True, blank=True)
    response_unit = models.CharField(
        _("counted in"), max_length=16, choices=PeriodUnit.choices, default=PeriodUnit.CALENDAR
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Added from a consent decision ("body not in the list"): only a name so far, for a
    # coordinator to complete (type, country, address). Editing the body clears the flag.
    needs_completion = models.BooleanField(_("to be completed"), default=False)

    class Meta:
        ordering = ["country", "body_type", "slug"]
        indexes = [
            models.Index(fields=["country", "is_active"]),
            # The directory's order, so a page is read off the index, never sorted.
            models.Index(fields=["country", "body_type", "slug"], name="complaints_body_dir_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick(self.names, self.slug)

    def name_in(self, language: str) -> str:
        return pick(self.names, self.slug, language)

    @property
    def is_shared(self) -> bool:
        return self.organisation_id is None


class LiaisonContact(SealedRecord):
    """A named contact at a body (e.g. a police inspector on violence against women).

    Sealed JSON (own data key, sealed to the organisation): name, phone, email, notes.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="liaison_contacts"
    )
    body = models.ForeignKey(OversightBody, on_delete=models.PROTECT, related_name="liaisons")
    position = models.CharField(_("position"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    sealed = models.BinaryField(null=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["body_id", "pk"]

    def __str__(self) -> str:
        return f"liaison {self.pk}"


class Holiday(models.Model):
    """A public holiday (a non-working day) of a country, for working-day deadlines."""

    country = models.CharField(max_length=2)
    date = models.DateField()
    names = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["country", "date"]
        constraints = [
            models.UniqueConstraint(fields=["country", "date"], name="one_holiday_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.country} {self.date}"

    @property
    def name(self) -> str:
        return pick(self.names)


class GroundKind(models.TextChoices):
    RIGHT = "right", _("Right violated")
    PROVISION = "provision", _("National legal provision")


class LegalGround(models.Model):
    """A right (international instrument) or national provision invoked in an action.

    Seeded from data/grounds.json as examples to be reviewed by lawyers.
    """

    code = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=16, choices=GroundKind.choices)
    # Blank for international instruments.
    country = models.CharField(max_length=2, blank=True)
    labels = models.JSONField(default=dict)
    order = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["kind", "order", "code"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return pick(self.labels, self.code)

    def label_in(self, language: str) -> str:
        return pick(self.labels, self.code, language)


# --- legal actions ----------------------------------------------------------------------


class ActionType(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    INVESTIGATION_REQUEST = "investigation", _("Request for investigation")
    APPEAL = "appeal", _("Appeal")
    LAWSUIT = "lawsuit", _("Lawsuit")
    OMBUDSMAN_PETITION = "ombudsman", _("Ombudsman petition")
    UN_COMMUNICATION = "un", _("UN communication")
    OST_CONTINUITY = "ost_custody", _("Request for OST continuity in custody")


class ActionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    RESPONSE_RECEIVED = "response_received", _("Response received")
    APPEALED = "appealed", _("Appealed")
    CLOSED = "closed", _("Closed")


class Channel(models.TextChoices):
    POST = "post", _("Post")
    EMAIL = "email", _("Email")
    PORTAL = "portal", _("Online portal")
    IN_PERSON = "in_person", _("In person")


class Response(models.TextChoices):
    FAVOURABLE = "favourable", _("Favourable: acted on the request")
    PARTIAL = "partial", _("Partly favourable")
    FORWARDED = "forwarded", _("Forwarded to another body")
    TOKEN = "token", _("Token response: formal reply, nothing done")
    DENIED = "denied", _("Denied the event")
    REFUSED = "refused", _("Refused to register or examine it")
    NO_RESPONSE = "no_response", _("No response")
    OTHER = "other", _("Other")


class Outcome(models.TextChoices):
    DISCIPLINED = "disciplined", _("Officer disciplined")
    TRANSFERRED = "transferred", _("Officer transferred")
    DISMISSED = "dismissed", _("Officer dismissed")
    CRIMINAL_CASE = "criminal_case", _("Criminal case opened")
    COMPENSATION = "compensation", _("Compensation awarded")
    OST_PROVIDED = "ost_provided", _("OST provided in custody")
    REJECTED = "rejected", _("Rejected")
    NO_RESPONSE = "no_response", _("No response")
    OTHER = "other", _("Other")


class LegalAction(models.Model):
    """One complaint, request, appeal or lawsuit on a case, sent to one body.

    Sealed (case key) JSON: reference (the body's registration number), notes,
    response_summary. ``country``/``region`` say where the acts happened, for the
    accountability figures.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="legal_actions"
    )
    number = models.PositiveIntegerField()
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="legal_actions")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="appeals"
    )
    action_type = models.CharField(_("type"), max_length=16, choices=ActionType.choices)
    body = models.ForeignKey(OversightBody, on_delete=models.PROTECT, related_name="actions")
    acts = models.ManyToManyField("incidents.Act", blank=True, related_name="legal_actions")
    grounds = models.ManyToManyField(LegalGround, blank=True, related_name="+")
    lawyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="legal_actions",
    )
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.DRAFT
    )
    country = models.CharField(max_length=2, blank=True)
    region = models.CharField(max_length=10, blank=True, db_index=True)
    submitted_on = models.DateField(null=True, blank=True)
    channel = models.CharField(max_length=16, choices=Channel.choices, blank=True)
    due_date = models.DateField(null=True, blank=True, db_index=True)
    # The day the "response due soon" reminder goes out (a few working days before).
    remind_on = models.DateField(null=True, blank=True)
    acknowledged_on = models.DateField(null=True, blank=True)
    response_on = models.DateField(null=True, blank=True)
    response = models.CharField(max_length=16, choices=Response.choices, blank=True)
    # Days from submission to response, kept for the median without date arithmetic in SQL.
    response_days = models.PositiveIntegerField(null=True, blank=True)
    reminded_before_at = models.DateTimeField(null=True, blank=True)
    reminded_after_at = models.DateTimeField(null=True, blank=True)
    sealed = models.BinaryField(null=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number"], name="legal_action_number_per_org"
            )
        ]
        indexes = [
            models.Index(fields=["lawyer", "status", "due_date"]),
            models.Index(fields=["organisation", "status"]),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def code(self) -> str:
        return f"L-{self.number:05d}"

    @property
    def awaiting_response(self) -> bool:
        return self.status in AWAITING_RESPONSE


# Statuses in which the body owes an answer (deadlines and reminders apply).
AWAITING_RESPONSE: frozenset[str] = frozenset({ActionStatus.SUBMITTED, ActionStatus.ACKNOWLEDGED})


class ActionOutcome(models.Model):
    """One outcome of an action (an officer can be both disciplined and transferred)."""

    action = models.ForeignKey(LegalAction, on_delete=models.CASCADE, related_name="outcomes")
    outcome = models.CharField(max_length=16, choices=Outcome.choices)

    class Meta:
        ordering = ["action_id", "outcome"]
        constraints = [
            models.UniqueConstraint(fields=["action", "outcome"], name="one_outcome_per_action")
        ]

    def __str__(self) -> str:
        return self.outcome


class ActionStatusChange(models.Model):
    action = models.ForeignKey(LegalAction, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=20, choices=ActionStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ActionStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status}->{self.to_status}"


# --- letters ----------------------------------------------------------------------------


class LetterLanguage(models.TextChoices):
    RU = "ru", _("Russian")
    UK = "uk", _("Ukrainian")
    EN = "en", _("English")
    RO = "ro", _("Romanian")
    KA = "ka", _("Georgian")
    KK = "kk", _("Kazakh")
    KY = "ky", _("Kyrgyz")
    BE = "be", _("Belarusian")


class LetterTemplate(models.Model):
    """A DOCX (docxtpl) letter template for a body type and language.

    Shared defaults (no organisation) are generated by a data migration; a
    coordinator uploads a replacement for her organisation. Templates hold no
    case data, so they are stored in clear.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="letter_templates",
    )
    body_type = models.CharField(max_length=24, choices=BodyType.choices)
    language = models.CharField(max_length=2, choices=LetterLanguage.choices)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "body_type", "language"],
                name="one_template_per_org_type_language",
                condition=Q(organisation__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["body_type", "language"],
                name="one_shared_template_per_type_language",
                condition=Q(organisation__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body_type}/{self.language}"


class LetterFormat(models.TextChoices):
    DOCX = "docx", _("Word (editable)")
    PDF = "pdf", _("PDF")


class GeneratedLetter(models.Model):
    """A letter generated for an action: a sealed file (case key) and its SHA-256."""

    action = models.ForeignKey(LegalAction, on_delete=models.CASCADE, related_name="letters")
    format = models.CharField(max_length=4, choices=LetterFormat.choices)
    language = models.CharField(max_length=2, choices=LetterLanguage.choices)
    stored_name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    # Whether her legal name is in it (consent to share with this body was current).
    identified = models.BooleanField(default=False)
    template_sha256 = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"letter {self.pk}"

    @property
    def filename(self) -> str:
        return f"{self.action.code}-{self.pk}-{self.language}.{self.format}"
