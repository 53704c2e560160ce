"""Who reads the members' page without a staff account: a subscriber signed in by an
emailed link.

The session row holds only the SHA-256 of a random proof whose value lives in the
member's cookie, so a copy of the database (sessions included) cannot act as her.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from vigil.alerts.models import Subscriber

SESSION_KEY = "alerts_member"
COOKIE = "vigil_member"


@dataclass(frozen=True)
class Reader:
    organisation_id: int
    who: str  # "u:<user id>" or "s:<subscriber id>": the checker's rate-limit key
    subscriber_id: int | None


def _proof(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def sign_in(request: HttpRequest, response: HttpResponse, subscriber: Subscriber) -> None:
    request.session.cycle_key()
    secret = secrets.token_urlsafe(32)
    request.session[SESSION_KEY] = {
        "id": subscriber.pk,
        "org": subscriber.organisation_id,
        "proof": _proof(secret),
    }
    response.set_cookie(
        COOKIE,
        secret,
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Lax",
    )


def sign_out(request: HttpRequest, response: HttpResponse) -> None:
    request.session.pop(SESSION_KEY, None)
    response.delete_cookie(COOKIE)


def subscriber_reader(request: HttpRequest) -> Reader | None:
    data = request.session.get(SESSION_KEY)
    secret = request.COOKIES.get(COOKIE, "")
    if not data or not secret or not secrets.compare_digest(_proof(secret), data.get("proof", "")):
        return None
    if not Subscriber.objects.filter(pk=data["id"], active=True).exists():
        return None
    return Reader(int(data["org"]), f"s:{data['id']}", int(data["id"]))
