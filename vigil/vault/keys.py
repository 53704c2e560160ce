"""Key hierarchy operations on stored key material.

Callers are action functions (accounts.actions); these helpers neither check
permissions nor audit, they only move keys around correctly.
"""

from __future__ import annotations

from django.db import transaction

from vigil.accounts.models import Membership, Organisation, User
from vigil.vault import crypto
from vigil.vault.models import KeyGrant, MemberKey, OrganisationKey


class VaultLocked(Exception):
    """The organisation key is not unlocked in this session."""


def create_organisation_key(organisation: Organisation) -> tuple[bytes, str]:
    """Create the organisation key pair; return (private key, recovery phrase).

    The phrase is shown once to the person creating the organisation and is
    the only way back in if every member with a grant loses their password.
    """
    private, public = crypto.new_keypair()
    phrase = crypto.new_recovery_phrase()
    wrapped = crypto.encrypt(crypto.recovery_key(phrase), private)
    OrganisationKey.objects.create(
        organisation=organisation, public_key=public, recovery_wrapped=wrapped
    )
    return private, phrase


def organisation_private_from_phrase(organisation: Organisation, phrase: str) -> bytes:
    key = OrganisationKey.objects.get(organisation=organisation)
    return crypto.decrypt(crypto.recovery_key(phrase), bytes(key.recovery_wrapped))


def organisation_public_key(organisation: Organisation) -> bytes:
    return bytes(OrganisationKey.objects.get(organisation=organisation).public_key)


def set_member_password_key(user: User, password: str, private: bytes | None = None) -> bytes:
    """(Re)wrap the member's private key under a new password.

    With ``private`` None a fresh key pair is made: grants sealed to the old
    public key become useless, so the caller must re-grant.
    """
    if private is None:
        private, public = crypto.new_keypair()
    else:
        public = crypto.public_of(private)
    salt = crypto.new_salt()
    ops, mem = crypto.kdf_cost()
    wrapped = crypto.encrypt(crypto.password_key(password, salt, ops, mem), private)
    MemberKey.objects.update_or_create(
        user=user,
        defaults={
            "public_key": public,
            "wrapped_private": wrapped,
            "salt": salt,
            "opslimit": ops,
            "memlimit": mem,
        },
    )
    return private


def unlock_member(user: User, password: str) -> bytes | None:
    """Return the member's private key, or None if they have none yet."""
    key = MemberKey.objects.filter(user=user).first()
    if key is None:
        return None
    kek = crypto.password_key(password, bytes(key.salt), key.opslimit, key.memlimit)
    return crypto.decrypt(kek, bytes(key.wrapped_private))


def upgrade_cost_if_needed(user: User, password: str, private: bytes) -> bool:
    """Re-wrap under the current KDF cost when settings changed since the last wrap.

    Called at sign-in, the only moment the password is at hand.
    """
    ops, mem = crypto.kdf_cost()
    if MemberKey.objects.filter(user=user, opslimit=ops, memlimit=mem).exists():
        return False
    set_member_password_key(user, password, private)
    return True


def change_member_password(user: User, old_password: str, new_password: str) -> None:
    with transaction.atomic():
        private = unlock_member(user, old_password)
        set_member_password_key(user, new_password, private)


def grant(membership: Membership, org_private: bytes) -> KeyGrant:
    member_key = MemberKey.objects.get(user=membership.user)
    sealed = crypto.seal_to(bytes(member_key.public_key), org_private)
    grant_row, _ = KeyGrant.objects.update_or_create(
        membership=membership, defaults={"sealed_org_key": sealed}
    )
    return grant_row


def revoke(membership: Membership) -> bool:
    deleted, _ = KeyGrant.objects.filter(membership=membership).delete()
    return deleted > 0


def unlock_organisations(user: User, member_private: bytes) -> dict[int, bytes]:
    """Open every grant of the user's active memberships."""
    grants = KeyGrant.objects.filter(
        membership__user=user, membership__is_active=True
    ).select_related("membership")
    opened: dict[int, bytes] = {}
    for row in grants:
        opened[row.membership.organisation_id] = crypto.unseal(
            member_private, bytes(row.sealed_org_key)
        )
    return opened
