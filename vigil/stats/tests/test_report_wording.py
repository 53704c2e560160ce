"""The advocacy report's words exist in every language of the interface."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from vigil.stats.report_wording import LANGUAGES, WORDS, words

PLACEHOLDER = re.compile(r"\{\w+\}")
# Words a language writes exactly as English does.
SAME = {("ro", "total")}


def test_the_report_is_offered_in_every_interface_language() -> None:
    assert list(LANGUAGES) == [code for code, _name in settings.LANGUAGES]


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "en"])
def test_every_word_is_written_with_the_same_placeholders(language: str) -> None:
    english, own = WORDS["en"], WORDS[language]
    assert set(own) == set(english)
    for key, text in english.items():
        assert set(PLACEHOLDER.findall(own[key])) == set(PLACEHOLDER.findall(text)), key
        # Only numbers-and-dashes bands, and the words listed, may be as in English.
        same = (language, key) in SAME or not re.search(r"[A-Za-z]{3}", text)
        assert own[key] != text or same, key
    assert words(language)["title"] == own["title"]
