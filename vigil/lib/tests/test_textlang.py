"""Telling the language of free text from its letters (for letters in one language)."""

from __future__ import annotations

import pytest

from vigil.lib import textlang


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Остановили у станции метро и обыскали сумку", "ru"),
        ("Зупинили біля станції метро і обшукали сумку", "uk"),
        ("They stopped her near the metro station", "en"),
        ("Полиция келді және құжаттарын сұрады", "kk"),
        ("Милиция үйгө келип, документтерин сурады", "ky"),
        ("Сказал, что она должна", "cyrillic"),  # no letter only one language uses
        ("0412", None),
        ("Милиция, BMW X5", "cyrillic"),  # a few Latin letters do not make it English
    ],
)
def test_it_detects_the_language_of_free_text(text: str, expected: str | None) -> None:
    assert textlang.detect(text) == expected


def test_it_flags_only_text_in_another_language() -> None:
    assert textlang.foreign_to("Сказал, что она должна", "uk") is None
    assert textlang.foreign_to("Сказал, что она должна", "en") == "cyrillic"
    assert textlang.foreign_to("Зупинили біля станції", "ru") == "uk"
    assert textlang.foreign_to("Зупинили біля станції", "uk") is None
