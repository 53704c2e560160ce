from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

from vigil.accounts.models import Membership
from vigil.lib.requests import as_any

LAST_SEEN = "last_seen"
LOGIN_AT = "login_at"
ACTIVE_ORG = "org_id"


class SessionLifetimeMiddleware:
    """Idle timeout and absolute lifetime for staff sessions.

    Expiry logs out on the server (session row deleted), which also destroys
    the encrypted vault blob kept in it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN, now)
            login_at = request.session.get(LOGIN_AT, now)
            idle = now - last_seen > settings.SESSION_IDLE_SECONDS
            too_old = now - login_at > settings.SESSION_COOKIE_AGE
            if idle or too_old:
                logout(request)
                request.session_expired = True  # type: ignore[attr-defined]
            else:
                request.session[LAST_SEEN] = now
                request.session.setdefault(LOGIN_AT, now)
        response = self.get_response(request)
        if getattr(request, "session_expired", False):
            response.delete_cookie(settings.VAULT_COOKIE_NAME, samesite="Strict")
        return response


class ActiveMembershipMiddleware:
    """Attach the membership the staff user is working in, or None."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        as_any(request).membership = None
        if request.user.is_authenticated:
            memberships = Membership.objects.select_related("organisation").filter(
                user=request.user, is_active=True
            )
            wanted = request.session.get(ACTIVE_ORG)
            chosen = None
            for membership in memberships:
                if chosen is None or membership.organisation_id == wanted:
                    chosen = membership
            as_any(request).membership = chosen
        return self.get_response(request)
