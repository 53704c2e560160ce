"""The leak check: does an alert's text repeat what identifies her?

Run when an alert goes to vetting, against what its source holds (her names and
contacts, the address, the exact date, the narrative). It reports which kinds of
thing leaked, never the values. The second person's checklist is still needed:
a paraphrase passes this check.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

NARRATIVE_WINDOW = 5  # words in a row copied from the narrative count as a leak
_WORD = re.compile(r"\w+", re.UNICODE)

KINDS: dict[str, object] = {
    "name": _("her name"),
    "contact": _("her contact details"),
    "address": _("the address or place details"),
    "date": _("the exact date"),
    "narrative": _("sentences of her account"),
    "officer": _("an officer's name, or a badge number outside the identifiers"),
}


@dataclass
class Secrets:
    """What must not appear in an alert, by kind."""

    names: list[str] = field(default_factory=list)
    contacts: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    dates: list[datetime.date] = field(default_factory=list)
    narratives: list[str] = field(default_factory=list)
    officer_names: list[str] = field(default_factory=list)
    badges: list[str] = field(default_factory=list)


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def date_forms(day: datetime.date) -> list[str]:
    return [
        day.isoformat(),
        day.strftime("%d.%m.%Y"),
        f"{day.day}.{day.month}.{day.year}",
        day.strftime("%d/%m/%Y"),
        day.strftime("%d.%m.%y"),
    ]


def _has_window(text_words: list[str], source: str) -> bool:
    source_words = _words(source)
    if len(source_words) < NARRATIVE_WINDOW:
        return bool(source_words) and _contains(text_words, source_words)
    text_grams = {
        tuple(text_words[i : i + NARRATIVE_WINDOW])
        for i in range(len(text_words) - NARRATIVE_WINDOW + 1)
    }
    return any(
        tuple(source_words[i : i + NARRATIVE_WINDOW]) in text_grams
        for i in range(len(source_words) - NARRATIVE_WINDOW + 1)
    )


def _contains(text_words: list[str], phrase: list[str]) -> bool:
    n = len(phrase)
    return any(text_words[i : i + n] == phrase for i in range(len(text_words) - n + 1))


def leaks(texts: list[str], secrets: Secrets, identifiers: tuple[str, ...] = ()) -> list[str]:
    """The kinds (keys of ``KINDS``) of forbidden information found.

    A badge number may appear among the identifiers (where a lawyer approves it),
    never in the free text, where it would escape that approval."""
    found = _leaks([*texts, *identifiers], secrets)
    text_digits = _digits("\n".join(texts))
    text_words = _words("\n".join(texts))
    if "officer" not in found and any(
        _badge_in(b, text_words, text_digits) for b in secrets.badges
    ):
        found.append("officer")
    return found


def _badge_in(badge: str, words: list[str], digits: str) -> bool:
    badge_digits = _digits(badge)
    if len(badge_digits) >= 3 and badge_digits in digits:
        return True
    return bool(_words(badge)) and _contains(words, _words(badge))


def _leaks(texts: list[str], secrets: Secrets) -> list[str]:
    joined = "\n".join(texts)
    words = _words(joined)
    digits = _digits(joined)
    found: list[str] = []
    if any(_words(n) and _contains(words, _words(n)) for n in secrets.names):
        found.append("name")
    if any(_contact_in(c, words, digits) for c in secrets.contacts):
        found.append("contact")
    if any(_words(p) and _contains(words, _words(p)) for p in secrets.places):
        found.append("address")
    if any(form in joined for day in secrets.dates for form in date_forms(day)):
        found.append("date")
    if any(_has_window(words, n) for n in secrets.narratives):
        found.append("narrative")
    if any(_words(n) and _contains(words, _words(n)) for n in secrets.officer_names):
        found.append("officer")
    return found


def _contact_in(contact: str, words: list[str], digits: str) -> bool:
    contact_digits = _digits(contact)
    if len(contact_digits) >= 6 and contact_digits[-9:] in digits:
        return True
    contact_words = _words(contact)
    return bool(contact_words) and _contains(words, contact_words)
