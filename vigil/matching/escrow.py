"""The entry construction and the counsel's reconstruction (Callisto, Rajan et al. 2018).

From the OPRF output of an identifier both sides derive, independently:
the tag (what the service groups by), the polynomial f of degree t-1 over
the ristretto255 scalar field, and the entry key k = H(f(0)). An organisation
at share point x (fixed by the service) seals (f(x), content under k) to the
counsel's public key. t entries from distinct points give f(0), hence k;
fewer give nothing, and two entries from one point count once.
"""

from __future__ import annotations

import base64
import itertools
import json
from dataclasses import dataclass, field
from typing import Any

import nacl.encoding
import nacl.hash

from matchsvc.oprf import ORDER, int_to_scalar, scalar_to_int
from vigil.vault import crypto

# Bound on the subsets tried per group: C(12, 2) = 66 at t = 2, plenty for the
# group sizes a network sees, and a hostile service cannot make the counsel spin.
MAX_SUBSETS = 5000


def _h(data: bytes, person: bytes, size: int) -> bytes:
    return nacl.hash.blake2b(
        data, digest_size=size, person=person, encoder=nacl.encoding.RawEncoder
    )


def _reduce(data: bytes) -> int:
    return int.from_bytes(data, "little") % ORDER


@dataclass(frozen=True)
class Derived:
    tag: bytes
    coefficients: tuple[int, ...]

    @property
    def key(self) -> bytes:
        return entry_key(self.coefficients[0])

    def share(self, point: int) -> int:
        return evaluate(self.coefficients, point)


def derive(prf_output: bytes, threshold: int) -> Derived:
    if threshold < 2:
        raise ValueError("a threshold below 2 would let one organisation reveal alone")
    tag = _h(prf_output, b"vigil-mt-tag", 32)
    coefficients = tuple(
        _reduce(_h(prf_output, f"vigil-mt-c{i}".encode(), 64)) for i in range(threshold)
    )
    return Derived(tag, coefficients)


def entry_key(secret: int) -> bytes:
    return _h(int_to_scalar(secret), b"vigil-mt-key", crypto.KEY_BYTES)


def evaluate(coefficients: tuple[int, ...] | list[int], point: int) -> int:
    value = 0
    for coefficient in reversed(coefficients):
        value = (value * point + coefficient) % ORDER
    return value


def reconstruct(shares: list[tuple[int, int]]) -> int:
    """Lagrange interpolation at 0 from (x, y) pairs with distinct non-zero x."""
    points = [x % ORDER for x, _ in shares]
    if len(set(points)) != len(points) or 0 in points:
        raise ValueError("share points must be distinct and non-zero")
    secret = 0
    for i, (xi, yi) in enumerate(shares):
        numerator, denominator = 1, 1
        for j, (xj, _) in enumerate(shares):
            if i != j:
                numerator = numerator * (-xj) % ORDER
                denominator = denominator * (xi - xj) % ORDER
        secret = (secret + yi * numerator * pow(denominator, -1, ORDER)) % ORDER
    return secret


def seal_entry(
    counsel_public: bytes, derived: Derived, point: int, content: dict[str, Any]
) -> bytes:
    inner = {
        "y": int_to_scalar(derived.share(point)).hex(),
        "box": base64.b64encode(crypto.encrypt_json(derived.key, content)).decode(),
    }
    return crypto.seal_to(counsel_public, json.dumps(inner).encode())


@dataclass(frozen=True)
class Share:
    entry_id: int
    point: int
    y: int
    box: bytes
    month: str


@dataclass
class OpenedGroup:
    entries: list[dict[str, Any]] = field(default_factory=list)
    unreadable: int = 0


def _unseal_share(counsel_private: bytes, entry: dict[str, Any]) -> Share | None:
    """A share whose envelope, scalar or point is malformed is a forgery: skip it."""
    try:
        inner = json.loads(crypto.unseal(counsel_private, base64.b64decode(entry["sealed"])))
        y_bytes = bytes.fromhex(inner["y"])
        box = base64.b64decode(inner["box"])
        point = int(entry["point"])
    except (crypto.CryptoError, ValueError, KeyError, TypeError):
        return None
    y = scalar_to_int(y_bytes)
    if len(y_bytes) != 32 or y >= ORDER or not 0 < point < ORDER:
        return None
    return Share(int(entry["id"]), point, y, box, str(entry.get("month", "")))


def _try_key(subset: tuple[Share, ...]) -> bytes | None:
    try:
        key = entry_key(reconstruct([(s.point, s.y) for s in subset]))
        for share in subset:
            crypto.decrypt(key, share.box)
    except (ValueError, crypto.CryptoError):
        return None
    return key


def open_group(
    counsel_private: bytes, entries: list[dict[str, Any]], threshold: int
) -> OpenedGroup:
    """Open a group's entries, or none. A subset of t shares from distinct points
    is accepted only if every entry in it decrypts (authenticated), so forged
    shares can make a subset fail but never block one made of genuine shares."""
    shares = [s for s in (_unseal_share(counsel_private, e) for e in entries) if s is not None]
    key = None
    subsets = itertools.combinations(shares, threshold)
    for subset in itertools.islice(subsets, MAX_SUBSETS):
        if len({s.point for s in subset}) < threshold:
            continue
        key = _try_key(subset)
        if key is not None:
            break
    opened = OpenedGroup()
    if key is None:
        opened.unreadable = len(entries)
        return opened
    for share in shares:
        try:
            content = crypto.decrypt_json(key, share.box)
        except crypto.CryptoError:
            continue
        opened.entries.append({**content, "entry_id": share.entry_id, "point": share.point})
    opened.unreadable = len(entries) - len(opened.entries)
    return opened
