from __future__ import annotations

from collections.abc import Callable
from typing import cast

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject

from vigil.lib.requests import as_any
from vigil.vault import cookiebox, session
from vigil.vault.crypto import CryptoError
from vigil.vault.keys import VaultLocked


class VaultMiddleware:
    """Expose ``request.vault``; decrypt only when a view actually asks."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Lazy: only pages that open sealed data pay for decrypting the keys.
        as_any(request).vault = cast(session.Vault, SimpleLazyObject(lambda: session.load(request)))
        response = self.get_response(request)
        cookiebox.set_cookies(request, response)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A page that needs sealed data the session cannot open explains why."""
        if isinstance(exception, VaultLocked):
            return render(request, "vault/locked.html", status=403)
        if isinstance(exception, CryptoError):
            return render(request, "vault/unreadable.html", status=410)
        return None
