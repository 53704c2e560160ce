"""The interface languages, and the ones an organisation's public pages offer.

``settings.LANGUAGES`` lists every language Vigil speaks, each named in itself.
An organisation may offer fewer on its public report pages (an empty choice
means all of them): the switcher there lists only those, and a visitor whose
browser or earlier choice asks for another one reads the page in the first
offered language her browser accepts, else in the organisation's own working
language, else in the first offered one.
"""

from __future__ import annotations

from typing import Any, Protocol

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header


class _Offering(Protocol):
    public_languages: Any
    languages: Any


def codes() -> list[str]:
    """Every enabled language code, English first, as in settings."""
    return [code for code, _name in settings.LANGUAGES]


def names() -> dict[str, str]:
    return dict(settings.LANGUAGES)


def offered(organisation: _Offering) -> list[str]:
    """The languages of the organisation's public pages, in the order of settings."""
    chosen = set(organisation.public_languages or [])
    return [code for code in codes() if not chosen or code in chosen]


def fallback(request: HttpRequest, organisation: _Offering, offer: list[str]) -> str:
    """The language to show when the one asked for is not offered."""
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for accepted, _quality in parse_accept_lang_header(header):
        base = accepted.split("-")[0].lower()
        if base in offer:
            return base
    for working in organisation.languages or []:
        if working in offer:
            return str(working)
    return offer[0]


def use_offered(request: HttpRequest, organisation: _Offering) -> str:
    """Show this request in one of the organisation's public languages; returns it.

    The switcher (``switcher_languages`` in the template context) then lists only
    the offered languages.
    """
    offer = offered(organisation)
    current = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    language = current if current in offer else fallback(request, organisation, offer)
    if language != current:
        translation.activate(language)
        request.LANGUAGE_CODE = language
    request.offered_languages = offer  # type: ignore[attr-defined]
    return language


def switcher(request: HttpRequest | None) -> dict[str, Any]:
    """The (code, name) pairs the language switcher lists on this request."""
    offer = getattr(request, "offered_languages", None) or codes()
    all_names = names()
    return {"switcher_languages": [(code, all_names[code]) for code in offer]}
