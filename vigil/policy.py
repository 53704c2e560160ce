"""Every access decision in Vigil is made here.

Views and API endpoints call these functions instead of querying models or
checking roles themselves, so the whole policy can be read (and tested as a
matrix) in one file. Objects of another organisation are reported as missing
(404), never as forbidden, so their existence does not leak.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from vigil.accounts.models import Membership, Role

R = Role


class Perm(StrEnum):
    HOME = "home"
    MANAGE_MEMBERS = "manage_members"
    VIEW_AUDIT = "view_audit"
    RECOVER_KEYS = "recover_keys"


PERMISSIONS: dict[Perm, frozenset[str]] = {
    Perm.HOME: frozenset(Role.values),
    Perm.MANAGE_MEMBERS: frozenset({R.COORDINATOR}),
    Perm.VIEW_AUDIT: frozenset({R.COORDINATOR}),
    Perm.RECOVER_KEYS: frozenset({R.COORDINATOR}),
}

# Roles whose members receive the organisation key: they read sealed content.
KEY_HOLDING_ROLES: frozenset[str] = frozenset(
    {R.COORDINATOR, R.CASEWORKER, R.LAWYER, R.HOTLINE, R.REFERRAL}
)


def can(membership: Membership | None, perm: Perm) -> bool:
    return membership is not None and membership.is_active and membership.role in PERMISSIONS[perm]


def role_holds_keys(role: str) -> bool:
    return role in KEY_HOLDING_ROLES


def staff_ready(request: HttpRequest) -> HttpResponse | None:
    """Redirect a staff user who has not finished signing in; None when ready.

    Order: password, then TOTP (enrolment if none), then a forced password
    change after a coordinator reset. No data page is reachable before.
    """
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    # OTPMiddleware adds is_verified(); a user logged in during this request lacks it.
    if not getattr(user, "is_verified", lambda: False)():
        from django_otp import devices_for_user

        if any(devices_for_user(user, confirmed=True)):
            return redirect("accounts:otp_verify")
        return redirect("accounts:otp_setup")
    if user.must_change_password:  # type: ignore[union-attr]
        return redirect("accounts:password_change")
    return None


V = TypeVar("V", bound=Callable[..., HttpResponse])


def staff_view(perm: Perm) -> Callable[[V], V]:
    """Decorator: a signed-in, 2FA-verified member of an organisation with ``perm``."""

    def decorator(view: V) -> V:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            pending = staff_ready(request)
            if pending is not None:
                return pending
            if not can(getattr(request, "membership", None), perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def get_member_for_coordinator(request: HttpRequest, pk: int) -> Membership:
    """A membership of the coordinator's own organisation, else 404."""
    acting: Membership = request.membership  # type: ignore[attr-defined]
    if not can(acting, Perm.MANAGE_MEMBERS):
        raise PermissionDenied
    try:
        return Membership.objects.select_related("user", "organisation").get(
            pk=pk, organisation_id=acting.organisation_id
        )
    except Membership.DoesNotExist as exc:
        raise Http404 from exc
