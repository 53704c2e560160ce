"""Keeping unlocked keys for the length of a staff session.

The organisation keys opened at login are kept in a cookie box (see
cookiebox.py): encrypted in the server-side session under a key that lives
only in the browser's ``vigil_vault`` cookie. The database (sessions table
included) therefore never holds a usable key, and losing either half (logout,
idle timeout, cookie cleared) locks the vault again.
"""

from __future__ import annotations

import base64

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from vigil.lib.requests import as_any
from vigil.vault import cookiebox, crypto
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
    """Keep keys for the session; the middleware sends the cookie half."""
    # A fresh cookie key at each sign-in: an old cookie never opens a new session.
    request.COOKIES.pop(settings.VAULT_COOKIE_NAME, None)
    payload = {str(org_id): base64.b64encode(key).decode() for org_id, key in org_keys.items()}
    cookiebox.put(request, SESSION_FIELD, settings.VAULT_COOKIE_NAME, payload)
    as_any(request).vault = Vault(dict(org_keys))


def clear(request: HttpRequest, response: HttpResponse) -> None:
    cookiebox.drop(request, SESSION_FIELD)
    cookiebox.delete_cookie(response, settings.VAULT_COOKIE_NAME)


def load(request: HttpRequest) -> Vault:
    payload = cookiebox.get(request, SESSION_FIELD, settings.VAULT_COOKIE_NAME)
    if not payload:
        return EMPTY
    return Vault({int(org_id): base64.b64decode(key) for org_id, key in payload.items()})
