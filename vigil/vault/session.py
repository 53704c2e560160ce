"""Keeping unlocked keys for the length of a staff session.

The organisation keys opened at login are encrypted under a random session
key K. The ciphertext goes into the server-side session; K goes only into a
separate HttpOnly, Secure, SameSite=Strict cookie. The database (sessions
table included) therefore never holds a usable key, and deleting either half
(logout, idle timeout, cookie lost) locks the vault again.
"""

from __future__ import annotations

import base64
import binascii

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from vigil.vault import crypto
from vigil.vault.keys import VaultLocked

SESSION_FIELD = "vault_blob"


class Vault:
    """What a request may decrypt: organisation private keys by organisation id."""

    def __init__(self, org_keys: dict[int, bytes]) -> None:
        self._org_keys = org_keys

    def is_unlocked(self, organisation_id: int) -> bool:
        return organisation_id in self._org_keys

    def org_key(self, organisation_id: int) -> bytes:
        try:
            return self._org_keys[organisation_id]
        except KeyError as exc:
            raise VaultLocked(organisation_id) from exc

    def keys(self) -> dict[int, bytes]:
        return dict(self._org_keys)

    def index_key(self, organisation_id: int) -> bytes:
        return crypto.blind_index_key(self.org_key(organisation_id))


EMPTY = Vault({})


def store(request: HttpRequest, org_keys: dict[int, bytes]) -> None:
    """Put keys in the session; remember to call ``set_cookie`` on the response."""
    session_key = crypto.new_key()
    payload = {str(org_id): base64.b64encode(key).decode() for org_id, key in org_keys.items()}
    blob = crypto.encrypt_json(session_key, payload)
    request.session[SESSION_FIELD] = base64.b64encode(blob).decode()
    request._vault_cookie = base64.urlsafe_b64encode(session_key).decode()  # type: ignore[attr-defined]
    request.vault = Vault(dict(org_keys))  # type: ignore[attr-defined]


def set_cookie(request: HttpRequest, response: HttpResponse) -> None:
    value = getattr(request, "_vault_cookie", None)
    if value:
        response.set_cookie(
            settings.VAULT_COOKIE_NAME,
            value,
            httponly=True,
            secure=settings.SECURE_COOKIES,
            samesite="Strict",
        )


def clear(request: HttpRequest, response: HttpResponse) -> None:
    request.session.pop(SESSION_FIELD, None)
    response.delete_cookie(settings.VAULT_COOKIE_NAME, samesite="Strict")


def load(request: HttpRequest) -> Vault:
    blob_b64 = request.session.get(SESSION_FIELD)
    cookie = request.COOKIES.get(settings.VAULT_COOKIE_NAME)
    if not blob_b64 or not cookie:
        return EMPTY
    try:
        session_key = base64.urlsafe_b64decode(cookie.encode())
        payload = crypto.decrypt_json(session_key, base64.b64decode(blob_b64))
    except (crypto.CryptoError, binascii.Error, ValueError):
        return EMPTY
    return Vault({int(org_id): base64.b64decode(key) for org_id, key in payload.items()})
