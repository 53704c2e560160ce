"""RFC 9497 OPRF, mode 0 (base), ciphersuite ristretto255-SHA512, over libsodium.

Both sides use this module: the member organisation blinds and finalizes, the
service evaluates. Scalars and elements are their 32-byte libsodium encodings
(scalars little-endian), exactly as the RFC serialises them, so the RFC's
test vectors apply byte for byte.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pysodium

CONTEXT = b"OPRFV1-" + bytes([0]) + b"-ristretto255-SHA512"
SCALAR_BYTES = 32
ELEMENT_BYTES = 32
OUTPUT_BYTES = 64
# The group order of ristretto255.
ORDER = 2**252 + 27742317777372353535851937790883648493


class InvalidInput(ValueError):
    """An input hashes to the identity, or a received element is not a valid point."""


def _i2osp(value: int, length: int) -> bytes:
    return value.to_bytes(length, "big")


def expand_message_xmd(msg: bytes, dst: bytes, length: int) -> bytes:
    """RFC 9380 section 5.3.1 with SHA-512 (b = 64 bytes, block = 128 bytes)."""
    ell = -(-length // 64)
    if ell > 255 or length > 65535 or len(dst) > 255:
        raise ValueError("expand_message_xmd: requested length or DST too long")
    dst_prime = dst + _i2osp(len(dst), 1)
    msg_prime = bytes(128) + msg + _i2osp(length, 2) + _i2osp(0, 1) + dst_prime
    b0 = hashlib.sha512(msg_prime).digest()
    block = hashlib.sha512(b0 + _i2osp(1, 1) + dst_prime).digest()
    uniform = block
    for i in range(2, ell + 1):
        mixed = bytes(x ^ y for x, y in zip(b0, block, strict=True))
        block = hashlib.sha512(mixed + _i2osp(i, 1) + dst_prime).digest()
        uniform += block
    return uniform[:length]


def hash_to_group(msg: bytes) -> bytes:
    uniform = expand_message_xmd(msg, b"HashToGroup-" + CONTEXT, 64)
    return pysodium.crypto_core_ristretto255_from_hash(uniform)


def hash_to_scalar(msg: bytes, dst: bytes = b"HashToScalar-" + CONTEXT) -> bytes:
    return pysodium.crypto_core_ristretto255_scalar_reduce(expand_message_xmd(msg, dst, 64))


def scalar_to_int(scalar: bytes) -> int:
    return int.from_bytes(scalar, "little")


def int_to_scalar(value: int) -> bytes:
    return (value % ORDER).to_bytes(SCALAR_BYTES, "little")


def derive_key_pair(seed: bytes, info: bytes) -> tuple[bytes, bytes]:
    """DeriveKeyPair (RFC 9497 section 3.2.1): (skS, pkS) from a 32-byte seed."""
    derive_input = seed + _i2osp(len(info), 2) + info
    for counter in range(256):
        secret = hash_to_scalar(derive_input + _i2osp(counter, 1), b"DeriveKeyPair" + CONTEXT)
        if scalar_to_int(secret) != 0:
            return secret, pysodium.crypto_scalarmult_ristretto255_base(secret)
    raise ValueError("DeriveKeyPair: no valid key")  # probability 2^-2000


def deserialize_element(data: bytes) -> bytes:
    """Refuse anything but the canonical encoding of a non-identity point."""
    if len(data) != ELEMENT_BYTES or not pysodium.crypto_core_ristretto255_is_valid_point(data):
        raise InvalidInput("not a valid ristretto255 element")
    if data == bytes(ELEMENT_BYTES):
        raise InvalidInput("the identity element is not accepted")
    return data


@dataclass(frozen=True)
class Blinded:
    blind: bytes
    element: bytes


def blind(value: bytes, blind_scalar: bytes | None = None) -> Blinded:
    """Client: hide the input. ``blind_scalar`` is only given by the test vectors."""
    scalar = blind_scalar or pysodium.crypto_core_ristretto255_scalar_random()
    input_element = hash_to_group(value)
    if input_element == bytes(ELEMENT_BYTES):
        raise InvalidInput("input hashes to the identity")
    return Blinded(scalar, pysodium.crypto_scalarmult_ristretto255(scalar, input_element))


def blind_evaluate(secret: bytes, blinded_element: bytes) -> bytes:
    """Server: multiply the (validated) blinded element by the secret key."""
    element = deserialize_element(blinded_element)
    try:
        return pysodium.crypto_scalarmult_ristretto255(secret, element)
    except ValueError as exc:
        raise InvalidInput("evaluation failed") from exc


def finalize(value: bytes, blind_scalar: bytes, evaluated_element: bytes) -> bytes:
    """Client: unblind and hash into the 64-byte PRF output."""
    element = deserialize_element(evaluated_element)
    inverse = pysodium.crypto_core_ristretto255_scalar_invert(blind_scalar)
    unblinded = pysodium.crypto_scalarmult_ristretto255(inverse, element)
    hash_input = _i2osp(len(value), 2) + value + _i2osp(len(unblinded), 2) + unblinded + b"Finalize"
    return hashlib.sha512(hash_input).digest()


def evaluate(secret: bytes, value: bytes) -> bytes:
    """The PRF computed directly by the key holder (tests, benchmark baseline)."""
    element = hash_to_group(value)
    issued = pysodium.crypto_scalarmult_ristretto255(secret, element)
    hash_input = _i2osp(len(value), 2) + value + _i2osp(len(issued), 2) + issued + b"Finalize"
    return hashlib.sha512(hash_input).digest()
