"""The counsel's notices, in the service's language (MATCHSVC_LANGUAGE: en, ru, uk).

The service is not a Django project, so its few texts live here rather than in
Vigil's catalogues. Each says only that something happened, with a link.
"""

from __future__ import annotations

# kind -> language -> (subject, body); the body gets the review link.
TEXTS: dict[str, dict[str, tuple[str, str]]] = {
    "match": {
        "en": (
            "Vigil matching: something to review",
            "There is something for you to review. Sign in to Vigil: {link}\n",
        ),
        "ru": (
            "Сопоставление Vigil: есть что посмотреть",
            "Для вас есть что посмотреть. Войдите в Vigil: {link}\n",
        ),
        "uk": (
            "Зіставлення Vigil: є що переглянути",
            "Для вас є що переглянути. Увійдіть у Vigil: {link}\n",
        ),
    },
    "quota": {
        "en": (
            "Vigil matching: a member reached its daily limit",
            "A member organisation reached its daily limit of evaluations and was refused.\n"
            "This can mean a stolen token. Sign in to Vigil and check with its coordinator: "
            "{link}\n",
        ),
        "ru": (
            "Сопоставление Vigil: участник исчерпал дневной лимит",
            "Организация-участник исчерпала дневной лимит вычислений, и ей было отказано.\n"
            "Это может означать украденный токен. Войдите в Vigil и свяжитесь с её "
            "координатором: {link}\n",
        ),
        "uk": (
            "Зіставлення Vigil: учасник вичерпав денний ліміт",
            "Організація-учасник вичерпала денний ліміт обчислень, і їй було відмовлено.\n"
            "Це може означати викрадений токен. Увійдіть у Vigil і зв’яжіться з її "
            "координатором: {link}\n",
        ),
    },
}
LANGUAGES = frozenset(TEXTS["match"])


def text(kind: str, language: str, link: str) -> tuple[str, str]:
    subject, body = TEXTS[kind].get(language, TEXTS[kind]["en"])
    return subject, body.format(link=link)
