"""The request a staff view receives, typed.

Middleware adds ``membership`` (ActiveMembershipMiddleware) and ``vault``
(VaultMiddleware) to every request; behind ``policy.staff_view`` the user is
signed in, verified and a member, so views annotate ``request: StaffRequest``
and use ``request.user``, ``request.membership`` and ``request.vault``
without casts or ``type: ignore``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.http import HttpRequest

if TYPE_CHECKING:
    from vigil.accounts.models import Membership, User
    from vigil.vault.session import Vault


class StaffRequest(HttpRequest):
    user: User
    membership: Membership
    vault: Vault


class AnyRequest(HttpRequest):
    """Any request after the middleware: ``membership`` is None outside staff pages."""

    membership: Membership | None
    vault: Vault


def as_staff(request: HttpRequest) -> StaffRequest:
    """For code reached only behind ``policy.staff_view`` that receives a plain request."""
    return cast(StaffRequest, request)


def as_any(request: HttpRequest) -> AnyRequest:
    return cast(AnyRequest, request)
