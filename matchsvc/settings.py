"""Settings of the matching service, from its own environment (never Vigil's).

MATCHSVC_DATABASE   SQLite file of the service (tags, sealed entries, months, members)
MATCHSVC_KEY_FILE   JSON file of the per-network OPRF seeds, mode 0600, kept out of backups
MATCHSVC_THRESHOLD  distinct organisations whose entries reveal a match (default 2)
MATCHSVC_DAILY_QUOTA evaluations per organisation per UTC day (default 500)
MATCHSVC_SMTP_HOST / MATCHSVC_SMTP_PORT / MATCHSVC_MAIL_FROM  where notices go out
MATCHSVC_REVIEW_URL the counsel's page in Vigil, the only thing a notice links to
MATCHSVC_LANGUAGE   language of the notices: en (default), ru or uk
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


class ConfigError(Exception):
    pass


@dataclass(frozen=True)
class Config:
    database: Path
    key_file: Path
    threshold: int = 2
    daily_quota: int = 500
    smtp_host: str = ""
    smtp_port: int = 25
    mail_from: str = "matching@localhost"
    review_url: str = ""
    language: str = "en"
    max_batch: int = 50
    max_sealed_bytes: int = 4096


def _int(name: str, default: int, minimum: int) -> int:
    raw = os.environ.get(name, "")
    try:
        value = int(raw) if raw else default
    except ValueError as exc:
        raise ConfigError(f"{name} must be an integer") from exc
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}")
    return value


def _language() -> str:
    value = os.environ.get("MATCHSVC_LANGUAGE", "en")
    if value not in {"en", "ru", "uk"}:
        raise ConfigError("MATCHSVC_LANGUAGE must be en, ru or uk")
    return value


def from_env() -> Config:
    base = Path(os.environ.get("MATCHSVC_DIR", "var/matchsvc"))
    return Config(
        database=Path(os.environ.get("MATCHSVC_DATABASE", str(base / "matchsvc.sqlite3"))),
        key_file=Path(os.environ.get("MATCHSVC_KEY_FILE", str(base / "oprf-keys.json"))),
        # One organisation must never reveal alone, so 2 is the floor.
        threshold=_int("MATCHSVC_THRESHOLD", 2, 2),
        daily_quota=_int("MATCHSVC_DAILY_QUOTA", 500, 1),
        smtp_host=os.environ.get("MATCHSVC_SMTP_HOST", ""),
        smtp_port=_int("MATCHSVC_SMTP_PORT", 25, 1),
        mail_from=os.environ.get("MATCHSVC_MAIL_FROM", "matching@localhost"),
        # The counsel's page in Vigil, e.g. https://vigil.example.org/matching/counsel/
        review_url=os.environ.get("MATCHSVC_REVIEW_URL", ""),
        language=_language(),
    )
