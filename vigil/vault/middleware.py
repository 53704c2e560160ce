from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from vigil.vault import session


class VaultMiddleware:
    """Expose ``request.vault``; decrypt only when a view actually asks."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.vault = SimpleLazyObject(lambda: session.load(request))  # type: ignore[attr-defined]
        response = self.get_response(request)
        session.set_cookie(request, response)
        return response
