"""Police drug referral and diversion: programmes, partners, referrals and outcomes.

Clear columns are what the queue and the funnel need: dates, the hour of the
police contact, region code and district, route and reason codes, timestamps of
each step, service kinds, retention flags and close reasons. The person behind a
referral is never written by the police side; the link to a ``Person`` (and to a
case) and the worker's notes are sealed under the referral's data key, so a
seized database cannot connect a police contact to a client record.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.vault.sealing import SealedRecord


class Route(models.TextChoices):
    ARREST = "arrest", _("Arrest diversion")
    SOCIAL = "social", _("Social contact referral")
    COMMUNITY = "community", _("Community referral")
    CUSTODY = "custody", _("Custody-suite referral")


class Reason(models.TextChoices):
    POSSESSION = "possession", _("Possession")
    PUBLIC_USE = "public_use", _("Use in public")
    SEX_WORK = "sex_work", _("Sex work")
    OTHER = "other", _("Other")


class Need(models.TextChoices):
    OST = "ost", _("Opioid substitution therapy (OST)")
    NSP = "nsp", _("Needle and syringe programme")
    TESTING = "testing", _("HIV / hepatitis testing")
    TB = "tb", _("Tuberculosis")
    SHELTER = "shelter", _("Shelter")
    LEGAL = "legal", _("Legal aid")
    CHILDREN = "children", _("Children")
    OTHER = "other", _("Other")


class CloseReason(models.TextChoices):
    DECLINED = "declined", _("Declined")
    UNREACHABLE = "unreachable", _("Not reachable")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible")
    MOVED = "moved", _("Moved away")
    DIED = "died", _("Died")


class InfoSource(models.TextChoices):
    SERVICE = "service", _("Service record")
    CLIENT = "client", _("The client")
    OUTREACH = "outreach", _("Outreach worker")
    OTHER = "other", _("Other")


FOLLOW_UP_DAYS = (30, 90, 180)


class PoliceUnit(models.Model):
    """A police unit this organisation partners with (institutional, not personal).

    A unit partnered with several organisations has one row in each: nothing of
    one organisation's partnership is visible to another."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="police_units"
    )
    name = models.CharField(_("name"), max_length=200)
    region = models.CharField(_("region"), max_length=10, blank=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class HealthService(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="health_services"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Need.choices)
    region = models.CharField(_("region"), max_length=10, blank=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Programme(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="programmes"
    )
    name = models.CharField(_("name"), max_length=200)
    police_units = models.ManyToManyField(
        PoliceUnit, blank=True, related_name="programmes", verbose_name=_("partner police units")
    )
    services = models.ManyToManyField(
        HealthService, blank=True, related_name="programmes", verbose_name=_("health services")
    )
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"), null=True, blank=True)
    eligibility = models.TextField(_("eligibility"), blank=True)
    routes = models.JSONField(_("routes accepted"), default=list)
    region = models.CharField(_("region"), max_length=10, blank=True)
    # Police liaison accounts (a liaison officer, or where the programme allows it
    # officers with the same narrow role) that may submit referrals to it.
    referrers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="referral_programmes"
    )
    on_call = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("on-call referral worker"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def runs_on(self, day: datetime.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


class Referral(SealedRecord):
    """One person referred. Sealed JSON: person (id), case (id), notes."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="referrals"
    )
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="referrals")
    code = models.CharField(max_length=8)
    route = models.CharField(max_length=16, choices=Route.choices)
    referred_on = models.DateField()
    referred_hour = models.PositiveSmallIntegerField()
    region = models.CharField(max_length=10)
    district = models.CharField(max_length=100, blank=True)
    reasons = models.JSONField(default=list)
    contact_agreed = models.BooleanField()
    sealed = models.BinaryField(null=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField()  # the call: start of call-to-arrival time
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    arrived_at = models.DateTimeField(null=True, blank=True)
    contacted_at = models.DateTimeField(null=True, blank=True)
    assessed_at = models.DateTimeField(null=True, blank=True)
    needs = models.JSONField(default=list)
    linked = models.BooleanField(default=False)  # whether a person is linked (the link is sealed)
    service = models.ForeignKey(
        HealthService, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    service_kind = models.CharField(max_length=16, choices=Need.choices, blank=True)
    service_referred_on = models.DateField(null=True, blank=True)
    admitted_on = models.DateField(null=True, blank=True)
    retained_30 = models.BooleanField(null=True)
    retained_90 = models.BooleanField(null=True)
    retained_180 = models.BooleanField(null=True)
    source_30 = models.CharField(max_length=16, choices=InfoSource.choices, blank=True)
    source_90 = models.CharField(max_length=16, choices=InfoSource.choices, blank=True)
    source_180 = models.CharField(max_length=16, choices=InfoSource.choices, blank=True)
    reminded_30 = models.DateTimeField(null=True, blank=True)
    reminded_90 = models.DateTimeField(null=True, blank=True)
    reminded_180 = models.DateTimeField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    close_reason = models.CharField(max_length=16, choices=CloseReason.choices, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="referral_code_per_org")
        ]
        indexes = [
            models.Index(fields=["organisation", "claimed_at", "created_at"]),
            models.Index(fields=["organisation", "referred_on"], name="referral_funnel"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def status(self) -> str:
        if self.closed_on:
            return str(_("Closed"))
        for field, label in (
            ("admitted_on", _("Admitted")),
            ("service_referred_on", _("Referred to a service")),
            ("assessed_at", _("Assessed")),
            ("contacted_at", _("Contacted")),
            ("arrived_at", _("Worker arrived")),
            ("claimed_at", _("Claimed")),
        ):
            if getattr(self, field):
                return str(label)
        return str(_("New"))

    def follow_up_due(self, day: int) -> datetime.date | None:
        return self.admitted_on + datetime.timedelta(days=day) if self.admitted_on else None
