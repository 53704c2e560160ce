"""Django's messages that Django's catalogue lacks for a language are in Vigil's, and win."""

from __future__ import annotations

import sys
from pathlib import Path

import django
import pytest
from django.conf import settings
from django.utils import translation

from vigil.lib.django_messages import texts

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts"))
import check_messages

DJANGO = Path(django.__file__).resolve().parent
LOCALE = Path(__file__).resolve().parents[2] / "locale"
ENABLED = [code for code, _name in settings.LANGUAGES if code != "en"]


def test_the_texts_are_exactly_djangos() -> None:
    django_ids = {
        (e.msgid, e.msgid_plural)
        for domain in ("conf", "contrib/auth")
        for e in check_messages.parse(
            DJANGO / domain / "locale" / "en" / "LC_MESSAGES" / "django.po"
        )
    }
    assert len(texts()) > 30
    assert [t for t in texts() if t not in django_ids] == []


def test_makemessages_keeps_them_in_vigils_catalogue() -> None:
    vigil_ids = {e.msgid for e in check_messages.parse(LOCALE / "en" / "LC_MESSAGES" / "django.po")}
    assert [msgid for msgid, _plural in texts() if msgid not in vigil_ids] == []


@pytest.mark.parametrize("language", ENABLED)
def test_a_user_reads_them_in_her_language(language: str) -> None:
    english = []
    with translation.override(language):
        for msgid, plural in texts():
            if plural:
                # A form may equal the other English form ("%(num)d minute" is a
                # Romanian plural): compare with the English text for the same n.
                for n in (1, 2, 5):
                    if translation.ngettext(msgid, plural, n) == (msgid if n == 1 else plural):
                        english.append(msgid)
            elif translation.gettext(msgid) == msgid:
                english.append(msgid)
    assert english == []


def test_vigils_translation_wins_over_djangos() -> None:
    """Kazakh: Django's catalogue has no translation of the password rules; Vigil's has."""
    kazakh = {e.msgid: e for e in check_messages.parse(LOCALE / "kk" / "LC_MESSAGES" / "django.po")}
    entry = kazakh["This password is too common."]
    with translation.override("kk"):
        assert translation.gettext("This password is too common.") == (
            entry.msgstr[0] or "This password is too common."
        )
