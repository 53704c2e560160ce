"""Vigil's side of repeat-perpetrator matching (Callisto-style escrow).

The OPRF key, tags and sealed entries live in the matching service
(``matchsvc``), never here. What Vigil keeps: which network an organisation
takes part in (its service token sealed to the organisation key), who the
network's counsel is (her own key pair), and one row per entry it sent, with
the random secret that withdraws it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NetworkCounsel(models.Model):
    """The lawyer who may open matches of one network.

    Not a role: a capacity of one member of the network's host organisation.
    Her key pair is her own: the private key is sealed to her member key, so
    only her password opens it; entries are sealed to the public key.
    """

    network = models.OneToOneField(
        "stats.Network", on_delete=models.CASCADE, related_name="counsel"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="counsel_of"
    )
    public_key = models.BinaryField()
    sealed_private = models.BinaryField()
    # The service's counsel token, sealed to public_key.
    sealed_token = models.BinaryField()
    appointed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("network counsel")
        verbose_name_plural = _("network counsels")

    def __str__(self) -> str:
        return f"counsel of network {self.network_id}"


class MatchingMembership(models.Model):
    """An organisation's membership of a network's matching, with its service token
    sealed to the organisation key (a seized database cannot query the OPRF)."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="matching_memberships"
    )
    network = models.ForeignKey(
        "stats.Network", on_delete=models.CASCADE, related_name="matching_memberships"
    )
    sealed_token = models.BinaryField()
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "network"], name="one_matching_membership"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} matches in {self.network_id}"


class IdentifierKind(models.TextChoices):
    BADGE = "badge", _("Badge or service number")
    NAME = "name", _("Name")
    PLATE = "plate", _("Vehicle plate")
    PHONE = "phone", _("Phone")


class MatchEntry(models.Model):
    """One entry sent to the service. Clear: ids and the identifier's kind only.

    ``withdraw_secret`` is random; the service keeps its hash. It lets the
    worker withdraw the entry without any key, and it is cleared once the
    service confirms, so the row then only records that an entry existed.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    network = models.ForeignKey("stats.Network", on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(
        "incidents.Event", on_delete=models.SET_NULL, null=True, related_name="match_entries"
    )
    perpetrator = models.ForeignKey(
        "incidents.Perpetrator", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(max_length=8, choices=IdentifierKind.choices)
    service_id = models.PositiveBigIntegerField()
    withdraw_secret = models.BinaryField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["event", "withdrawn_at"])]

    def __str__(self) -> str:
        return f"match entry {self.pk}"
