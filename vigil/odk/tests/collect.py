"""A stand-in for ODK Collect, written from the ODK encryption specification.

No OpenRosa client that encrypts like Collect installs from the registries
(pyodk speaks ODK Central's REST API, not OpenRosa submission), so this
encrypts a record exactly as the spec describes and posts it the way Collect
does: multipart, the manifest as ``xml_submission_file``, each .enc file as
its own part, HTTP Basic.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import uuid
from dataclasses import dataclass

from cryptography.hazmat.decrepit.ciphers.modes import CFB
from cryptography.hazmat.primitives import hashes, padding, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.padding import MGF1, OAEP
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms
from django.test import Client

# Java's RSA/NONE/OAEPWithSHA256AndMGF1Padding: SHA-256 label hash, MGF1 with SHA-1.
COLLECT_OAEP = OAEP(
    mgf=MGF1(algorithm=hashes.SHA1()),  # noqa: S303 - what Collect does
    algorithm=hashes.SHA256(),
    label=None,
)


@dataclass
class Sealed:
    instance_id: str
    manifest: bytes
    files: dict[str, bytes]


def instance_xml(instance_id: str, body: str, version: str) -> bytes:
    return (
        f'<data id="vigil_report" version="{version}">{body}'
        f"<meta><instanceID>{instance_id}</instanceID></meta></data>"
    ).encode()


def encrypt_record(
    public_key_b64: str,
    body: str,
    *,
    version: str,
    media: list[tuple[str, bytes]] | None = None,
    instance_id: str | None = None,
    oaep: OAEP = COLLECT_OAEP,
) -> Sealed:
    public = serialization.load_der_public_key(base64.b64decode(public_key_b64))
    assert isinstance(public, rsa.RSAPublicKey)
    instance_id = instance_id or f"uuid:{uuid.uuid4()}"
    key = os.urandom(32)
    seed = bytearray(hashlib.md5(instance_id.encode() + key).digest())  # noqa: S324
    plain = [*(media or []), ("submission.xml", instance_xml(instance_id, body, version))]
    files: dict[str, bytes] = {}
    for counter, (name, data) in enumerate(plain):
        seed[counter % 16] = (seed[counter % 16] + 1) & 0xFF
        padder = padding.PKCS7(128).padder()
        encryptor = Cipher(algorithms.AES(key), CFB(bytes(seed))).encryptor()
        padded = padder.update(data) + padder.finalize()
        files[f"{name}.enc"] = encryptor.update(padded) + encryptor.finalize()
    wrapped = base64.b64encode(public.encrypt(key, oaep)).decode()
    lines = ["vigil_report", version, wrapped, instance_id]
    lines += [f"{name}::{hashlib.md5(data).hexdigest()}" for name, data in plain]  # noqa: S324
    digest = hashlib.md5(("\n".join(lines) + "\n").encode()).digest()  # noqa: S324
    signature = base64.b64encode(public.encrypt(digest, oaep)).decode()
    media_xml = "".join(f"<media><file>{name}.enc</file></media>" for name, _ in media or [])
    manifest = (
        '<data xmlns="http://opendatakit.org/submissions" id="vigil_report" '
        f'encrypted="yes" version="{version}">'
        f"<base64EncryptedKey>{wrapped}</base64EncryptedKey>"
        f"<encryptedXmlFile>submission.xml.enc</encryptedXmlFile>{media_xml}"
        f"<base64EncryptedElementSignature>{signature}</base64EncryptedElementSignature>"
        '<meta xmlns="http://openrosa.org/xforms">'
        f"<instanceID>{instance_id}</instanceID></meta></data>"
    ).encode()
    return Sealed(instance_id, manifest, files)


def basic(username: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}", "X-OpenRosa-Version": "1.0"}


def post(client: Client, url: str, auth: dict[str, str], manifest: bytes, files: dict[str, bytes]):
    parts: dict[str, object] = {
        "xml_submission_file": _named(io.BytesIO(manifest), "submission.xml")
    }
    for name, data in files.items():
        parts[name] = _named(io.BytesIO(data), name)
    return client.post(url, parts, headers=auth)


def _named(stream: io.BytesIO, name: str) -> io.BytesIO:
    stream.name = name
    return stream
