"""Receipt codes: 16 digits, shown once, never stored or put in a URL.

One Argon2id pass over the digits (salted with a server pepper) gives a
secret; keyed BLAKE2b of it with two different peppers gives the lookup hash
and the key that wraps the thread key. A database without the peppers
reveals nothing; with them, each guess still costs an Argon2id run and
there are 10^16 receipts.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

import nacl.encoding
import nacl.hash
import nacl.pwhash
from django.conf import settings

DIGITS = 16


@dataclass(frozen=True)
class ReceiptKeys:
    lookup: str
    wrap_key: bytes


def new_receipt() -> str:
    return f"{secrets.randbelow(10**DIGITS):0{DIGITS}d}"


def normalise(text: str) -> str | None:
    digits = re.sub(r"[\s\-.]", "", text or "")
    return digits if re.fullmatch(rf"\d{{{DIGITS}}}", digits) else None


def grouped(receipt: str) -> str:
    return " ".join(receipt[i : i + 4] for i in range(0, DIGITS, 4))


def _pepper(name: str) -> bytes:
    configured: str = getattr(settings, name, "")
    source = configured or f"{name}:{settings.SECRET_KEY}"
    return nacl.hash.blake2b(source.encode(), digest_size=32, encoder=nacl.encoding.RawEncoder)


def derive(receipt: str) -> ReceiptKeys:
    salt = _pepper("RECEIPT_PEPPER")[: nacl.pwhash.argon2id.SALTBYTES]
    secret = nacl.pwhash.argon2id.kdf(
        32,
        receipt.encode(),
        salt,
        opslimit=settings.RECEIPT_KDF_OPSLIMIT,
        memlimit=settings.RECEIPT_KDF_MEMLIMIT,
    )
    lookup = nacl.hash.blake2b(
        secret, key=_pepper("RECEIPT_PEPPER"), digest_size=32, encoder=nacl.encoding.HexEncoder
    ).decode()
    wrap_key = nacl.hash.blake2b(
        secret, key=_pepper("RECEIPT_WRAP_PEPPER"), digest_size=32, encoder=nacl.encoding.RawEncoder
    )
    return ReceiptKeys(lookup, wrap_key)


def pending_lookup(browser_key: bytes) -> str:
    """Where the receipt waiting for this browser is filed (keyed BLAKE2b of its cookie key)."""
    return nacl.hash.blake2b(
        browser_key,
        key=_pepper("RECEIPT_PEPPER"),
        person=b"vigil-pending-rc",
        digest_size=32,
        encoder=nacl.encoding.HexEncoder,
    ).decode()
