"""Database sessions whose table holds only a keyed hash of each session key.

The browser's cookie carries the random session key; the ``django_session``
row is stored under HMAC(SESSION_KEY_SECRET, key). The secret comes from the
settings (environment or a secrets file), never from the database, so a copy
of the sessions table yields no value that works as a cookie: sending a
stored key hashes it again and matches nothing.

Used as ``SESSION_ENGINE = "vigil.accounts.session_store"``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DbSessionStore
from django.contrib.sessions.base_session import AbstractBaseSession
from django.utils import timezone
from django.utils.crypto import salted_hmac

# A Django session key column is 40 characters: 30 bytes of HMAC in base64url.
_STORED_BYTES = 30


def _secret() -> bytes:
    configured: str = getattr(settings, "SESSION_KEY_SECRET", "")
    if configured:
        return configured.encode()
    # Derived from SECRET_KEY (also outside the database) when not set separately.
    return salted_hmac("vigil.session-key", "secret", algorithm="sha256").digest()


def stored_key(session_key: str) -> str:
    """The value under which the session of this cookie is kept in the table."""
    digest = hmac.new(_secret(), session_key.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:_STORED_BYTES]).decode()


class SessionStore(DbSessionStore):
    """Django's database backend with every table lookup keyed by ``stored_key``."""

    def _get_session_from_db(self) -> AbstractBaseSession | None:
        session_key = self.session_key
        if session_key is None:
            return None
        try:
            return self.model.objects.get(
                session_key=stored_key(session_key), expire_date__gt=timezone.now()
            )
        except self.model.DoesNotExist:
            self._session_key = None
            return None

    async def _aget_session_from_db(self) -> AbstractBaseSession | None:
        session_key = self.session_key
        if session_key is None:
            return None
        try:
            return await self.model.objects.aget(
                session_key=stored_key(session_key), expire_date__gt=timezone.now()
            )
        except self.model.DoesNotExist:
            self._session_key = None
            return None

    def exists(self, session_key: str) -> bool:
        return bool(self.model.objects.filter(session_key=stored_key(session_key)).exists())

    async def aexists(self, session_key: str) -> bool:
        return bool(await self.model.objects.filter(session_key=stored_key(session_key)).aexists())

    def create_model_instance(self, data: dict[str, Any]) -> AbstractBaseSession:
        row = super().create_model_instance(data)  # keyed by the cookie value
        row.session_key = stored_key(row.session_key)
        return row

    async def acreate_model_instance(self, data: dict[str, Any]) -> AbstractBaseSession:
        row = await super().acreate_model_instance(data)
        row.session_key = stored_key(row.session_key)
        return row

    def delete(self, session_key: str | None = None) -> None:
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        self.model.objects.filter(session_key=stored_key(session_key)).delete()

    async def adelete(self, session_key: str | None = None) -> None:
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        await self.model.objects.filter(session_key=stored_key(session_key)).adelete()
