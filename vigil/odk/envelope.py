"""ODK encrypted submissions: RSA keys, and opening a record the way Collect seals it.

Follows the ODK XForms encryption specification
(https://getodk.github.io/xforms-spec/encryption): a fresh AES-256 key per
record, wrapped with the form's RSA public key (RSA-OAEP); every file
encrypted with AES/CFB/PKCS5Padding under an IV derived from
md5(instanceID + key) and incremented per file; an optional signature, the
md5 of a manifest string encrypted with the same RSA key.

Nothing here touches the database or checks permissions.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass, field

from cryptography.hazmat.decrepit.ciphers.modes import CFB
from cryptography.hazmat.primitives import hashes, padding, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.padding import MGF1, OAEP
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms
from defusedxml import ElementTree

SUBMISSIONS_NS = "http://opendatakit.org/submissions"
OPENROSA_NS = "http://openrosa.org/xforms"
RSA_BITS = 2048


class EnvelopeError(Exception):
    """The record is malformed, was tampered with, or is not for this key."""


def new_private_key_pem() -> bytes:
    key = rsa.generate_private_key(public_exponent=65537, key_size=RSA_BITS)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def public_key_base64(private_pem: bytes) -> str:
    """The form's base64RsaPublicKey: DER SubjectPublicKeyInfo, base64, no PEM armour."""
    private = serialization.load_pem_private_key(private_pem, password=None)
    der = private.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.b64encode(der).decode("ascii")


# Java's "OAEPWithSHA256AndMGF1Padding" hashes the label with SHA-256 but runs MGF1
# with SHA-1 (Collect, Enketo); older Collect used SHA-1 for both; BouncyCastle-style
# clients SHA-256 for both. A wrong guess fails OAEP's check, never yields a wrong key.
OAEP_VARIANTS: tuple[tuple[type[hashes.HashAlgorithm], type[hashes.HashAlgorithm]], ...] = (
    (hashes.SHA256, hashes.SHA1),
    (hashes.SHA1, hashes.SHA1),
    (hashes.SHA256, hashes.SHA256),
)


def oaep(label_hash: type[hashes.HashAlgorithm], mgf_hash: type[hashes.HashAlgorithm]) -> OAEP:
    return OAEP(mgf=MGF1(algorithm=mgf_hash()), algorithm=label_hash(), label=None)


def rsa_unwrap(private_pem: bytes, blob: bytes) -> bytes:
    private = serialization.load_pem_private_key(private_pem, password=None)
    if not isinstance(private, rsa.RSAPrivateKey):
        raise EnvelopeError("not an RSA key")
    for label_hash, mgf_hash in OAEP_VARIANTS:
        try:
            return private.decrypt(blob, oaep(label_hash, mgf_hash))
        except ValueError:
            continue
    raise EnvelopeError("the key was not wrapped for this organisation's key")


def iv_sequence(instance_id: str, key: bytes, count: int) -> list[bytes]:
    """One IV per file, in the order the files were encrypted."""
    seed = bytearray(hashlib.md5(instance_id.encode("utf-8") + key).digest())  # noqa: S324
    ivs = []
    for counter in range(count):
        index = counter % 16
        seed[index] = (seed[index] + 1) & 0xFF
        ivs.append(bytes(seed))
    return ivs


def aes_cfb_decrypt(key: bytes, iv: bytes, data: bytes) -> bytes:
    decryptor = Cipher(algorithms.AES(key), CFB(iv)).decryptor()
    padded = decryptor.update(data) + decryptor.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    try:
        return unpadder.update(padded) + unpadder.finalize()
    except ValueError as exc:
        raise EnvelopeError("a file does not decrypt: altered or wrong key") from exc


@dataclass
class Manifest:
    """The clear submission.xml Collect sends in front of the encrypted files."""

    form_id: str
    version: str | None
    instance_id: str
    wrapped_key_b64: str
    xml_file: str
    media: list[str] = field(default_factory=list)
    signature_b64: str | None = None


