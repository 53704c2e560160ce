"""Cryptographic primitives of the key hierarchy (DESIGN.md section 5).

Everything here is pure functions over bytes on top of libsodium (PyNaCl);
models and sessions live elsewhere. Algorithms:

- key pairs: X25519; sealing to a public key: crypto_box_seal;
- symmetric values: XSalsa20-Poly1305 (SecretBox) under a per-record data key;
- password-derived keys: Argon2id with cost from settings;
- files: libsodium secretstream (XChaCha20-Poly1305) in authenticated chunks,
  whose final tag makes truncation detectable;
- blind indexes: keyed BLAKE2b (an HMAC-equivalent PRF) over normalised values.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import IO, Any

import nacl.bindings as sodium
import nacl.exceptions
import nacl.hash
import nacl.pwhash
import nacl.secret
import nacl.utils
import phonenumbers
from anyascii import anyascii
from django.conf import settings
from mnemonic import Mnemonic
from nacl.public import PrivateKey, PublicKey, SealedBox

KEY_BYTES = nacl.secret.SecretBox.KEY_SIZE
SALT_BYTES = nacl.pwhash.argon2id.SALTBYTES
FILE_CHUNK = 64 * 1024
FILE_MAGIC = b"VGF1"


class CryptoError(Exception):
    """Decryption failed: wrong key, tampered or truncated data."""


# --- key pairs and sealing ---------------------------------------------------


def new_keypair() -> tuple[bytes, bytes]:
    """Return (private, public) raw 32-byte keys."""
    key = PrivateKey.generate()
    return bytes(key), bytes(key.public_key)


def seal_to(public_key: bytes, plaintext: bytes) -> bytes:
    """Anonymous public-key encryption: anyone can seal, only the holder opens."""
    return SealedBox(PublicKey(public_key)).encrypt(plaintext)


def unseal(private_key: bytes, sealed: bytes) -> bytes:
    try:
        return SealedBox(PrivateKey(private_key)).decrypt(sealed)
    except nacl.exceptions.CryptoError as exc:
        raise CryptoError("cannot unseal") from exc


def public_of(private_key: bytes) -> bytes:
    return bytes(PrivateKey(private_key).public_key)


# --- symmetric values ---------------------------------------------------------


def new_key() -> bytes:
    return nacl.utils.random(KEY_BYTES)


def encrypt(key: bytes, plaintext: bytes) -> bytes:
    return bytes(nacl.secret.SecretBox(key).encrypt(plaintext))


def decrypt(key: bytes, ciphertext: bytes) -> bytes:
    try:
        return nacl.secret.SecretBox(key).decrypt(ciphertext)
    except nacl.exceptions.CryptoError as exc:
        raise CryptoError("cannot decrypt") from exc


def encrypt_text(key: bytes, text: str) -> bytes:
    return encrypt(key, text.encode("utf-8"))


def decrypt_text(key: bytes, ciphertext: bytes) -> str:
    return decrypt(key, ciphertext).decode("utf-8")


def encrypt_json(key: bytes, value: Any) -> bytes:
    return encrypt(key, json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode())


def decrypt_json(key: bytes, ciphertext: bytes) -> Any:
    return json.loads(decrypt(key, ciphertext))


# --- password-derived keys ----------------------------------------------------


def new_salt() -> bytes:
    return nacl.utils.random(SALT_BYTES)


def password_key(password: str, salt: bytes, opslimit: int, memlimit: int) -> bytes:
    """Argon2id; the cost is stored beside each wrapped key so it can be raised later."""
    return nacl.pwhash.argon2id.kdf(
        KEY_BYTES, password.encode("utf-8"), salt, opslimit=opslimit, memlimit=memlimit
    )


def kdf_cost() -> tuple[int, int]:
    return settings.VAULT_KDF_OPSLIMIT, settings.VAULT_KDF_MEMLIMIT


# --- recovery phrase ----------------------------------------------------------

_MNEMONIC = Mnemonic("english")


def new_recovery_phrase() -> str:
    """24 BIP-39 words: 256 bits of entropy, printable and checksummed."""
    return _MNEMONIC.generate(strength=256)


def normalise_phrase(phrase: str) -> str:
    return " ".join(phrase.lower().split())


def recovery_key(phrase: str) -> bytes:
    """The phrase carries 256 random bits, so a fast derivation is enough."""
    words = normalise_phrase(phrase)
    if not _MNEMONIC.check(words):
        raise CryptoError("invalid recovery phrase")
    entropy = bytes(_MNEMONIC.to_entropy(words))
    return nacl.hash.blake2b(
        entropy, digest_size=KEY_BYTES, person=b"vigil-recovery", encoder=nacl.encoding.RawEncoder
    )


# --- files --------------------------------------------------------------------


def encrypt_stream(key: bytes, chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Yield a header, then one authenticated frame per chunk.

    Frame: 4-byte big-endian length + secretstream ciphertext. The last frame
    carries TAG_FINAL, so a cut-off file fails to decrypt instead of looking
    complete. The plaintext chunks may be any size; frames are FILE_CHUNK max.
    """
    state = sodium.crypto_secretstream_xchacha20poly1305_state()
    header = sodium.crypto_secretstream_xchacha20poly1305_init_push(state, key)
    yield FILE_MAGIC + header
    pending = b""
    tag_message = sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE
    for chunk in chunks:
        pending += chunk
        while len(pending) > FILE_CHUNK:
            piece, pending = pending[:FILE_CHUNK], pending[FILE_CHUNK:]
            yield _frame(
                sodium.crypto_secretstream_xchacha20poly1305_push(state, piece, None, tag_message)
            )
    final = sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL
    yield _frame(sodium.crypto_secretstream_xchacha20poly1305_push(state, pending, None, final))


