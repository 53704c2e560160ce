"""Stored key material. Nothing here is usable without a password or phrase."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from vigil.accounts.models import Membership, Organisation


class OrganisationKey(models.Model):
    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="key")
    public_key = models.BinaryField()
    # Organisation private key under a key derived from the printed recovery phrase.
    recovery_wrapped = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"key of {self.organisation_id}"


class MemberKey(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="member_key"
    )
    public_key = models.BinaryField()
    # Member private key under Argon2id(password, salt) with the stored cost.
    wrapped_private = models.BinaryField()
    salt = models.BinaryField()
    opslimit = models.PositiveIntegerField()
    memlimit = models.PositiveBigIntegerField()
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"key of user {self.user_id}"


class KeyGrant(models.Model):
    """The organisation private key sealed to one member's public key."""

    membership = models.OneToOneField(Membership, on_delete=models.CASCADE, related_name="grant")
    sealed_org_key = models.BinaryField()
    granted_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"grant to membership {self.membership_id}"
