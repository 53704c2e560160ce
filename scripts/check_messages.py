"""Fail when the translation catalogues are not current and complete.

1. Every translatable string in the code is in the committed catalogues
   (makemessages would add nothing).
2. Russian and Ukrainian have no untranslated or fuzzy entry.
3. The committed .mo files are what the committed .po files compile to.

The working tree is restored afterwards, whatever happens.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "vigil" / "locale"
COMPLETE = ["ru", "uk"]
LANGUAGES = ["en", *COMPLETE]
MSGID = re.compile(r'^msgid "(.*)"$')


def msgids(po: Path) -> set[str]:
    ids, current, in_id = set(), "", False
    for line in po.read_text(encoding="utf-8").splitlines():
        match = MSGID.match(line)
        if match:
            current, in_id = match.group(1), True
        elif in_id and line.startswith('"'):
            current += line[1:-1]
        else:
            if in_id and current:
                ids.add(current)
            in_id = False
    return ids


def run(*command: str, cwd: Path = ROOT) -> str:
    return subprocess.run(command, cwd=cwd, check=True, capture_output=True, text=True).stdout  # noqa: S603


def main() -> int:
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        backup = Path(tmp) / "locale"
        shutil.copytree(LOCALE, backup)
        try:
            manage = [sys.executable, str(ROOT / "manage.py")]
            run(
                *manage,
                "makemessages",
                "--no-location",
                "--no-obsolete",
                *[f"-l{lang}" for lang in LANGUAGES],
                cwd=ROOT / "vigil",
            )
            for lang in LANGUAGES:
                po = f"{lang}/LC_MESSAGES/django.po"
                missing = msgids(LOCALE / po) - msgids(backup / po)
                for text in sorted(missing)[:20]:
                    problems.append(f"{lang}: not in the catalogue (run make messages): {text!r}")
        finally:
            shutil.rmtree(LOCALE)
            shutil.copytree(backup, LOCALE)
        for lang in COMPLETE:
            po = LOCALE / lang / "LC_MESSAGES" / "django.po"
            for flag in ("--untranslated", "--only-fuzzy"):
                out = run("msgattrib", flag, "--no-obsolete", str(po))
                entries = [m for m in msgids_from_text(out) if m]
                for text in entries[:20]:
                    problems.append(f"{lang}: {flag.strip('-')} entry: {text!r}")
        for lang in LANGUAGES:
            po = LOCALE / lang / "LC_MESSAGES" / "django.po"
            mo = po.with_suffix(".mo")
            fresh = Path(tmp) / f"{lang}.mo"
            run("msgfmt", "--check-format", "-o", str(fresh), str(po))
            if not mo.exists() or mo.read_bytes() != fresh.read_bytes():
                problems.append(f"{lang}: {mo.relative_to(ROOT)} is stale (run make messages)")
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"translation catalogues: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    print("translation catalogues are current and complete")
    return 0


def msgids_from_text(text: str) -> list[str]:
    with tempfile.NamedTemporaryFile("w", suffix=".po", delete=False, encoding="utf-8") as handle:
        handle.write(text)
    try:
        return sorted(msgids(Path(handle.name)))
    finally:
        Path(handle.name).unlink()


if __name__ == "__main__":
    sys.exit(main())
