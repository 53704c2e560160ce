"""Designed error pages: the staff layout with its menu for members, the neutral
public layout (no staff link, quick exit) on the reporter's pages and for anyone
not signed in. Nothing about the missing or forbidden object is said."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template import engines, loader
from django.utils.translation import gettext_lazy as _

PUBLIC_PREFIXES = ("/report/",)

# (title, message) per status: one text for both layouts.
TEXTS = {
    400: (
        _("Something in the request was wrong"),
        _(
            "The page could not understand what was sent. Go back and try again; "
            "what you typed before is kept where the form allows it."
        ),
    ),
    403: (
        _("You cannot open this page"),
        _(
            "Your role does not give access to this page. "
            "If you need it for your work, ask your coordinator."
        ),
    ),
    404: (
        _("Page not found"),
        _(
            "There is nothing at this address, or it is no longer available. "
            "Check the address, or start again from the start page."
        ),
    ),
    500: (
        _("Something went wrong on our side"),
        _(
            "The page could not be shown because of an error in Vigil, not because of "
            "anything you did. Try again in a moment. If you were writing a report, your "
            "draft is kept: go back to it."
        ),
    ),
}


def _public(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return request.path.startswith(PUBLIC_PREFIXES) or not (user and user.is_authenticated)


def _page(request: HttpRequest, status: int, *, with_context: bool = True) -> HttpResponse:
    public = _public(request) or not with_context
    title, message = TEXTS[status]
    context = {
        "status": status,
        "title": title,
        "message": message,
        "start": "/report/" if public else "/",
    }
    # A 500 may come from the database: render without the request (no context
    # processors, no session).
    with_request = request if with_context else None
    body: str
    if public:
        body = engines["public"].get_template("errors/public.html").render(context, with_request)
    else:
        body = loader.render_to_string("errors/staff.html", context, request=with_request)
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _page(request, 400)


def permission_denied(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _page(request, 403)


def page_not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _page(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return _page(request, 500, with_context=False)