def _child(parent: object, name: str, namespace: str = SUBMISSIONS_NS) -> object | None:
    found = parent.find(f"{{{namespace}}}{name}")  # type: ignore[attr-defined]
    if found is None:  # some clients omit the namespace on children
        found = parent.find(name)  # type: ignore[attr-defined]
    return found


def _text(element: object | None) -> str:
    return (getattr(element, "text", None) or "").strip()


def is_encrypted_manifest(xml: bytes) -> bool:
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError:
        return False
    return (root.get("encrypted") or "").lower() == "yes"


def parse_manifest(xml: bytes) -> Manifest:
    """Read the manifest; raises EnvelopeError for anything but an encrypted record."""
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError as exc:
        raise EnvelopeError("not XML") from exc
    if (root.get("encrypted") or "").lower() != "yes":
        raise EnvelopeError("not encrypted")
    meta = _child(root, "meta", OPENROSA_NS)
    instance_id = _text(_child(meta, "instanceID", OPENROSA_NS)) if meta is not None else ""
    wrapped = _text(_child(root, "base64EncryptedKey"))
    xml_file = _text(_child(root, "encryptedXmlFile"))
    if not (root.get("id") and instance_id and wrapped and xml_file):
        raise EnvelopeError("incomplete manifest")
    media = [
        _text(_child(m, "file"))
        for m in root.findall(f"{{{SUBMISSIONS_NS}}}media") + root.findall("media")
    ]
    signature = _text(_child(root, "base64EncryptedElementSignature")) or None
    try:
        base64.b64decode(wrapped, validate=True)
    except binascii.Error as exc:
        raise EnvelopeError("the wrapped key is not base64") from exc
    return Manifest(
        form_id=str(root.get("id")),
        version=root.get("version"),
        instance_id=instance_id,
        wrapped_key_b64=wrapped,
        xml_file=xml_file,
        media=[m for m in media if m],
        signature_b64=signature,
    )


def _plain_name(encrypted_name: str) -> str:
    return encrypted_name[: -len(".enc")] if encrypted_name.endswith(".enc") else encrypted_name


def signature_source(manifest: Manifest, plain_files: list[tuple[str, bytes]]) -> bytes:
    lines = [manifest.form_id]
    if manifest.version:
        lines.append(manifest.version)
    lines += [manifest.wrapped_key_b64, manifest.instance_id]
    lines += [f"{name}::{hashlib.md5(data).hexdigest()}" for name, data in plain_files]  # noqa: S324
    return ("\n".join(lines) + "\n").encode("utf-8")


@dataclass
class OpenedRecord:
    instance_xml: bytes
    media: list[tuple[str, bytes]]


def open_record(private_pem: bytes, manifest: Manifest, files: dict[str, bytes]) -> OpenedRecord:
    """Decrypt every file and check the signature; raises EnvelopeError."""
    key = rsa_unwrap(private_pem, base64.b64decode(manifest.wrapped_key_b64))
    if len(key) != 32:
        raise EnvelopeError("not an AES-256 key")
    order = [*manifest.media, manifest.xml_file]
    missing = [name for name in order if name not in files]
    if missing:
        raise EnvelopeError("a listed file is missing")
    ivs = iv_sequence(manifest.instance_id, key, len(order))
    plain = [
        (_plain_name(name), aes_cfb_decrypt(key, iv, files[name]))
        for name, iv in zip(order, ivs, strict=True)
    ]
    if manifest.signature_b64 is None:
        raise EnvelopeError("unsigned record")
    expected = rsa_unwrap(private_pem, base64.b64decode(manifest.signature_b64))
    if expected != hashlib.md5(signature_source(manifest, plain)).digest():  # noqa: S324
        raise EnvelopeError("the signature does not match the files")
    return OpenedRecord(instance_xml=plain[-1][1], media=plain[:-1])
