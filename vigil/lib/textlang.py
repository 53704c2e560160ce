"""Which language a piece of free text is written in, cheaply, from its letters.

Enough to keep a letter in one language: Latin script is taken as English,
Cyrillic is told apart by the letters only one language uses (Ukrainian і ї є ґ,
Russian ы э ъ ё, Kazakh ә ғ қ ұ һ, Kyrgyz ө ү ң without the Kazakh ones).
Cyrillic text without any of them (short, or common words only) is ``CYRILLIC``:
it may be Russian or Ukrainian and is not flagged in either.
"""

from __future__ import annotations

CYRILLIC = "cyrillic"
UKRAINIAN_ONLY = set("іїєґ")
RUSSIAN_ONLY = set("ыэъё")
KAZAKH_ONLY = set("әғқұһ")
KYRGYZ_OR_KAZAKH = set("өүң")
# A few Latin letters in Cyrillic text (a plate, "BMW") do not make it English.
MIN_LATIN_LETTERS = 8
MAJORITY = 0.7


def _is_cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


def detect(text: str) -> str | None:
    """ "en", "ru", "uk", "kk", "ky", ``CYRILLIC`` (Russian or Ukrainian) or None (no words)."""
    letters = [ch for ch in text.lower() if ch.isalpha()]
    if not letters:
        return None
    cyrillic = [ch for ch in letters if _is_cyrillic(ch)]
    latin = [ch for ch in letters if ch.isascii()]
    if len(latin) >= MIN_LATIN_LETTERS and len(latin) >= MAJORITY * len(letters):
        return "en"
    if len(cyrillic) < (1 - MAJORITY) * len(letters) or not cyrillic:
        return None
    found = set(cyrillic)
    if found & KAZAKH_ONLY:
        return "kk"
    if found & KYRGYZ_OR_KAZAKH:
        return "ky"
    ukrainian, russian = bool(found & UKRAINIAN_ONLY), bool(found & RUSSIAN_ONLY)
    if ukrainian and not russian:
        return "uk"
    if russian and not ukrainian:
        return "ru"
    return CYRILLIC


def foreign_to(text: str, language: str) -> str | None:
    """The language ``text`` is written in when it is not ``language``, else None."""
    found = detect(text)
    if found is None or found == language:
        return None
    if found == CYRILLIC and language in ("ru", "uk"):
        return None
    return found
