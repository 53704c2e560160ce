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
        ("Au oprit-o lângă stația de metrou și i-au percheziționat geanta", "ro"),
        ("Au oprit-o langa statia de metrou", "en"),  # no diacritics: Latin, taken as English
        ("გააჩერეს მეტროსთან და ჩანთა გაუჩხრიკეს", "ka"),
        ("Спынілі каля станцыі метро і абшукалі сумку", "be"),  # і beside ы
        ("Міліцыянт ўзяў дакументы", "be"),  # ў
        ("Зупинили біля станції", "uk"),
    ],
)
def test_it_detects_the_language_of_free_text(text: str, expected: str | None) -> None:
    assert textlang.detect(text) == expected


def test_it_flags_only_text_in_another_language() -> None:
    assert textlang.foreign_to("Сказал, что она должна", "uk") is None
    assert textlang.foreign_to("Сказал, что она должна", "en") == "cyrillic"
    assert textlang.foreign_to("Зупинили біля станції", "ru") == "uk"
    assert textlang.foreign_to("Зупинили біля станції", "uk") is None


@pytest.mark.parametrize(
    ("text", "letter", "expected"),
    [
        ("Au oprit-o langa statia de metrou", "ro", None),  # Romanian without diacritics
        ("They stopped her near the metro station", "ro", None),
        ("Au oprit-o lângă stația de metrou", "en", "ro"),
        ("Сказал, что она должна", "be", None),
        ("Сказал, что она должна", "ro", "cyrillic"),
        ("Остановили у станции метро и обыскали сумку", "ka", "ru"),
        ("გააჩერეს მეტროსთან და ჩანთა გაუჩხრიკეს", "ka", None),
        ("გააჩერეს მეტროსთან და ჩანთა გაუჩხრიკეს", "ru", "ka"),
        ("Спынілі каля станцыі метро і абшукалі сумку", "ru", "be"),
        ("Полиция келді және құжаттарын сұрады", "ky", "kk"),
    ],
)
def test_it_flags_text_foreign_to_the_new_letter_languages(
    text: str, letter: str, expected: str | None
) -> None:
    assert textlang.foreign_to(text, letter) == expected


@pytest.mark.parametrize("letter", ["ro", "ka", "kk", "ky", "be"])
def test_a_letter_marks_foreign_text_in_its_own_language(letter: str) -> None:
    from vigil.complaints import wording

    marker = wording.translate_marker("ru" if letter != "ru" else "uk", letter)
    english = wording.translate_marker("ru", "en")
    assert marker != english and marker.startswith("[")
