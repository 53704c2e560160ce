"""The user guide's pictures are the ones scripts/screenshots.py takes, and exist."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
GUIDE = ROOT / "docs" / "user-guide.md"


def _script() -> Any:
    spec = importlib.util.spec_from_file_location(
        "screenshots", ROOT / "scripts" / "screenshots.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("screenshots", module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_every_picture_of_the_guide_is_taken_by_the_script_and_committed() -> None:
    referenced = re.findall(r"!\[[^\]]+\]\(img/([^)]+)\)", GUIDE.read_text(encoding="utf-8"))
    assert len(referenced) >= 10
    taken = {shot.image for shot in _script().PAGES}
    assert set(referenced) <= taken, set(referenced) - taken
    assert taken <= set(referenced), taken - set(referenced)  # no picture left unused
    for name in referenced:
        image = ROOT / "docs" / "img" / name
        assert image.is_file(), name
        assert image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert image.stat().st_size < 400_000, name  # kept small


def test_the_guide_links_no_missing_file() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    for target in re.findall(r"\]\((?!https?://|#|/)([^)\s]+)\)", text):
        assert (GUIDE.parent / target).exists(), target
