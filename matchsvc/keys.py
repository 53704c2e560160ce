"""The key file: one random OPRF seed per network, apart from the database.

The database can be backed up like any other; the key file is not (losing it
only means members re-enter their entries under a new key). A file readable by
group or others is refused, so a careless copy fails loudly.
"""

from __future__ import annotations

import json
import os
import secrets
import stat
from pathlib import Path

from matchsvc import oprf


class KeyFileError(Exception):
    pass


def _read(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise KeyFileError(f"{path} must be readable by its owner only (chmod 600)")
    data = json.loads(path.read_text())
    return dict(data.get("networks", {}))


def _write(path: Path, seeds: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        json.dump({"networks": seeds}, handle)
    os.replace(temporary, path)


def add_network(path: Path, network: str) -> None:
    seeds = _read(path)
    if network in seeds:
        raise KeyFileError(f"network {network} already has a key")
    seeds[network] = secrets.token_bytes(32).hex()
    _write(path, seeds)


def load(path: Path) -> dict[str, bytes]:
    """Network slug -> OPRF secret scalar, derived as RFC 9497 DeriveKeyPair does."""
    return {
        network: oprf.derive_key_pair(bytes.fromhex(seed), b"vigil-matching:" + network.encode())[0]
        for network, seed in _read(path).items()
    }
