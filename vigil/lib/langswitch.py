"""Switching language in the middle of a step keeps what was typed.

On a page with a form being filled in, the language switcher belongs to that
form (the HTML ``form`` attribute), so choosing a language posts what was typed
along with it, with or without JavaScript. The view keeps the typed values (the
reporter's draft, or an encrypted cookie box for staff), switches the language
and shows the same step again, filled in, in the new language.
"""

from __future__ import annotations

from typing import Any, Literal, cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import translation

from vigil.vault import cookiebox

FIELD = "switch_language"
BUTTON = "switch_language_go"
FORM_ID = "step-form"
TYPED = "typed_form"
TYPED_COOKIE = "vigil_typed"
NOT_TYPED = {"csrfmiddlewaretoken", FIELD, BUTTON}


def requested(request: HttpRequest) -> str | None:
    """The language asked for by this POST, when it is a switch rather than a save."""
    if request.method != "POST":
        return None
    language = request.POST.get(FIELD, "")
    if language not in dict(settings.LANGUAGES):
        return None
    if BUTTON in request.POST or language != translation.get_language():
        return language
    return None


def typed_values(request: HttpRequest) -> dict[str, list[str]]:
    return {k: v for k, v in request.POST.lists() if k not in NOT_TYPED}


def switch(response: HttpResponse, language: str) -> HttpResponse:
    """Remember the language as Django's own switcher does (the language cookie)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=cast(Literal["Lax", "Strict", "None"], settings.LANGUAGE_COOKIE_SAMESITE),
    )
    return response


def keep(request: HttpRequest) -> None:
    """Keep this POST's typed values for the next showing of the same page (encrypted)."""
    cookiebox.put(
        request, TYPED, TYPED_COOKIE, {"path": request.path, "data": typed_values(request)}
    )


def take(request: HttpRequest) -> QueryDict | None:
    """The values kept for this page, once; None when there are none."""
    kept: Any = cookiebox.get(request, TYPED, TYPED_COOKIE)
    if not isinstance(kept, dict) or kept.get("path") != request.path:
        return None
    cookiebox.drop(request, TYPED)
    data = QueryDict(mutable=True)
    for name, values in (kept.get("data") or {}).items():
        data.setlist(name, [str(v) for v in values])
    return data
