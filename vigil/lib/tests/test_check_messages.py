"""The catalogue checker of CI fails on each kind of problem, run on copies of a catalogue."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[3]

HEADER = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : "
"n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\\n"

"""
GOOD = """msgid "Save"
msgstr "Сохранить"

msgid "PDF"
msgstr "PDF"

msgid "%(count)s / %(total)s"
msgstr "%(count)s / %(total)s"

msgctxt "verb"
msgid "Close"
msgstr "Закрыть"

msgid "%(n)s case"
msgid_plural "%(n)s cases"
msgstr[0] "%(n)s дело"
msgstr[1] "%(n)s дела"
msgstr[2] "%(n)s дел"

msgid "A long"
" text"
msgstr "Длинный"
" текст"

#~ msgid "Gone"
#~ msgstr ""
"""


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "check_messages", ROOT / "scripts" / "check_messages.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["check_messages"] = module
    spec.loader.exec_module(module)
    return module


check = _load()


def _catalogue(tmp_path: Path, body: str, language: str = "ru") -> Path:
    folder = tmp_path / "locale" / language / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po = folder / "django.po"
    po.write_text(HEADER + body, encoding="utf-8")
    subprocess.run(["msgfmt", "-o", str(po.with_suffix(".mo")), str(po)], check=True)  # noqa: S603, S607
    return tmp_path / "locale"


def _allowed() -> dict[str, set[str]]:
    return check.read_allowed()


def test_a_complete_catalogue_passes(tmp_path: Path) -> None:
    locale = _catalogue(tmp_path, GOOD)
    assert check.catalogue_problems(locale, ["ru"], _allowed()) == []
    assert check.stale_mo(locale, ["ru"]) == []
    entries = {e.msgid: e for e in check.parse(locale / "ru" / "LC_MESSAGES" / "django.po")}
    assert entries["A long text"].msgstr == {0: "Длинный текст"}
    assert entries["Close"].msgctxt == "verb"
    assert entries["Gone"].obsolete


@pytest.mark.parametrize(
    ("planted", "expected"),
    [
        ('#, fuzzy\nmsgid "Delete"\nmsgstr "Удалить"\n', "ru: fuzzy entry: 'Delete'"),
        ('msgid "Delete"\nmsgstr ""\n', "ru: untranslated entry: 'Delete'"),
        ('msgid "Delete"\nmsgstr "Delete"\n', "ru: identical entry: 'Delete'"),
        (
            'msgid "%(n)s file"\nmsgid_plural "%(n)s files"\n'
            'msgstr[0] "%(n)s файл"\nmsgstr[1] ""\nmsgstr[2] "%(n)s файлов"\n',
            "ru: untranslated entry: '%(n)s file'",
        ),
        (
            'msgid "Open %(name)s"\nmsgstr "Open %(name)s"\n',
            "ru: identical entry: 'Open %(name)s'",
        ),
    ],
    ids=["fuzzy", "untranslated", "identical", "plural-form-missing", "identical-with-placeholder"],
)
def test_a_planted_problem_fails_the_check(tmp_path: Path, planted: str, expected: str) -> None:
    locale = _catalogue(tmp_path, GOOD + "\n" + planted)
    assert check.catalogue_problems(locale, ["ru"], _allowed()) == [expected]


def test_the_allow_list_can_allow_a_text_in_one_language_only(tmp_path: Path) -> None:
    allowed_file = tmp_path / "allowed.txt"
    allowed_file.write_text("# names\n[ro] Document\n", encoding="utf-8")
    allowed = check.read_allowed(allowed_file)
    body = 'msgid "Document"\nmsgstr "Document"\n'
    assert check.catalogue_problems(_catalogue(tmp_path / "a", body, "ro"), ["ro"], allowed) == []
    problems = check.catalogue_problems(_catalogue(tmp_path / "b", body, "ka"), ["ka"], allowed)
    assert problems == ["ka: identical entry: 'Document'"]


def test_a_stale_mo_fails_the_check(tmp_path: Path) -> None:
    locale = _catalogue(tmp_path, GOOD)
    po = locale / "ru" / "LC_MESSAGES" / "django.po"
    po.write_text(po.read_text(encoding="utf-8").replace("Сохранить", "Записать"), encoding="utf-8")
    assert check.stale_mo(locale, ["ru"]) == [
        f"ru: {po.with_suffix('.mo')} is stale or missing (run make messages)"
    ]
    po.with_suffix(".mo").unlink()
    assert len(check.stale_mo(locale, ["ru"])) == 1


def test_the_command_checks_every_enabled_language_and_exits_non_zero(tmp_path: Path) -> None:
    """Run as CI runs it, on a copy holding only Russian: the other languages are missing."""
    locale = _catalogue(tmp_path, GOOD)
    shutil.copytree(locale / "ru", locale / "en")
    result = subprocess.run(  # noqa: S603
        [
            sys.executable,
            str(ROOT / "scripts" / "check_messages.py"),
            "--no-extract",
            "--locale",
            str(locale),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"VIGIL_TESTING": "1", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 1
    for language in ("uk", "ro", "ka", "kk", "ky", "be"):
        assert f"{language}: no catalogue at" in result.stderr
    assert "ru:" not in result.stderr
