"""What people type for one officer or phone meets in one blind index (issue: repeat officers).

Each row: kind, default region, two spellings, and whether they must meet.
The rows that must not meet keep the folding from swallowing real differences.
"""

from __future__ import annotations

import pytest

from vigil.vault import crypto

SAME = True
DIFFERENT = False

CASES: list[tuple[str, str | None, str, str, bool]] = [
    # phones (E.164 with the organisation's country as default region)
    ("phone", "UA", "067 123 4567", "+380671234567", SAME),
    ("phone", "UA", "(067) 123-45-67", "+38 067 123 45 67", SAME),
    ("phone", "UA", "380671234567", "0671234567", SAME),
    ("phone", "UA", "+380 50 111 22 33", "050-111-22-33", SAME),
    ("phone", "KZ", "8 701 123 4567", "+7 701 123 45 67", SAME),
    ("phone", "KZ", "87011234567", "77011234567", SAME),
    ("phone", "RU", "8 (916) 123-45-67", "+79161234567", SAME),
    ("phone", "MD", "069 123 456", "+373 69 123 456", SAME),
    ("phone", "GE", "555 12 34 56", "+995555123456", SAME),
    ("phone", None, "+380671234567", "380 67 123 45 67", SAME),
    ("phone", "UA", "067 123 4567", "067 123 4568", DIFFERENT),
    ("phone", "UA", "+380671234567", "+77011234567", DIFFERENT),
    # badges and plates: Cyrillic/Latin look-alikes, Ukrainian І/Ї, Kazakh letters
    ("badge", None, "АВ 4471-КВ", "AB4471KB", SAME),
    ("badge", None, "ab-1234", "AB 1234", SAME),
    ("badge", None, "МН 0077", "MH0077", SAME),
    ("badge", None, "ТОР-552", "top 552", SAME),
    ("badge", None, "Қ-1205", "K1205", SAME),
    ("badge", None, "ҮҰ 77", "YY77", SAME),
    ("badge", None, "Һ-3", "H3", SAME),
    ("badge", None, "Ө 9", "O9", SAME),
    ("badge", None, "1234", "1235", DIFFERENT),
    ("plate", None, "АІ 1234 ВХ", "AI1234BX", SAME),
    ("plate", None, "Ї 0001 КА", "I0001KA", SAME),
    ("plate", None, "А 123 ВС 77", "a123bc77", SAME),
    ("plate", None, "КА 7777 ЕР", "KA7777EP", SAME),
    ("plate", None, "Д 123 ЖК", "D123ZHK", SAME),
    ("plate", None, "AA1234BB", "AA1234BC", DIFFERENT),
    # names: ru, uk, kk and Latin transliterations
    ("name", None, "Іванов", "Ivanov", SAME),
    ("name", None, "Ivanov", "Iwanow", SAME),
    ("name", None, "Иванов", "Ivannov", SAME),
    ("name", None, "Гаврилюк", "Havryliuk", SAME),
    ("name", None, "Havryliuk", "Gavrilyuk", SAME),
    ("name", None, "Хмельницький", "Khmelnytskyi", SAME),
    ("name", None, "Khmelnytskyi", "Hmelnitskiy", SAME),
    ("name", None, "Щербак", "Shcherbak", SAME),
    ("name", None, "Shcherbak", "Scherbak", SAME),
    ("name", None, "Сергій", "Serhiy", SAME),
    ("name", None, "Сергей", "Serhii", SAME),
    ("name", None, "Єрмак", "Ermak", SAME),
    ("name", None, "Ермак", "Yermak", SAME),
    ("name", None, "Дем'ян", "Demyan", SAME),
    ("name", None, "Цой", "Tsoy", SAME),
    ("name", None, "Tsoi", "Tzoy", SAME),
    ("name", None, "Смирнов", "Smirnoff", SAME),
    ("name", None, "Жуков", "Zhukov", SAME),
    ("name", None, "Чорновол", "Chornovol", SAME),
    ("name", None, "Юлія Коваль", "Kowal Yuliya", SAME),
    ("name", None, "Королёва", "королева", SAME),
    ("name", None, "Ivanova  Oksana", "ivanova, oksana", SAME),
    ("name", None, "Қасымов", "Kasymov", SAME),
    ("name", None, "Qasymov", "Касымов", SAME),
    ("name", None, "Әлиев", "Aliyev", SAME),
    ("name", None, "Жансүгіров", "Zhansugirov", SAME),
    ("name", None, "Нұрсұлтан", "Nursultan", SAME),
    ("name", None, "Ғалым", "Galym", SAME),
    ("name", None, "Ivanov", "Petrov", DIFFERENT),
    ("name", None, "Иванов", "Иванова", DIFFERENT),
    ("name", None, "Коваль", "Ковальчук", DIFFERENT),
]


@pytest.mark.parametrize(("kind", "region", "a", "b", "same"), CASES)
def test_it_normalises_what_people_type(
    kind: str, region: str | None, a: str, b: str, same: bool
) -> None:
    key = crypto.blind_index_key(crypto.new_key())
    left = crypto.blind_index(key, kind, a, region=region)
    right = crypto.blind_index(key, kind, b, region=region)
    assert left and right
    assert (left == right) is same, (crypto.normalise(kind, a, region=region), kind, b)


def test_it_has_enough_cases_in_every_language() -> None:
    assert len(CASES) >= 40
    cyrillic = [c for c in CASES if any("\u0400" <= ch <= "\u04ff" for ch in c[2] + c[3])]
    kazakh = [c for c in CASES if set("ҚқҮүҰұҺһӨөӘәҒғ") & set(c[2] + c[3])]
    ukrainian = [c for c in CASES if set("ІіЇїЄєҐґ'") & set(c[2] + c[3])]
    assert len(cyrillic) >= 20 and len(kazakh) >= 5 and len(ukrainian) >= 5


def test_it_uses_the_region_for_national_numbers_only() -> None:
    # Without a default region a national number cannot be placed in a country.
    assert crypto.normalise("phone", "067 123 4567", region="UA") == "380671234567"
    assert crypto.normalise("phone", "067 123 4567") == "0671234567"
    assert crypto.normalise("phone", "+380671234567", region="KZ") == "380671234567"
