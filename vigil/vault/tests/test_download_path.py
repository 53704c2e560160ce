"""No view streams a stored file except through vigil.vault.downloads."""

from __future__ import annotations

import re
from pathlib import Path

VIGIL = Path(__file__).resolve().parents[2]
# Built on request from aggregates, never stored: nothing to verify.
GENERATED_ON_REQUEST = {
    "stats/views.py",
    "stats/exports.py",
    "referrals/views_funnel.py",  # funnel CSV/XLSX through the stats writers
    "engagement/views/overview.py",  # engagement CSV/XLSX through the stats writers
}
# Stored advocacy reports (aggregates only) have no recorded SHA-256 yet.
KNOWN_UNVERIFIED = {"stats/views_report.py"}
RESPONSES = re.compile(r"\b(StreamingHttpResponse|FileResponse)\(")


def test_only_the_verified_path_builds_file_responses() -> None:
    offenders = []
    for path in sorted(VIGIL.rglob("*.py")):
        relative = path.relative_to(VIGIL).as_posix()
        if "/tests/" in relative or relative == "vault/downloads.py":
            continue
        if relative in GENERATED_ON_REQUEST | KNOWN_UNVERIFIED:
            continue
        if RESPONSES.search(path.read_text()):
            offenders.append(relative)
    assert offenders == []