def _frame(ciphertext: bytes) -> bytes:
    return len(ciphertext).to_bytes(4, "big") + ciphertext


def decrypt_stream(key: bytes, source: IO[bytes]) -> Iterator[bytes]:
    """Yield plaintext chunks; raise CryptoError on tampering or truncation."""
    header_len = len(FILE_MAGIC) + sodium.crypto_secretstream_xchacha20poly1305_HEADERBYTES
    head = source.read(header_len)
    if len(head) != header_len or not head.startswith(FILE_MAGIC):
        raise CryptoError("not a Vigil encrypted file")
    state = sodium.crypto_secretstream_xchacha20poly1305_state()
    try:
        sodium.crypto_secretstream_xchacha20poly1305_init_pull(state, head[len(FILE_MAGIC) :], key)
    except nacl.exceptions.CryptoError as exc:
        raise CryptoError("bad file header") from exc
    final = sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL
    while True:
        size_bytes = source.read(4)
        if len(size_bytes) != 4:
            raise CryptoError("encrypted file is truncated")
        size = int.from_bytes(size_bytes, "big")
        frame = source.read(size)
        if len(frame) != size:
            raise CryptoError("encrypted file is truncated")
        try:
            plain, tag = sodium.crypto_secretstream_xchacha20poly1305_pull(state, frame, None)
        except nacl.exceptions.CryptoError as exc:
            raise CryptoError("encrypted file was modified") from exc
        yield plain
        if tag == final:
            if source.read(1):
                raise CryptoError("data after the end of the encrypted file")
            return


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- blind indexes ------------------------------------------------------------

# Cyrillic letters that look like Latin ones on licence plates and badges, so
# "А123ВС" typed on a Russian keyboard matches "A123BC" typed on an English one.
# Ukrainian І/Ї and the Kazakh Қ, Ү, Ұ, Һ, Ө look like (or are typed as) Latin letters too.
_LOOKALIKES = str.maketrans(
    "АВЕЁЄКМНОРСТУХІЇЈҚҮҰҺӨЅ",
    "ABEEEKMHOPCTYXIIJKYYHOS",
)
_NOT_PLATE = re.compile(r"[^0-9A-Z]")
# Digits stay: "Client 7" and "Client 8" are different people to whoever typed them.
_NOT_LETTER = re.compile(r"[^a-z0-9 ]+")
# Letters anyascii renders in a way no official transliteration uses.
_PRE_ASCII = str.maketrans({"ə": "a", "ә": "a", "ı": "i", "ñ": "n"})
# Variant spellings of one Cyrillic sound, folded to one class each, in this order
# (longest first, so "shch" is not read as "sh" + "ch"). Upper-case letters are
# classes: the input is lower case, so a class never collides with a letter.
_NAME_FOLDS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), repl)
    for pattern, repl in (
        (r"shch|sch|szcz|shtsch|shtch", "S"),  # Щ
        (r"sh|sz", "S"),  # Ш (folded with Щ: transliterations mix them up)
        (r"zh|rz", "Z"),  # Ж
        (r"tsch|tch|ch|cz", "C"),  # Ч
        (r"ph", "f"),
        (r"kh|gh|h", "g"),  # Х, Ғ and Ukrainian Г (h) against Russian Г (g)
        (r"ts|tz|c", "T"),  # Ц
        (r"ck|q", "k"),
        (r"x", "ks"),
        (r"w", "v"),
        (r"[yj]", "i"),  # Й, Ы, И (uk "y") and the y/i/j of Ю, Я, Є, Ї
        (r"^ie", "e"),  # Єрмак/Yermak against Ермак/Ermak
        (r"([a-zA-Z])\1+", r"\1"),  # doubled letters (not digits): Ivannov, Sergii
        (r"ei$", "i"),  # -ей/-ій: Sergei, Serhii
        (r"(?<=[oe])f$", "v"),  # -off/-eff: Smirnoff
    )
)


