"""Designed error pages: the staff layout with its menu for members, the neutral
public layout (no staff link, quick exit) on the reporter's pages and for anyone
not signed in. Nothing about the missing or forbidden object is said."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template import loader

PUBLIC_PREFIXES = ("/report/",)


def _public(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return request.path.startswith(PUBLIC_PREFIXES) or not (user and user.is_authenticated)


def _page(request: HttpRequest, status: int, *, with_context: bool = True) -> HttpResponse:
    public = _public(request) or not with_context
    layout = "errors/public.html" if public else "errors/staff.html"
    context = {"layout": layout, "status": status, "start": "/report/" if public else "/"}
    body: str
    if with_context:
        body = loader.render_to_string(f"errors/{status}.html", context, request=request)
    else:  # a 500 may come from the database: render without context processors
        body = loader.get_template(f"errors/{status}.html").render(context)
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _page(request, 400)


def permission_denied(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _page(request, 403)


def page_not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _page(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return _page(request, 500, with_context=False)
