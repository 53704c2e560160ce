"""The Jinja2 environment of the reporter's pages (``using="public"``).

The anonymous report is the busiest and least patient part of Vigil: a
tired woman on a cheap phone, one page per question. Its pages, the language
switcher (shared with the staff layout through ``vigil.lib.switcher_tags``),
the public layout and the public error pages are Jinja2 templates: a step page
rendered with Django's template language cost about two thirds of the
server's CPU for that request, several times what Jinja2's compiled templates
cost for the same HTML.

Translations: strings are written ``{{ _("...") }}`` (with ``|format(...)``
for placeholders), which ``makemessages`` extracts from these files as it
does from Django templates, so the catalogues and their translations are
shared with the rest of Vigil. Plural forms are computed in the view.
"""

from __future__ import annotations

from typing import Any

from django.contrib.messages import get_messages
from django.template.defaultfilters import date, linebreaksbr
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language, gettext
from jinja2 import Environment

from vigil.incidents.regions import country_name
from vigil.lib import languages


def url(name: str, *args: Any) -> str:
    return reverse(name, args=args)


def switcher_languages(request: Any) -> list[tuple[str, str]]:
    """The (code, name) pairs the switcher offers on this request."""
    # The designed 500 page renders without a request (a Jinja2 Undefined here).
    return list(languages.switcher(request or None)["switcher_languages"])


def environment(**options: Any) -> Environment:
    env = Environment(**options)  # noqa: S701 - the backend passes autoescape=True
    env.globals.update(
        _=gettext,
        static=static,
        url=url,
        get_language=get_language,
        get_messages=get_messages,
        switcher_languages=switcher_languages,
    )
    env.filters.update(linebreaksbr=linebreaksbr, date=date, country_name=country_name)
    return env
