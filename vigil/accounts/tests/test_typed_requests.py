"""Staff views use the typed StaffRequest, and CI type-checks the project.

The mistake caught: a view reaching ``request.membership`` or ``request.vault``
through ``# type: ignore``, which also hides real typos in those names.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
IGNORED_REQUEST = re.compile(r"request\.(membership|vault|user)\b.*# type: ignore")


def test_no_request_attribute_hides_behind_type_ignore() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "vigil").rglob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if IGNORED_REQUEST.search(line)
    ]
    assert offenders == [], "annotate the view with StaffRequest: " + ", ".join(offenders)


def test_ci_runs_the_type_checker_after_lint() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^typecheck:.*\n\t.*mypy vigil", makefile, re.M)
    ci = (ROOT / ".ci" / "run").read_text()
    assert ci.index("make lint") < ci.index("make typecheck")
