"""Write the golden ciphertexts of today's formats (run once per format change).

    VIGIL_TESTING=1 .venv/bin/python -m vigil.vault.tests.golden.make_golden

Every value is made with the code of the day from fixed test keys and
written to ``golden.json`` (hex) and ``file.vgf`` (an encrypted file stream).
``test_golden.py`` checks that the code still opens them: a change that
breaks a stored format (a new nonce layout, another KDF parameter, a changed
normalisation) fails there instead of in a seized-then-restored database.
The keys here are test material, printed in the open on purpose.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ORG_PRIVATE = bytes(range(1, 33))
MEMBER_PASSWORD = "golden member password"
MEMBER_SALT = bytes(range(100, 116))
MEMBER_KDF = (1, 8192)
RECOVERY_PHRASE = (
    "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
    "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
    "abandon abandon abandon art"
)
RECEIPT = "4471202600150007"
# Receipt settings the generator and the test share (override_settings).
RECEIPT_SETTINGS: dict[str, Any] = {
    "RECEIPT_PEPPER": "golden receipt pepper",
    "RECEIPT_WRAP_PEPPER": "golden receipt wrap pepper",
    "RECEIPT_KDF_OPSLIMIT": 1,
    "RECEIPT_KDF_MEMLIMIT": 8192,
}
TEXT = "Олена Коваль, жетон КВ-4471, Харків"
JSON_VALUE = {"legal_name": "Олена Коваль", "phone": "+380 50 111 2233", "acts": [1, 2]}
MESSAGE = "Я вспомнила номер машины: АА 1234 ВВ"
# Two frames and a short last one: 64 KiB chunks, then the rest.
FILE_PLAIN = bytes((i * 7 + 3) % 256 for i in range(64 * 1024 + 1000))
INDEXED = [("name", "Олена  КОВАЛЬ"), ("phone", "+380 (50) 111-22-33"), ("badge", "кв 4471")]


def generate() -> dict[str, Any]:
    from django.test import override_settings

    from vigil.intake import receipts
    from vigil.vault import crypto

    org_public = crypto.public_of(ORG_PRIVATE)
    member_private, member_public = crypto.new_keypair()
    data_key = crypto.new_key()
    thread_key = crypto.new_key()
    with override_settings(**RECEIPT_SETTINGS):
        derived = receipts.derive(RECEIPT)
    index_key = crypto.blind_index_key(ORG_PRIVATE)
    kek = crypto.password_key(MEMBER_PASSWORD, MEMBER_SALT, *MEMBER_KDF)
    (HERE / "file.vgf").write_bytes(b"".join(crypto.encrypt_stream(data_key, [FILE_PLAIN])))
    values = {
        "org_public": org_public,
        "recovery_wrapped": crypto.encrypt(crypto.recovery_key(RECOVERY_PHRASE), ORG_PRIVATE),
        "member_public": member_public,
        "member_wrapped_private": crypto.encrypt(kek, member_private),
        "key_grant": crypto.seal_to(member_public, ORG_PRIVATE),
        "sealed_data_key": crypto.seal_to(org_public, data_key),
        "sealed_text": crypto.encrypt_text(data_key, TEXT),
        "sealed_json": crypto.encrypt_json(data_key, JSON_VALUE),
        "receipt_wrapped_thread_key": crypto.encrypt(derived.wrap_key, thread_key),
        "sealed_to_org_thread_key": crypto.seal_to(org_public, thread_key),
        "thread_message": crypto.encrypt_text(thread_key, MESSAGE),
    }
    golden: dict[str, Any] = {k: v.hex() for k, v in values.items()}
    golden["receipt_lookup"] = derived.lookup
    golden["file_sha256"] = crypto.sha256_hex(FILE_PLAIN)
    golden["blind_indexes"] = [[k, v, crypto.blind_index(index_key, k, v)] for k, v in INDEXED]
    return golden


def main() -> None:
    import django

    django.setup()
    golden = generate()
    (HERE / "golden.json").write_text(json.dumps(golden, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {HERE / 'golden.json'} and {HERE / 'file.vgf'}")


if __name__ == "__main__":
    main()
