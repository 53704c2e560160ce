"""Consequential writes about organisations and members.

Each function runs in one transaction, takes the acting user, and writes the
audit event. Permission checks happen before (policy module); these functions
enforce only invariants that must hold whoever calls them.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from vigil import policy
from vigil.accounts.models import Membership, Organisation, Role, User
from vigil.audit.log import record
from vigil.vault import keys
from vigil.vault.session import Vault


@dataclass(frozen=True)
class NewOrganisation:
    organisation: Organisation
    recovery_phrase: str
    private_key: bytes


@dataclass(frozen=True)
class NewMember:
    membership: Membership
    temporary_password: str
    granted: bool


def temporary_password() -> str:
    # 4 groups of 5 from an unambiguous alphabet: ~100 bits, easy to read aloud.
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(5)) for _ in range(4))


def create_organisation(
    acting_user: User | None, *, name: str, slug: str, country: str, languages: list[str]
) -> NewOrganisation:
    with transaction.atomic():
        organisation = Organisation.objects.create(
            name=name, slug=slug, country=country.upper(), languages=languages
        )
        private, phrase = keys.create_organisation_key(organisation)
        record(acting_user, "organisation.create", organisation=organisation, target=organisation)
    return NewOrganisation(organisation, phrase, private)


def add_member(
    acting_user: User | None,
    organisation: Organisation,
    *,
    username: str,
    role: str,
    email: str = "",
    password: str | None = None,
    org_private: bytes | None = None,
) -> NewMember:
    """Create a staff account with a temporary password and, if possible, a key grant.

    A grant needs the organisation private key, i.e. an unlocked coordinator
    (or the creator of the organisation, or the recovery phrase).
    """
    password = password or temporary_password()
    with transaction.atomic():
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, email=email, must_change_password=True)
            user.set_password(password)
            user.save()
            keys.set_member_password_key(user, password)
        membership = Membership.objects.create(user=user, organisation=organisation, role=role)
        granted = _grant_if_allowed(membership, org_private)
        record(
            acting_user,
            "member.add",
            organisation=organisation,
            target=membership,
            role=role,
            granted=granted,
        )
    return NewMember(membership, password, granted)


def _grant_if_allowed(membership: Membership, org_private: bytes | None) -> bool:
    if org_private is None or not policy.role_holds_keys(membership.role):
        return False
    keys.grant(membership, org_private)
    return True


def change_role(acting_user: User, vault: Vault, membership: Membership, role: str) -> None:
    """Change role; a role without key access loses its grant at once."""
    Role(role)  # ValueError for a value that is no role
    with transaction.atomic():
        old = membership.role
        membership.role = role
        membership.save(update_fields=["role"])
        if not policy.role_holds_keys(role):
            keys.revoke(membership)
        elif vault.is_unlocked(membership.organisation_id):
            keys.grant(membership, vault.org_key(membership.organisation_id))
        record(
            acting_user,
            "member.role",
            organisation=membership.organisation,
            target=membership,
            old=old,
            new=role,
        )


def set_active(acting_user: User, membership: Membership, active: bool) -> None:
    with transaction.atomic():
        membership.is_active = active
        membership.save(update_fields=["is_active"])
        if not active:
            keys.revoke(membership)
        record(
            acting_user,
            "member.activate" if active else "member.deactivate",
            organisation=membership.organisation,
            target=membership,
        )


def grant_keys(acting_user: User, vault: Vault, membership: Membership) -> None:
    if not policy.role_holds_keys(membership.role):
        raise ValueError("role does not hold keys")
    with transaction.atomic():
        keys.grant(membership, vault.org_key(membership.organisation_id))
        record(acting_user, "key.grant", organisation=membership.organisation, target=membership)


def revoke_keys(acting_user: User, membership: Membership) -> None:
    with transaction.atomic():
        keys.revoke(membership)
        record(acting_user, "key.revoke", organisation=membership.organisation, target=membership)


def reset_password(acting_user: User, vault: Vault, membership: Membership) -> str:
    """Coordinator-driven reset: new temporary password, new key pair, fresh grant.

    The member's old private key is lost with the old password, so the
    organisation key is re-sealed to the new key pair from the coordinator's
    unlocked session. Returns the temporary password (shown once).
    """
    password = temporary_password()
    org_private = vault.org_key(membership.organisation_id)
    with transaction.atomic():
        user = membership.user
        user.set_password(password)
        user.must_change_password = True
        user.save(update_fields=["password", "must_change_password"])
        keys.set_member_password_key(user, password)
        for other in Membership.objects.filter(user=user).exclude(pk=membership.pk):
            keys.revoke(other)  # sealed to the old key pair, now unusable
        _grant_if_allowed(membership, org_private)
        record(
            acting_user,
            "member.password_reset",
            organisation=membership.organisation,
            target=membership,
        )
    return password


def reset_two_factor(acting_user: User, membership: Membership) -> int:
    with transaction.atomic():
        deleted, _ = TOTPDevice.objects.filter(user=membership.user).delete()
        record(
            acting_user, "member.2fa_reset", organisation=membership.organisation, target=membership
        )
    return deleted


def change_own_password(user: User, old_password: str, new_password: str) -> None:
    """The member's private key is re-wrapped; grants stay valid."""
    with transaction.atomic():
        keys.change_member_password(user, old_password, new_password)
        user.set_password(new_password)
        user.must_change_password = False
        user.save(update_fields=["password", "must_change_password"])
        record(user, "account.password_change")


PROFILE_FIELDS = ("first_name", "last_name", "position")


def update_profile(user: User, **values: str) -> None:
    """Her own name and position, as they are printed in the letters she signs."""
    changed = sorted(
        name
        for name in PROFILE_FIELDS
        if name in values and getattr(user, name) != values[name].strip()
    )
    if not changed:
        return
    with transaction.atomic():
        for name in changed:
            setattr(user, name, values[name].strip())
        user.save(update_fields=changed)
        record(user, "account.profile", fields=",".join(changed))


def recover_with_phrase(acting_user: User, membership: Membership, phrase: str) -> bytes:
    """Re-grant the organisation key to the acting coordinator from the phrase."""
    org_private = keys.organisation_private_from_phrase(membership.organisation, phrase)
    with transaction.atomic():
        keys.grant(membership, org_private)
        record(acting_user, "key.recover", organisation=membership.organisation, target=membership)
    return org_private


def confirm_totp(user: User, device: TOTPDevice) -> None:
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        record(user, "account.2fa_enrol")


def record_login(user: User) -> None:
    record(user, "account.login")


def record_step_up(user: User) -> None:
    with transaction.atomic():
        record(user, "account.step_up")


def record_logout(user: User) -> None:
    record(user, "account.logout")
