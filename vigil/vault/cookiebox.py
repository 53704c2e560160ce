"""Session data that the database alone cannot read.

The value is encrypted under a random key; the ciphertext goes into the
server-side session and the key into a separate HttpOnly, SameSite=Strict
cookie. Used for unlocked staff keys and for reporters' drafts: a copy of the
sessions table reveals neither.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from vigil.vault import crypto

PENDING = "_cookiebox_pending"


def put(request: HttpRequest, field: str, cookie: str, value: Any) -> None:
    """Encrypt ``value`` into the session; the key goes out with the response.

    The key is reused while the browser still has it, so concurrent tabs keep
    reading their data; a fresh key is made only when there is none.
    """
    key = _key(request, cookie) or crypto.new_key()
    request.session[field] = base64.b64encode(crypto.encrypt_json(key, value)).decode()
    pending: dict[str, bytes] = getattr(request, PENDING, {})
    pending[cookie] = key
    setattr(request, PENDING, pending)


def get(request: HttpRequest, field: str, cookie: str, default: Any = None) -> Any:
    blob = request.session.get(field)
    key = _key(request, cookie)
    if not blob or key is None:
        return default
    try:
        return crypto.decrypt_json(key, base64.b64decode(blob))
    except (crypto.CryptoError, binascii.Error, ValueError):
        return default


def key_for(request: HttpRequest, cookie: str) -> bytes:
    """The browser's key for ``cookie`` (a new one, sent with the response, if none)."""
    key = _key(request, cookie) or crypto.new_key()
    pending: dict[str, bytes] = getattr(request, PENDING, {})
    pending[cookie] = key
    setattr(request, PENDING, pending)
    return key


def key_of(request: HttpRequest, cookie: str) -> bytes | None:
    """The browser's key for ``cookie``, or None when it has none."""
    return _key(request, cookie)


def drop(request: HttpRequest, field: str) -> None:
    request.session.pop(field, None)


def _key(request: HttpRequest, cookie: str) -> bytes | None:
    pending: dict[str, bytes] = getattr(request, PENDING, {})
    if cookie in pending:
        return pending[cookie]
    value = request.COOKIES.get(cookie)
    if not value:
        return None
    try:
        key = base64.urlsafe_b64decode(value.encode())
    except (binascii.Error, ValueError):
        return None
    return key if len(key) == crypto.KEY_BYTES else None


def set_cookies(request: HttpRequest, response: HttpResponse) -> None:
    """Send the keys of values put during this request (call from middleware)."""
    for cookie, key in getattr(request, PENDING, {}).items():
        response.set_cookie(
            cookie,
            base64.urlsafe_b64encode(key).decode(),
            httponly=True,
            secure=settings.SECURE_COOKIES,
            samesite="Strict",
        )


def delete_cookie(response: HttpResponse, cookie: str) -> None:
    response.delete_cookie(cookie, samesite="Strict")
