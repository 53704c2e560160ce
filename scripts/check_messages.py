"""Fail when the translation catalogues are not current and complete.

1. Every translatable string in the code is in the committed catalogues
   (makemessages would add nothing).
2. Every enabled language (``settings.LANGUAGES`` but English) has no
   untranslated and no fuzzy entry, and no translation left identical to the
   English text, unless the text is on the allow-list
   (``scripts/messages_allowed.txt``: names, codes, units, URLs) or holds
   nothing but placeholders, numbers and punctuation.
3. The committed .mo files are what the committed .po files compile to.

The working tree is restored afterwards, whatever happens.

    python scripts/check_messages.py [--locale DIR] [--no-extract]
"""

from __future__ import annotations

import argparse
import ast
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "vigil" / "locale"
ALLOWED_FILE = Path(__file__).resolve().parent / "messages_allowed.txt"
SHOWN = 20  # problems shown per language and kind
# Placeholders of both kinds, HTML tags and entities: what is left is the text.
PLACEHOLDER = re.compile(
    r"%\([^)]*\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]|%[sdif%]|\{[^{}]*\}|<[^>]*>|&\w+;"
)
URL = re.compile(r"^(https?://|mailto:|/)\S*$")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str = ""
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values())

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags


_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")$")


def parse(po: Path) -> list[Entry]:
    """The entries of a .po file (the header, msgid "", is left out)."""
    entries: list[Entry] = []
    entry = Entry()
    target: tuple[str, int] | None = None
    started = False

    def finish() -> None:
        nonlocal entry, started, target
        if started and entry.msgid:
            entries.append(entry)
        entry, started, target = Entry(), False, None

    for raw in po.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        if not line:
            finish()
            continue
        if line.startswith("#,"):
            if started and target and target[0] == "msgstr":
                finish()
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue
        match = _KEYWORD.match(line)
        if match:
            keyword, index, text = match.groups()
            if keyword in ("msgctxt", "msgid") and target and target[0] == "msgstr":
                finish()
            started = True
            entry.obsolete = entry.obsolete or obsolete
            value = ast.literal_eval(text)
            if keyword.startswith("msgstr"):
                target = ("msgstr", int(index or 0))
                entry.msgstr[target[1]] = value
            else:
                target = (keyword, 0)
                setattr(entry, keyword, value)
        elif line.startswith('"') and target:
            value = ast.literal_eval(line)
            if target[0] == "msgstr":
                entry.msgstr[target[1]] += value
            else:
                setattr(entry, target[0], getattr(entry, target[0]) + value)
    finish()
    return entries


def read_allowed(path: Path = ALLOWED_FILE) -> dict[str, set[str]]:
    """Allow-list: ``text`` for every language, ``[ro] text`` for one language only."""
    allowed: dict[str, set[str]] = {"*": set()}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        match = re.match(r"^\[([a-z]{2,3})\] (.*)$", line)
        language, text = (match.group(1), match.group(2)) if match else ("*", line)
        allowed.setdefault(language, set()).add(text.strip())
    return allowed


def only_placeholders(text: str) -> bool:
    """Nothing a translator could change: placeholders, digits, punctuation, a URL."""
    rest = PLACEHOLDER.sub("", text).strip()
    return not re.search(r"[^\W\d_]", rest) or bool(URL.match(rest))


def identical(entry: Entry, language: str, allowed: dict[str, set[str]]) -> bool:
    """A translation left in English where a translator should have written one."""
    english = [entry.msgid, entry.msgid_plural] if entry.msgid_plural else [entry.msgid]
    forms = [entry.msgstr[i] for i in sorted(entry.msgstr)]
    if not forms or not all(form in english for form in forms):
        return False
    ok = allowed.get("*", set()) | allowed.get(language, set())
    return not (entry.msgid in ok or only_placeholders(entry.msgid))


def catalogue_problems(
    locale: Path, languages: list[str], allowed: dict[str, set[str]]
) -> list[str]:
    """Untranslated, fuzzy and identical-to-English entries of each language."""
    problems: list[str] = []
    for language in languages:
        po = locale / language / "LC_MESSAGES" / "django.po"
        if not po.exists():
            problems.append(f"{language}: no catalogue at {po}")
            continue
        kinds: dict[str, list[str]] = {"untranslated": [], "fuzzy": [], "identical": []}
        for entry in parse(po):
            if entry.obsolete:
                continue
            if entry.fuzzy:
                kinds["fuzzy"].append(entry.msgid)
            elif not entry.translated:
                kinds["untranslated"].append(entry.msgid)
            elif identical(entry, language, allowed):
                kinds["identical"].append(entry.msgid)
        for kind, texts in kinds.items():
            for text in texts[:SHOWN]:
                problems.append(f"{language}: {kind} entry: {text!r}")
            if len(texts) > SHOWN:
                problems.append(f"{language}: ... and {len(texts) - SHOWN} more {kind} entries")
    return problems


def run(*command: str, cwd: Path = ROOT) -> str:
    return subprocess.run(command, cwd=cwd, check=True, capture_output=True, text=True).stdout  # noqa: S603


def stale_mo(locale: Path, languages: list[str]) -> list[str]:
    """Languages whose committed .mo is not what their .po compiles to."""
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for language in languages:
            po = locale / language / "LC_MESSAGES" / "django.po"
            if not po.exists():
                continue
            mo = po.with_suffix(".mo")
            fresh = Path(tmp) / f"{language}.mo"
            run("msgfmt", "--check-format", "-o", str(fresh), str(po))
            if not mo.exists() or mo.read_bytes() != fresh.read_bytes():
                problems.append(f"{language}: {mo} is stale or missing (run make messages)")
    return problems


def missing_strings(languages: list[str]) -> list[str]:
    """Strings of the code that makemessages would add to the committed catalogues."""
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        backup = Path(tmp) / "locale"
        shutil.copytree(LOCALE, backup)
        try:
            run(
                sys.executable,
                str(ROOT / "manage.py"),
                "makemessages",
                "--no-location",
                "--no-obsolete",
                *[f"-l{language}" for language in languages],
                cwd=ROOT / "vigil",
            )
            for language in languages:
                po = Path(language) / "LC_MESSAGES" / "django.po"
                before = {e.msgid for e in parse(backup / po)} if (backup / po).exists() else set()
                missing = {e.msgid for e in parse(LOCALE / po)} - before
                for text in sorted(missing)[:SHOWN]:
                    problems.append(
                        f"{language}: not in the catalogue (run make messages): {text!r}"
                    )
        finally:
            shutil.rmtree(LOCALE)
            shutil.copytree(backup, LOCALE)
    return problems


def enabled_languages() -> list[str]:
    """``settings.LANGUAGES`` but English (the language of the msgids)."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vigil.settings")
    import django
    from django.conf import settings

    django.setup()
    return [code for code, _name in settings.LANGUAGES if code != "en"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--locale", type=Path, default=LOCALE, help="catalogue directory")
    parser.add_argument("--allowed", type=Path, default=ALLOWED_FILE, help="allow-list file")
    parser.add_argument(
        "--no-extract", action="store_true", help="skip the makemessages comparison"
    )
    options = parser.parse_args(argv)
    languages = enabled_languages()
    problems: list[str] = []
    if not options.no_extract:
        problems += missing_strings(["en", *languages])
    problems += catalogue_problems(options.locale, languages, read_allowed(options.allowed))
    problems += stale_mo(options.locale, ["en", *languages])
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"translation catalogues: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    print(f"translation catalogues are current and complete ({', '.join(languages)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
