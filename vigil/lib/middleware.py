"""Response headers that Django's SecurityMiddleware does not set."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import Resolver404, resolve
from django.utils.cache import add_never_cache_headers


class SecurityHeadersMiddleware:
    """Permissions-Policy everywhere; no caching of any dynamic page.

    Staff and reporter pages both carry data someone could recover from a
    shared phone's cache, so only fingerprinted static files are cacheable.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if not request.path.startswith(settings.STATIC_URL):
            add_never_cache_headers(response)
            response.headers["Cache-Control"] = "no-store, no-cache, must-revalidate, private"
        return response


SERVED_METHODS = ("GET", "HEAD", "POST")
NINJA_PREFIX = "/api/v1/"


class MethodAllowListMiddleware:
    """405 for every method but GET, HEAD and POST, before any view or session.

    No Vigil view serves another method; without this, a view without
    ``require_http_methods`` answered TRACE or OPTIONS like a GET.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in SERVED_METHODS:
            return HttpResponseNotAllowed(_allowed_methods(request.path_info))
        return self.get_response(request)


def _allowed_methods(path: str) -> Sequence[str]:
    """What ``Allow`` says: a REST API operation's own methods (as its OpenAPI schema
    says), else the methods every Vigil view serves."""
    if not path.startswith(NINJA_PREFIX):
        return SERVED_METHODS
    try:
        view = resolve(path).func
    except Resolver404:
        return SERVED_METHODS
    # django-ninja's view is a closure over its PathView, which lists the operations.
    for cell in getattr(view, "__closure__", None) or ():
        operations = getattr(cell.cell_contents, "operations", None)
        if operations:
            return sorted({method for op in operations for method in op.methods})
    return SERVED_METHODS
