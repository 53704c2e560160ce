"""Which language a piece of free text is written in, cheaply, from its letters.

Enough to keep a letter in one language: Georgian script is Georgian; Latin
script is Romanian when it has Romanian letters (ă â î ș ț), else taken as
English (and not flagged in a Romanian letter, which may hold it); Cyrillic is
told apart by the letters only one language uses (Ukrainian ї є ґ, Russian ъ,
Belarusian ў or і beside ы/э/ё, Kazakh ә ғ қ ұ һ, Kyrgyz ө ү ң without the
Kazakh ones, Ukrainian і without ы/э/ё, Russian ы э ё without і). Cyrillic text
without any of them (short, or common words only) is ``CYRILLIC``: it may be
Russian, Ukrainian or Belarusian and is not flagged in any of them.
"""

from __future__ import annotations

CYRILLIC = "cyrillic"
UKRAINIAN_ONLY = set("іїєґ")
RUSSIAN_ONLY = set("ыэъё")
BELARUSIAN_ONLY = set("ў")
SHARED_BY_RU_AND_BE = set("ыэё")
ROMANIAN_LETTERS = set("ăâîșțşţ")
# Languages whose letters may carry Cyrillic text none of the others' letters mark.
EAST_SLAVIC = ("ru", "uk", "be")
KAZAKH_ONLY = set("әғқұһ")
KYRGYZ_OR_KAZAKH = set("өүң")
# A few Latin letters in Cyrillic text (a plate, "BMW") do not make it English.
MIN_LATIN_LETTERS = 8
MAJORITY = 0.7


def _is_cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


def _is_georgian(ch: str) -> bool:
    return "\u10a0" <= ch <= "\u10ff" or "\u1c90" <= ch <= "\u1cbf"


def _latin(letters: list[str]) -> str | None:
    latin = [ch for ch in letters if ch.isascii() or ch in ROMANIAN_LETTERS]
    if len(latin) < MIN_LATIN_LETTERS or len(latin) < MAJORITY * len(letters):
        return None
    return "ro" if set(latin) & ROMANIAN_LETTERS else "en"


def _east_slavic(found: set[str]) -> str:
    if found & BELARUSIAN_ONLY:
        return "be"
    i_letter, ru_be = "і" in found, bool(found & SHARED_BY_RU_AND_BE)
    if i_letter and ru_be and not found & set("їєґъ"):
        return "be"
    ukrainian, russian = bool(found & UKRAINIAN_ONLY), bool(found & RUSSIAN_ONLY)
    if ukrainian and not russian:
        return "uk"
    if russian and not ukrainian:
        return "ru"
    return CYRILLIC


def detect(text: str) -> str | None:
    """ "en", "ro", "ka", "ru", "uk", "be", "kk", "ky", ``CYRILLIC`` (Russian, Ukrainian
    or Belarusian) or None (no words)."""
    letters = [ch for ch in text.lower() if ch.isalpha()]
    if not letters:
        return None
    if sum(_is_georgian(ch) for ch in letters) >= MAJORITY * len(letters):
        return "ka"
    latin = _latin(letters)
    if latin:
        return latin
    cyrillic = [ch for ch in letters if _is_cyrillic(ch)]
    if len(cyrillic) < (1 - MAJORITY) * len(letters) or not cyrillic:
        return None
    found = set(cyrillic)
    if found & KAZAKH_ONLY:
        return "kk"
    if found & KYRGYZ_OR_KAZAKH:
        return "ky"
    return _east_slavic(found)


def foreign_to(text: str, language: str) -> str | None:
    """The language ``text`` is written in when it is not ``language``, else None."""
    found = detect(text)
    if found is None or found == language:
        return None
    if found == CYRILLIC and language in EAST_SLAVIC:
        return None
    if found == "en" and language == "ro":  # plain Latin may be Romanian without diacritics
        return None
    return found
