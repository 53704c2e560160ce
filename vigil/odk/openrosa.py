"""OpenRosa plumbing: XML responses, device sign-in (HTTP Basic) and rate limits.

Every response carries ``X-OpenRosa-Version: 1.0``; errors are an
``<OpenRosaResponse>`` with a message Collect shows to the outreach worker.
Counters live in the cache and never hold an address: one per phone and one
per organisation for failed sign-ins.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import time
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from vigil.accounts.models import Organisation
from vigil.odk.actions import hash_password
from vigil.odk.models import Device

OPENROSA_NS = "http://openrosa.org/http/response"


def with_headers(response: HttpResponse) -> HttpResponse:
    response["X-OpenRosa-Version"] = "1.0"
    response["X-OpenRosa-Accept-Content-Length"] = str(settings.ODK_MAX_SUBMISSION_BYTES)
    response["Cache-Control"] = "no-store"
    return response


def xml_response(body: str, status: int = 200, content_type: str = "text/xml") -> HttpResponse:
    return with_headers(
        HttpResponse(body, status=status, content_type=f"{content_type}; charset=utf-8")
    )


def message(text: str, status: int) -> HttpResponse:
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<OpenRosaResponse xmlns="{OPENROSA_NS}">'
        f'<message nature="{"submit_success" if status < 300 else "error"}">{escape(text)}'
        "</message></OpenRosaResponse>"
    )
    return xml_response(body, status)


def unauthorized(organisation: Organisation) -> HttpResponse:
    response = message(_("Sign in with this phone's username and password."), 401)
    response["WWW-Authenticate"] = f'Basic realm="Vigil {organisation.slug}", charset="UTF-8"'
    return response


def _minute() -> int:
    return int(time.time() // 60)


def _bump(key: str) -> int:
    cache.add(key, 0, 120)
    try:
        return int(cache.incr(key))
    except ValueError:
        cache.set(key, 1, 120)
        return 1


def _credentials(request: HttpRequest) -> tuple[str, str] | None:
    header = request.headers.get("Authorization", "")
    scheme, _sep, value = header.partition(" ")
    if scheme.lower() != "basic" or not value:
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    username, sep, password = decoded.partition(":")
    return (username, password) if sep else None


def too_many_failures(organisation: Organisation) -> bool:
    key = f"odk:fail:{organisation.pk}:{_minute()}"
    return int(cache.get(key) or 0) >= settings.ODK_AUTH_FAILURES_PER_MINUTE


def authenticate(request: HttpRequest, organisation: Organisation) -> Device | None:
    """The active phone of this organisation the request signs in as, else None."""
    given = _credentials(request)
    if given is None:
        return None
    device = Device.objects.filter(
        organisation=organisation, username=given[0], revoked_at__isnull=True
    ).first()
    expected = device.password_hash if device else hash_password("-")
    if device is None or not hmac.compare_digest(expected, hash_password(given[1])):
        _bump(f"odk:fail:{organisation.pk}:{_minute()}")
        return None
    return device


def over_device_limit(device: Device) -> bool:
    return _bump(f"odk:dev:{device.pk}:{_minute()}") > settings.ODK_DEVICE_LIMIT_PER_MINUTE
