"""Least privilege: only roles with a screen that reads sealed data hold the key."""

from __future__ import annotations

from typing import Any

from vigil.accounts.models import Membership, Role
from vigil.conftest import World
from vigil.policy import KEY_HOLDING_ROLES, PERMISSIONS, Perm
from vigil.vault.models import KeyGrant

# docs/threat-model.md, "Who holds the organisation key".
HOLDERS = {Role.COORDINATOR, Role.CASEWORKER, Role.LAWYER, Role.HOTLINE, Role.REFERRAL}
NO_KEY = {Role.ANALYST, Role.POLICE_LIAISON, Role.NETWORK_ANALYST}


def test_it_decides_for_every_role() -> None:
    assert set(KEY_HOLDING_ROLES) == HOLDERS
    assert set(Role.values) == HOLDERS | NO_KEY and not HOLDERS & NO_KEY


def test_it_grants_the_key_to_key_roles_only_when_a_coordinator_adds_members(
    world: World, signed_in: Any
) -> None:
    client = signed_in("coordinator", step_up=True)  # adding a member needs a fresh second factor
    for role in Role.values:
        response = client.post(
            "/accounts/org/members/new/", {"username": f"new-{role}", "email": "", "role": role}
        )
        assert response.status_code == 200, role
        membership = Membership.objects.get(user__username=f"{world.org.slug}.new-{role}")
        has_grant = KeyGrant.objects.filter(membership=membership).exists()
        assert has_grant == (role in HOLDERS), role


def test_it_gives_no_key_to_the_personas_without_a_sealed_data_screen(world: World) -> None:
    for role in NO_KEY:
        assert not KeyGrant.objects.filter(membership=world[role].membership).exists(), role
    for role in HOLDERS:
        assert KeyGrant.objects.filter(membership=world[role].membership).exists(), role


def test_it_keeps_the_key_for_the_referral_worker_because_she_links_people() -> None:
    # The referral worker links referrals to sealed identities: she needs the key.
    assert Role.REFERRAL in PERMISSIONS[Perm.REFERRAL_WORK]
    # The police liaison's only pages are her referral form, aggregates, and the
    # partnership and meeting records she takes part in (clear fields only): no key.
    police_perms = {p for p, roles in PERMISSIONS.items() if Role.POLICE_LIAISON in roles}
    assert police_perms == {
        Perm.HOME,
        Perm.REFERRAL_SUBMIT,
        Perm.POLICE_FUNNEL,
        Perm.ENGAGEMENT_VIEW,
        Perm.ENGAGEMENT_ANSWER,
    }
