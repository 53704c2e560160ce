from __future__ import annotations

import io
import os

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from vigil.vault import crypto


def test_it_round_trips_text_and_json() -> None:
    key = crypto.new_key()
    assert (
        crypto.decrypt_text(key, crypto.encrypt_text(key, "Оксана, +380 50 123"))
        == "Оксана, +380 50 123"
    )
    value = {"name": "Наталія", "ids": [1, 2]}
    assert crypto.decrypt_json(key, crypto.encrypt_json(key, value)) == value


def test_it_fails_on_a_flipped_byte() -> None:
    key = crypto.new_key()
    blob = bytearray(crypto.encrypt_text(key, "narrative"))
    blob[-1] ^= 0x01
    with pytest.raises(crypto.CryptoError):
        crypto.decrypt(key, bytes(blob))


def test_it_fails_with_a_wrong_key() -> None:
    blob = crypto.encrypt_text(crypto.new_key(), "narrative")
    with pytest.raises(crypto.CryptoError):
        crypto.decrypt(crypto.new_key(), blob)


def test_it_seals_to_a_public_key_only_its_private_key_opens() -> None:
    private, public = crypto.new_keypair()
    other_private, _ = crypto.new_keypair()
    sealed = crypto.seal_to(public, b"data key")
    assert crypto.unseal(private, sealed) == b"data key"
    with pytest.raises(crypto.CryptoError):
        crypto.unseal(other_private, sealed)


def _encrypt_file(key: bytes, data: bytes) -> bytes:
    return b"".join(
        crypto.encrypt_stream(key, [data[i : i + 10_000] for i in range(0, len(data), 10_000)])
    )


@hsettings(max_examples=25, deadline=None)
@given(st.binary(min_size=0, max_size=3 * crypto.FILE_CHUNK + 17))
def test_it_streams_files_of_any_size(data: bytes) -> None:
    key = crypto.new_key()
    encrypted = _encrypt_file(key, data)
    assert b"".join(crypto.decrypt_stream(key, io.BytesIO(encrypted))) == data


@pytest.mark.parametrize("cut", [1, 100, crypto.FILE_CHUNK, crypto.FILE_CHUNK + 4 + 17 + 16])
def test_it_detects_a_truncated_file(cut: int) -> None:
    key = crypto.new_key()
    encrypted = _encrypt_file(key, os.urandom(3 * crypto.FILE_CHUNK))
    with pytest.raises(crypto.CryptoError):
        b"".join(crypto.decrypt_stream(key, io.BytesIO(encrypted[:-cut])))


def test_it_detects_a_file_cut_exactly_at_a_frame_boundary() -> None:
    key = crypto.new_key()
    frames = list(crypto.encrypt_stream(key, [os.urandom(3 * crypto.FILE_CHUNK)]))
    without_last = b"".join(frames[:-1])
    with pytest.raises(crypto.CryptoError, match="truncated"):
        b"".join(crypto.decrypt_stream(key, io.BytesIO(without_last)))


def test_it_detects_a_tampered_or_reordered_file() -> None:
    key = crypto.new_key()
    frames = list(crypto.encrypt_stream(key, [os.urandom(3 * crypto.FILE_CHUNK)]))
    swapped = frames[0] + frames[2] + frames[1] + b"".join(frames[3:])
    with pytest.raises(crypto.CryptoError):
        b"".join(crypto.decrypt_stream(key, io.BytesIO(swapped)))
    tampered = bytearray(b"".join(frames))
    tampered[len(frames[0]) + 10] ^= 0xFF
    with pytest.raises(crypto.CryptoError):
        b"".join(crypto.decrypt_stream(key, io.BytesIO(bytes(tampered))))


def test_it_rejects_a_wrong_recovery_phrase() -> None:
    phrase = crypto.new_recovery_phrase()
    words = phrase.split()
    assert len(words) == 24
    words[0], words[1] = words[1], words[0]
    with pytest.raises(crypto.CryptoError):
        crypto.recovery_key(" ".join(words))
    assert crypto.recovery_key(phrase.upper() + "  ") == crypto.recovery_key(phrase)


@pytest.mark.parametrize(
    ("kind", "a", "b"),
    [
        ("name", "Ivanova  Oksana", "ivanova oksana"),
        ("name", "Королёва", "королева"),
        ("phone", "+380 (50) 123-45-67", "380501234567"),
        ("plate", "А 123 ВС 77", "a123bc77"),
        ("badge", "ab-1234", "AB 1234"),
    ],
)
def test_it_matches_blind_indexes_after_normalising(kind: str, a: str, b: str) -> None:
    key = crypto.blind_index_key(crypto.new_key())
    assert crypto.blind_index(key, kind, a) == crypto.blind_index(key, kind, b)


def test_it_separates_blind_indexes_by_kind_and_key() -> None:
    org_key = crypto.new_key()
    key = crypto.blind_index_key(org_key)
    assert crypto.blind_index(key, "badge", "1234") != crypto.blind_index(key, "phone", "1234")
    other = crypto.blind_index_key(crypto.new_key())
    assert crypto.blind_index(key, "name", "Olga") != crypto.blind_index(other, "name", "Olga")
    assert crypto.blind_index(key, "name", "  ") == ""
