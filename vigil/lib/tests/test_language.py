"""Every page a member or a reporter reaches is entirely in her language.

The test signs in as each role, crawls every staff page reachable by links from
the home page (one page per URL name), and the public report pages, in every
enabled language (``settings.LANGUAGES`` but English). It fails when a text
node, a placeholder, a title or a label shows an English string of Vigil's own
catalogue that has a translation: the mistake it catches is a string rendered
without going through gettext, a template that forgot ``{% translate %}``, or a
lazy string resolved too early. Proper names and codes that are the same in
every language are allowed by the explicit list below.
"""

from __future__ import annotations

import gettext
import re
from collections import deque
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve

from vigil.accounts.models import Role
from vigil.conftest import World, sign_in

LOCALE = Path(__file__).resolve().parents[2] / "locale"
ALLOWED_FILE = Path(__file__).resolve().parents[3] / "scripts" / "messages_allowed.txt"
# The same in every language: names, codes and formats ("English" names itself
# in the language switcher, as each language does), and the names and codes the
# catalogue check allows to stay in English (scripts/messages_allowed.txt).
ALLOWED = {
    *("English", "Vigil", "OST", "TOTP", "DOCX", "PDF", "CSV", "XLSX", "ICS", "API", "ID", "OK"),
    *(
        line.strip()
        for line in ALLOWED_FILE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith(("#", "["))
    ),
}
ENABLED = [code for code, _name in settings.LANGUAGES if code != "en"]
# Never followed: leave the session, change state by GET, or return files.
SKIP_PATH = re.compile(
    r"(logout|quick-exit|/i18n/|download|\.docx$|\.pdf$|\.csv$|\.xlsx$|\.ics$|/static/|/media/)"
)
PAGES_PER_LANGUAGE = 400


def english_strings(language: str) -> set[str]:
    """English msgids of Vigil's catalogue whose translation differs."""
    with (LOCALE / language / "LC_MESSAGES" / "django.mo").open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    # A text that is also a translation in this language is a word of it ("Note" is
    # Romanian for "Notes"), and so are the texts allowed for this language only.
    own_words = {" ".join(str(v).split()) for v in catalogue.values()}
    own_words |= {
        line.split("] ", 1)[1].strip()
        for line in ALLOWED_FILE.read_text(encoding="utf-8").splitlines()
        if line.startswith(f"[{language}] ")
    }
    found = set()
    for msgid, msgstr in catalogue.items():
        if isinstance(msgid, tuple):  # plural forms: (msgid, index)
            continue
        if not msgid or msgid == msgstr or "%" in msgid or "{" in msgid:
            continue
        msgid = msgid.split("\x04")[-1]  # with a context: "vocabulary\x04Sexual violence"
        text = " ".join(msgid.split())
        if text in ALLOWED or text in own_words or not re.search(r"[A-Za-z]{3}", text):
            continue
        found.add(text)
    return found


class _Text(HTMLParser):
    """Visible text nodes and the attributes people read (placeholder, title, labels)."""

    ATTRS = ("placeholder", "title", "aria-label", "alt")

    def __init__(self) -> None:
        super().__init__()
        self.chunks: list[str] = []
        self.links: list[str] = []
        self._skip = 0
        self._skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        # Text marked as another language on purpose (the vocabulary's label columns)
        # is not a leak; <html lang> itself is the page's language.
        if tag in {"script", "style", "code", "pre"} or (tag != "html" and values.get("lang")):
            self._skip += 1
            self._skipping.append(tag)
        for name in self.ATTRS:
            if values.get(name):
                self.chunks.append(str(values[name]))
        if tag == "input" and values.get("type") in {"submit", "button"} and values.get("value"):
            self.chunks.append(str(values["value"]))
        if tag == "a" and values.get("href"):
            self.links.append(str(values["href"]))

    def handle_endtag(self, tag: str) -> None:
        if self._skipping and self._skipping[-1] == tag:
            self._skipping.pop()
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.chunks.append(data)


def leaks(html: str, english: set[str]) -> tuple[list[str], list[str]]:
    parser = _Text()
    parser.feed(html)
    found = []
    for chunk in parser.chunks:
        text = " ".join(chunk.split()).strip(" :*·–-")
        if text in english:
            found.append(text)
    return found, parser.links


def url_name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return f"{match.namespace}:{match.url_name}"


def crawl(client: Client, start: list[str], english: set[str], seen: set[str]) -> list[str]:
    """Breadth-first over same-site links; returns 'page: string' for each leak."""
    problems: list[str] = []
    queue = deque(start)
    visited: set[str] = set()
    while queue and len(seen) < PAGES_PER_LANGUAGE:
        path = queue.popleft()
        name = url_name(path)
        if path in visited or name is None or SKIP_PATH.search(path):
            continue
        visited.add(path)
        if name in seen and path not in start:
            continue
        seen.add(name)
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        found, links = leaks(response.content.decode(), english)
        problems += [f"{path}: {text!r}" for text in found]
        for link in links:
            target = urldefrag(link)[0]
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return problems


@pytest.fixture
def documented(world: World) -> World:
    """A little of everything: incidents, people, cases, tasks; reports in the inbox."""
    call_command(
        "demo_incidents",
        org=world.org.slug,
        incidents=12,
        phrase=world.phrase,
        seed=7,
        force=True,
        stdout=StringIO(),
    )
    from vigil.intake.demo import create_demo_reports

    create_demo_reports()
    return world


@pytest.mark.parametrize("language", ENABLED)
def test_it_shows_no_english_on_any_staff_or_public_page(documented: World, language: str) -> None:
    english = english_strings(language)
    assert len(english) > 500  # the catalogue was read: the test can fail
    seen: set[str] = set()
    problems: list[str] = []
    for role in Role.values:
        client = Client()
        sign_in(client, documented[role])
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        problems += [f"[{role}] {p}" for p in crawl(client, ["/"], english, seen)]
    public = Client()
    public.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    problems += [f"[public] {p}" for p in crawl(public, ["/report/"], english, seen)]
    # The public pages speak the language asked for (every language is offered).
    page = public.get(f"/report/{documented.org.slug}/").content.decode()
    assert f'<html lang="{language}">' in page
    assert len(seen) > 20  # the crawl reached the application, not only the home page
    assert problems == [], "\n".join(sorted(set(problems)))


def test_it_finds_an_english_string_left_in_a_page() -> None:
    """The detector itself: an untranslated label is found, a translated one is not."""
    english = english_strings("ru")
    assert "Closures waiting for approval" in english
    html = (
        '<p>Closures waiting for approval</p><input placeholder="Name of the network">'
        "<p>Закрытий ждут утверждения</p><p>OST</p>"
    )
    found, _links = leaks(html, english)
    assert found == ["Closures waiting for approval", "Name of the network"]


def test_every_enabled_language_is_crawled() -> None:
    assert ENABLED == ["ru", "uk", "ro", "ka", "kk", "ky", "be"]
