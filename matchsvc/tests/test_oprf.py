"""RFC 9497 appendix A.1.1: OPRF(ristretto255, SHA-512), mode 0, byte for byte."""

from __future__ import annotations

import pytest

from matchsvc import oprf

SEED = bytes.fromhex("a3" * 32)
KEY_INFO = bytes.fromhex("74657374206b6579")
SK_SM = "5ebcea5ee37023ccb9fc2d2019f9d7737be85591ae8652ffa9ef0f4d37063b0e"
BLIND = "64d37aed22a27f5191de1c1d69fadb899d8862b58eb4220029e036ec4c1f6706"
VECTORS = [
    (
        "00",
        "609a0ae68c15a3cf6903766461307e5c8bb2f95e7e6550e1ffa2dc99e412803c",
        "7ec6578ae5120958eb2db1745758ff379e77cb64fe77b0b2d8cc917ea0869c7e",
        "527759c3d9366f277d8c6020418d96bb393ba2afb20ff90df23fb7708264e2f3"
        "ab9135e3bd69955851de4b1f9fe8a0973396719b7912ba9ee8aa7d0b5e24bcf6",
    ),
    (
        "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a",
        "da27ef466870f5f15296299850aa088629945a17d1f5b7f5ff043f76b3c06418",
        "b4cbf5a4f1eeda5a63ce7b77c7d23f461db3fcab0dd28e4e17cecb5c90d02c25",
        "f4a74c9c592497375e796aa837e907b1a045d34306a749db9f34221f7e750cb4"
        "f2a6413a6bf6fa5e19ba6348eb673934a722a7ede2e7621306d18951e7cf2c73",
    ),
]


def test_it_derives_the_rfc_server_key() -> None:
    secret, _public = oprf.derive_key_pair(SEED, KEY_INFO)
    assert secret.hex() == SK_SM


@pytest.mark.parametrize(("value", "blinded", "evaluated", "output"), VECTORS)
def test_it_matches_the_rfc_vectors(value: str, blinded: str, evaluated: str, output: str) -> None:
    secret = bytes.fromhex(SK_SM)
    hidden = oprf.blind(bytes.fromhex(value), bytes.fromhex(BLIND))
    assert hidden.element.hex() == blinded
    answer = oprf.blind_evaluate(secret, hidden.element)
    assert answer.hex() == evaluated
    assert oprf.finalize(bytes.fromhex(value), hidden.blind, answer).hex() == output
    # The key holder's direct evaluation is the same function (benchmark baseline).
    assert oprf.evaluate(secret, bytes.fromhex(value)).hex() == output


def test_it_gives_a_fresh_blinding_each_time_but_the_same_output() -> None:
    secret = bytes.fromhex(SK_SM)
    first, second = oprf.blind(b"AB1234"), oprf.blind(b"AB1234")
    assert first.element != second.element
    outputs = {
        oprf.finalize(b"AB1234", h.blind, oprf.blind_evaluate(secret, h.element))
        for h in (first, second)
    }
    assert outputs == {oprf.evaluate(secret, b"AB1234")}


@pytest.mark.parametrize(
    "element",
    [bytes(32), b"\xff" * 32, b"\x01" + bytes(31), bytes(31)],
    ids=["identity", "non-canonical", "not-a-point", "short"],
)
def test_it_refuses_invalid_points(element: bytes) -> None:
    with pytest.raises(oprf.InvalidInput):
        oprf.blind_evaluate(bytes.fromhex(SK_SM), element)
