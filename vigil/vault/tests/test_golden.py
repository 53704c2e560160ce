"""Today's code still opens ciphertexts written in the formats of the day they were made.

The fixtures under ``golden/`` are committed; never regenerate them to make
this test pass (that would hide the break from every database already stored).
"""

from __future__ import annotations

import io
import json

import pytest
from django.test import override_settings

from vigil.intake import receipts
from vigil.vault import crypto
from vigil.vault.tests.golden import make_golden as g

GOLDEN = json.loads((g.HERE / "golden.json").read_text())


def blob(name: str) -> bytes:
    return bytes.fromhex(GOLDEN[name])


def data_key() -> bytes:
    return crypto.unseal(g.ORG_PRIVATE, blob("sealed_data_key"))


def test_it_opens_the_organisation_key_from_the_recovery_phrase() -> None:
    opened = crypto.decrypt(crypto.recovery_key(g.RECOVERY_PHRASE), blob("recovery_wrapped"))
    assert opened == g.ORG_PRIVATE
    assert crypto.public_of(opened) == blob("org_public")


def test_it_opens_a_wrapped_member_key_and_its_key_grant() -> None:
    kek = crypto.password_key(g.MEMBER_PASSWORD, g.MEMBER_SALT, *g.MEMBER_KDF)
    member_private = crypto.decrypt(kek, blob("member_wrapped_private"))
    assert crypto.public_of(member_private) == blob("member_public")
    assert crypto.unseal(member_private, blob("key_grant")) == g.ORG_PRIVATE


def test_it_opens_sealed_text_and_json() -> None:
    key = data_key()
    assert crypto.decrypt_text(key, blob("sealed_text")) == g.TEXT
    assert crypto.decrypt_json(key, blob("sealed_json")) == g.JSON_VALUE


def test_it_opens_an_encrypted_file_stream() -> None:
    stored = (g.HERE / "file.vgf").read_bytes()
    plain = b"".join(crypto.decrypt_stream(data_key(), io.BytesIO(stored)))
    assert plain == g.FILE_PLAIN
    assert crypto.sha256_hex(plain) == GOLDEN["file_sha256"]


@override_settings(**g.RECEIPT_SETTINGS)
def test_a_receipt_still_finds_and_opens_its_thread() -> None:
    derived = receipts.derive(g.RECEIPT)
    assert derived.lookup == GOLDEN["receipt_lookup"]
    thread_key = crypto.decrypt(derived.wrap_key, blob("receipt_wrapped_thread_key"))
    assert crypto.unseal(g.ORG_PRIVATE, blob("sealed_to_org_thread_key")) == thread_key
    assert crypto.decrypt_text(thread_key, blob("thread_message")) == g.MESSAGE


@pytest.mark.parametrize(("kind", "value", "expected"), GOLDEN["blind_indexes"])
def test_a_blind_index_still_matches(kind: str, value: str, expected: str) -> None:
    index_key = crypto.blind_index_key(g.ORG_PRIVATE)
    assert crypto.blind_index(index_key, kind, value) == expected


def test_a_flipped_byte_in_a_golden_ciphertext_is_refused() -> None:
    """The check has teeth: the fixtures are real ciphertexts, not plaintext."""
    tampered = bytearray(blob("sealed_text"))
    tampered[-1] ^= 1
    with pytest.raises(crypto.CryptoError):
        crypto.decrypt_text(data_key(), bytes(tampered))