def _phone(text: str, region: str | None) -> str:
    """E.164 digits (no "+") when the number parses, else the digits as typed.

    A national number ("067 123 4567") needs the default region (the
    organisation's country); with none, digits written without "+" are read
    as already international, which is what they are when they begin with a
    country code.
    """
    digits = re.sub(r"\D", "", text)
    if not digits:
        return ""
    try:
        number = phonenumbers.parse(text, (region or "").upper() or None)
    except phonenumbers.NumberParseException:
        return digits
    if not phonenumbers.is_possible_number(number):
        return digits
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)[1:]


@functools.lru_cache(maxsize=65536)
def _plate(text: str) -> str:
    upper = text.upper().translate(_LOOKALIKES)
    # Letters with no Latin twin (Д, Б, Ж ...) are transliterated, never dropped.
    return _NOT_PLATE.sub("", anyascii(upper).upper())


@functools.lru_cache(maxsize=65536)
def name_skeleton(text: str) -> str:
    """A transliteration skeleton: Іванов, Ivanov and Iwanow give the same string.

    Deliberately lossy (a lawyer confirms a match by reading the sealed
    values); word order does not matter.
    """
    ascii_text = anyascii(text.casefold().translate(_PRE_ASCII)).lower()
    words = [_fold(word) for word in _NOT_LETTER.sub("", ascii_text.replace("-", " ")).split()]
    return " ".join(sorted(words))


@functools.lru_cache(maxsize=65536)
def _fold(word: str) -> str:
    # Per word: surnames and first names repeat far more than whole names do
    # (a register of 100,000 rows holds a few thousand of each).
    for pattern, repl in _NAME_FOLDS:
        word = pattern.sub(repl, word)
    return word


def normalise(kind: str, value: str, *, region: str | None = None) -> str:
    """The form a value is indexed under; ``region`` is the default country of phones."""
    text = unicodedata.normalize("NFKC", value).strip()
    if kind == "phone":
        return _phone(text, region)
    if kind in {"badge", "plate"}:
        return _plate(text)
    if kind in {"combined", "external_id"}:
        # Parts the caller normalised and joined itself, or an identifier from
        # another system that must match exactly (a name skeleton would fold
        # "R-0011" and "R-011" together).
        return text
    return name_skeleton(text)


def blind_index_key(org_private_key: bytes) -> bytes:
    """Derived from the organisation key: the server cannot compute indexes alone."""
    return nacl.hash.blake2b(
        org_private_key,
        digest_size=KEY_BYTES,
        person=b"vigil-bidx",
        encoder=nacl.encoding.RawEncoder,
    )


def blind_index(index_key: bytes, kind: str, value: str, *, region: str | None = None) -> str:
    """Hex PRF of the normalised value; empty values give an empty index."""
    normalised = normalise(kind, value, region=region)
    if not normalised:
        return ""
    # hashlib's BLAKE2b is libsodium's generichash, byte for byte, without the
    # binding's per-call checks (imports compute three indexes per row).
    return hashlib.blake2b(
        f"{kind}\x00{normalised}".encode(), key=index_key, digest_size=16
    ).hexdigest()
