"""Officer identities and the opaque ids that name them in URLs.

An identity is (kind, blind index, region): badge and name are read within a
region (the same badge number is issued in every region), plate and phone are
national. URLs carry an opaque token instead: the identity encrypted
deterministically (the nonce is a keyed hash of it) under a key derived from
the server secret and the organisation. A token therefore never shows the
blind index that the database holds, is the same on every visit (bookmarks,
history), and is meaningless in another organisation.
"""

from __future__ import annotations

import base64
import binascii
import functools
from dataclasses import dataclass

import nacl.encoding
import nacl.exceptions
import nacl.hash
import nacl.secret
from django.conf import settings

KINDS = ("badge", "name", "plate", "phone", "person")
REGIONAL = frozenset({"badge", "name", "person"})
# Perpetrator column per kind; "person" exists only in external registers.
PERPETRATOR_COLUMNS = {
    "badge": "badge_bidx",
    "name": "name_bidx",
    "plate": "plate_bidx",
    "phone": "phone_bidx",
}


@dataclass(frozen=True, order=True)
class Identity:
    kind: str
    bidx: str
    region: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS or not self.bidx:
            raise ValueError("not an officer identity")
        if self.kind not in REGIONAL and self.region:
            raise ValueError("plates and phones are national")


@functools.lru_cache(maxsize=64)
def _key(organisation_id: int) -> bytes:
    return nacl.hash.blake2b(
        f"{settings.SECRET_KEY}\x00{organisation_id}".encode(),
        digest_size=nacl.secret.SecretBox.KEY_SIZE,
        person=b"vigil-officer",
        encoder=nacl.encoding.RawEncoder,
    )


def token(organisation_id: int, identity: Identity) -> str:
    key = _key(organisation_id)
    plain = f"{identity.kind}\x00{identity.bidx}\x00{identity.region}".encode()
    nonce = nacl.hash.blake2b(
        plain,
        key=key,
        digest_size=nacl.secret.SecretBox.NONCE_SIZE,
        encoder=nacl.encoding.RawEncoder,
    )
    sealed = nacl.secret.SecretBox(key).encrypt(plain, nonce)
    return base64.urlsafe_b64encode(bytes(sealed)).decode().rstrip("=")


def from_token(organisation_id: int, value: str) -> Identity | None:
    """The identity of a token of this organisation; None for anything else."""
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
        plain = nacl.secret.SecretBox(_key(organisation_id)).decrypt(raw)
        kind, bidx, region = plain.decode().split("\x00")
        return Identity(kind, bidx, region)
    except (binascii.Error, nacl.exceptions.CryptoError, ValueError, UnicodeDecodeError):
        return None
