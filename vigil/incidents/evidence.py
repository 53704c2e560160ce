"""Evidence files: receiving, checking, cleaning, sealing and serving them.

The path of an upload, and why:

1. ``SpoolUploadHandler`` replaces Django's upload handlers for the request.
   It counts bytes as they arrive (Content-Length can lie) and spools them to
   an anonymous temporary file encrypted under a key that exists only in this
   process's memory, so no plaintext evidence ever touches the disk, not even
   a temporary file. Past the size limit it discards the rest and keeps
   nothing.
2. ``prepare`` sniffs the first bytes with puremagic against an allow-list;
   the declared name and content type decide nothing.
3. Images are re-saved by Pillow without metadata (orientation applied to the
   pixels first) unless the caseworker keeps the metadata with a reason.
   Everything else is stored exactly as received.
4. ``add_evidence`` encrypts the plaintext into storage under the event's data
   key (SHA-256 of the plaintext for chain of custody), then writes the row
   and the audit event; a failure removes the stored file again.
"""

from __future__ import annotations

import hashlib
import io
import tempfile
import threading
import unicodedata
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

import puremagic
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps, JpegImagePlugin

from vigil.accounts.models import User
from vigil.audit.log import record
from vigil.incidents.models import Event, Evidence
from vigil.vault import crypto, sealing

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
# Decoding costs about 4 bytes a pixel, twice while rotating: 24 MP (a 6000x4000
# photo) stays under 200 MB, and only DECODE_SLOTS images decode at once in a
# process, so a flood of large images cannot add up. Pillow's own bomb check
# uses the same budget for every other path that opens an image.
MAX_PIXELS = 24_000_000
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
DECODE_SLOTS = threading.BoundedSemaphore(1)
DECODE_WAIT_SECONDS = 20
HEAD_BYTES = 64 * 1024  # enough for every puremagic header signature
CHUNK = 64 * 1024
SEALED_FIELDS = ("file_name", "description", "metadata_reason")


def max_bytes() -> int:
    return int(getattr(settings, "EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


def size_limit_text() -> str:
    return str(filesizeformat(max_bytes()))


class Refused(Exception):
    """The upload is not accepted; ``message`` is shown beside the file field."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- receiving: an encrypted spool ---------------------------------------------------


class EncryptedSpool:
    """Upload bytes in an unnamed temporary file, encrypted under a throw-away key.

    A seized disk (or its swap of deleted blocks) holds only ciphertext whose
    key died with the request. The first bytes stay in memory for sniffing.
    """

    def __init__(self) -> None:
        self._key = crypto.new_key()
        self._file = tempfile.TemporaryFile(dir=settings.FILE_UPLOAD_TEMP_DIR)  # noqa: SIM115 - lives as long as the upload; close() ends it
        self.size = 0
        self.head = b""

    def write(self, data: bytes) -> None:
        if len(self.head) < HEAD_BYTES:
            self.head += data[: HEAD_BYTES - len(self.head)]
        frame = crypto.encrypt(self._key, data)
        self._file.write(len(frame).to_bytes(4, "big") + frame)
        self.size += len(data)

    def chunks(self) -> Iterator[bytes]:
        self._file.seek(0)
        while size_bytes := self._file.read(4):
            yield crypto.decrypt(self._key, self._file.read(int.from_bytes(size_bytes, "big")))

    def read_all(self) -> bytes:
        return b"".join(self.chunks())

    def close(self) -> None:
        self._file.close()
        self._key = b""


class SpooledUpload(UploadedFile):
    """What the form sees in request.FILES: a name, a size, and the spool."""

    def __init__(self, spool: EncryptedSpool, name: str, content_type: str) -> None:
        super().__init__(None, name, content_type, spool.size)
        self.spool = spool

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        return self.spool.chunks()

    def multiple_chunks(self, chunk_size: int | None = None) -> bool:
        return True

    def close(self) -> None:
        self.spool.close()


class SpoolUploadHandler(FileUploadHandler):
    """Counts while streaming; past the limit it keeps nothing.

    Over the limit the rest of the body is read and dropped, so the fields
    that follow still arrive and the form can be shown again with them. Past
    twice the limit it stops reading altogether, so a huge body cannot keep a
    worker busy (the reverse proxy's body limit is the real outer bound).
    """

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.too_large = False
        self._spool: EncryptedSpool | None = None

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self._discard()
        if not self.too_large:
            self._spool = EncryptedSpool()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.too_large = True
            self._discard()
            if self.received > 2 * self.limit:
                raise StopUpload(connection_reset=True)
            return None
        if self._spool is not None:
            self._spool.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> SpooledUpload | None:
        spool, self._spool = self._spool, None
        if spool is None:
            return None
        return SpooledUpload(spool, self.file_name or "", self.content_type or "")

    def upload_interrupted(self) -> None:
        self._discard()

    def _discard(self) -> None:
        if self._spool is not None:
            self._spool.close()
            self._spool = None


# --- checking: what the bytes are -------------------------------------------------------


@dataclass(frozen=True)
class FileType:
    content_type: str
    family: str  # image, document, audio, video
    pillow_format: str = ""  # set for images Pillow can clean
    extension: str = ""


JPEG = FileType("image/jpeg", "image", "JPEG", ".jpg")
PNG = FileType("image/png", "image", "PNG", ".png")
WEBP = FileType("image/webp", "image", "WEBP", ".webp")
HEIC = FileType("image/heic", "image", "", ".heic")
PDF = FileType("application/pdf", "document", "", ".pdf")
MP3 = FileType("audio/mpeg", "audio", "", ".mp3")
OGG = FileType("audio/ogg", "audio", "", ".ogg")
OPUS = FileType("audio/ogg", "audio", "", ".opus")
M4A = FileType("audio/mp4", "audio", "", ".m4a")
AAC = FileType("audio/aac", "audio", "", ".aac")
WAV = FileType("audio/wav", "audio", "", ".wav")
AMR = FileType("audio/amr", "audio", "", ".amr")
MP4 = FileType("video/mp4", "video", "", ".mp4")
MOV = FileType("video/quicktime", "video", "", ".mov")
GPP = FileType("video/3gpp", "video", "", ".3gp")
WEBM = FileType("video/webm", "video", "", ".webm")

# puremagic extension -> accepted type. Anything else is refused.
ALLOWED: dict[str, FileType] = {
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".jfif": JPEG,
    ".jpe": JPEG,
    ".png": PNG,
    ".webp": WEBP,
    ".heic": HEIC,
    ".heif": HEIC,
    ".pdf": PDF,
    ".mp3": MP3,
    ".mpga": MP3,
    ".ogg": OGG,
    ".oga": OGG,
    ".opus": OPUS,
    ".m4a": M4A,
    ".f4a": M4A,
    ".aac": AAC,
    ".wav": WAV,
    ".amr": AMR,
    ".mp4": MP4,
    ".m4v": MP4,
    ".mov": MOV,
    ".qt": MOV,
    ".3gp": GPP,
    ".3ga": GPP,
    ".3g2": GPP,
    ".webm": WEBM,
}
# ISO-BMFF brands of HEIC/HEIF stills that puremagic does not all know.
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}

# What a refused file is, for the error message (first match wins).
_NOT_EVIDENCE: list[tuple[tuple[bytes, ...], Promise]] = [
    ((b"MZ",), gettext_lazy("a Windows program")),
    ((b"\x7fELF",), gettext_lazy("a Linux program")),
    (
        (b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"\xca\xfe\xba\xbe"),
        gettext_lazy("a macOS program"),
    ),
    ((b"#!",), gettext_lazy("a script")),
    ((b"PK\x03\x04", b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b"), gettext_lazy("an archive")),
    ((b"<",), gettext_lazy("a web page or script")),
]

# What a name claims to be, for the error message.
_CLAIMED: dict[str, Promise] = {
    ".jpg": gettext_lazy("a JPEG photo"),
    ".jpeg": gettext_lazy("a JPEG photo"),
    ".png": gettext_lazy("a PNG image"),
    ".webp": gettext_lazy("a WebP image"),
    ".heic": gettext_lazy("a HEIC photo"),
    ".pdf": gettext_lazy("a PDF document"),
    ".mp3": gettext_lazy("an MP3 recording"),
    ".m4a": gettext_lazy("an M4A recording"),
    ".ogg": gettext_lazy("an OGG recording"),
    ".opus": gettext_lazy("an Opus recording"),
    ".wav": gettext_lazy("a WAV recording"),
    ".amr": gettext_lazy("an AMR recording"),
    ".mp4": gettext_lazy("an MP4 video"),
    ".mov": gettext_lazy("a MOV video"),
    ".3gp": gettext_lazy("a 3GP video"),
    ".webm": gettext_lazy("a WebM video"),
}


def sniff(head: bytes) -> FileType | None:
    """The accepted type of these first bytes, or None. Names are not consulted."""
    try:
        matches = [m for m in puremagic.magic_string(head) if m.offset >= 0]
    except puremagic.PureError:
        matches = []
    if matches:
        # Only the strongest matches count, so a weak accidental match of an
        # accepted signature cannot outvote what the file really is.
        best = max(m.confidence for m in matches)
        for match in matches:
            kind = ALLOWED.get(match.extension.lower())
            if match.confidence == best and kind is not None:
                return _refine(kind, head)
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return HEIC
    return None


def _refine(kind: FileType, head: bytes) -> FileType:
    if kind is OGG and b"OpusHead" in head[:128]:
        return OPUS
    return kind


def _not_accepted(name: str, head: bytes) -> Refused:
    what: Any = _("of a type Vigil does not accept")
    for prefixes, label in _NOT_EVIDENCE:
        if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(prefixes):
            what = label
            break
    claimed = _CLAIMED.get(_extension(name))
    if claimed is not None:
        return Refused(
            _(
                "“%(name)s” is named like %(claimed)s, but its content is not: it is "
                "%(what)s. Nothing was stored."
            )
            % {"name": name, "claimed": claimed, "what": what}
        )
    return Refused(
        _(
            "This file is not a photo, PDF, audio or video file that Vigil accepts: its "
            "content is %(what)s. Nothing was stored."
        )
        % {"what": what}
    )


def _extension(name: str) -> str:
    return "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""


# --- cleaning images ------------------------------------------------------------------


@dataclass
class Prepared:
    """The plaintext to store and what we learned about it."""

    kind: FileType
    chunks: Callable[[], Iterable[bytes]]
    metadata_kept: bool
    taken_on: date | None = None


def prepare(upload: SpooledUpload, *, keep_metadata: bool) -> Prepared:
    """Check the content and strip image metadata; raise Refused with the reason."""
    spool = upload.spool
    kind = sniff(spool.head)
    if kind is None:
        raise _not_accepted(upload.name or "", spool.head)
    if kind.family != "image":
        return Prepared(kind, spool.chunks, metadata_kept=False)
    if keep_metadata:
        # EXIF sits before the pixels, so the spooled head is enough to read the day.
        taken = _taken_on_quietly(spool.head, kind) if kind.pillow_format else None
        return Prepared(kind, spool.chunks, metadata_kept=True, taken_on=taken)
    if not kind.pillow_format:
        raise Refused(
            _(
                "Location data cannot be removed from HEIC photos on this server. Send the "
                "photo as JPEG (most phones can share it that way), or keep the metadata "
                "and say why. Nothing was stored."
            )
        )
    cleaned, taken = clean_image(spool.read_all(), kind)
    return Prepared(kind, lambda: _pieces(cleaned), metadata_kept=False, taken_on=taken)


def _pieces(data: bytes) -> Iterator[bytes]:
    for start in range(0, len(data), CHUNK):
        yield data[start : start + CHUNK]


def _too_many_pixels() -> Refused:
    return Refused(
        _(
            "This image is too large to remove its location data safely (more than "
            "%(limit)s megapixels). Send a smaller copy, or keep the metadata and say "
            "why. Nothing was stored."
        )
        % {"limit": MAX_PIXELS // 1_000_000}
    )


def _open_image(data: bytes, kind: FileType) -> Image.Image:
    """Open lazily (the header only) and refuse before any pixel is decoded."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=[kind.pillow_format])
    except Image.DecompressionBombError as exc:
        raise _too_many_pixels() from exc
    if image.width * image.height > MAX_PIXELS:
        image.close()
        raise _too_many_pixels()
    return image


_UNREADABLE = gettext_lazy(
    "This image is damaged or incomplete, so its location data cannot be removed. "
    "Nothing was stored."
)


def clean_image(data: bytes, kind: FileType) -> tuple[bytes, date | None]:
    """Re-save the pixels only: no EXIF, GPS, XMP, comments or text chunks.

    The orientation is applied to the pixels first, so the photo still shows
    upright without the EXIF tag that said how to turn it.
    """
    if not DECODE_SLOTS.acquire(timeout=DECODE_WAIT_SECONDS):
        raise Refused(_("The server is busy. Please try again in a minute. Nothing was stored."))
    try:
        return _clean_image(data, kind)
    finally:
        DECODE_SLOTS.release()


def _clean_image(data: bytes, kind: FileType) -> tuple[bytes, date | None]:
    try:
        with _open_image(data, kind) as image:
            if kind is not JPEG and getattr(image, "is_animated", False):
                raise Refused(_("Animated images are not accepted. Nothing was stored."))
            taken = _taken_on(image)
            options = _save_options(image, kind, data)
            ImageOps.exif_transpose(image, in_place=True)
            image.info = {}
            out = io.BytesIO()
            image.save(out, format=kind.pillow_format, **options)
    except Refused:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise Refused(str(_UNREADABLE)) from exc
    return out.getvalue(), taken


def _save_options(image: Image.Image, kind: FileType, data: bytes) -> dict[str, Any]:
    # No ICC profile either: it can name the phone or the software that made it.
    options: dict[str, Any] = {}
    if kind is JPEG:
        # Reuse the camera's quantisation so re-saving loses as little as possible.
        options["qtables"] = image.quantization  # type: ignore[attr-defined]
        sampling = JpegImagePlugin.get_sampling(image)
        if sampling != -1:
            options["subsampling"] = sampling
    elif kind is PNG:
        if "transparency" in image.info:
            options["transparency"] = image.info["transparency"]
    elif kind is WEBP:
        options.update({"lossless": True} if _webp_lossless(data) else {"quality": 95})
    return options


def _webp_lossless(data: bytes) -> bool:
    """Whether the image chunk of a RIFF/WebP file is VP8L (lossless)."""
    offset = 12
    while offset + 8 <= len(data):
        fourcc = data[offset : offset + 4]
        if fourcc in (b"VP8 ", b"VP8L"):
            return fourcc == b"VP8L"
        size = int.from_bytes(data[offset + 4 : offset + 8], "little")
        offset += 8 + size + (size & 1)
    return False


def _taken_on(image: Image.Image) -> date | None:
    """The capture day from EXIF (DateTimeOriginal, else DateTime), if sane."""
    exif = image.getexif()
    value = exif.get_ifd(0x8769).get(0x9003) or exif.get(0x0132)
    if not isinstance(value, str):
        return None
    try:
        day = datetime.strptime(value.strip()[:10], "%Y:%m:%d").date()
    except ValueError:
        return None
    return day if date(1990, 1, 1) <= day <= timezone.localdate() else None


def _taken_on_quietly(data: bytes, kind: FileType) -> date | None:
    try:
        with Image.open(io.BytesIO(data), formats=[kind.pillow_format]) as image:
            return _taken_on(image)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None


# --- sealing and the record -----------------------------------------------------------


class _Guarded:
    """Ends the stream instead of raising, so the half-written file has a name to delete."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = chunks
        self.error: BaseException | None = None

    def __iter__(self) -> Iterator[bytes]:
        try:
            yield from self._chunks
        except Exception as exc:
            self.error = exc


def add_evidence(
    acting_user: User,
    event: Event,
    key: bytes,
    *,
    chunks: Iterable[bytes],
    kind: str,
    content_type: str,
    file_name: str,
    description: str = "",
    captured_on: date | None = None,
    metadata_kept: bool = False,
    metadata_reason: str = "",
) -> Evidence:
    """Seal the plaintext into storage, then record it; nothing is left behind on failure.

    The file is written before the transaction opens, so a slow upload never
    holds the database's write lock.
    """
    guarded = _Guarded(chunks)
    stored = sealing.store_file(key, guarded, folder="evidence")
    if guarded.error is not None:
        sealing.delete_file(stored.name)
        raise guarded.error
    sealed = {
        "file_name": file_name[:255],
        "description": description.strip(),
        "metadata_reason": metadata_reason.strip() if metadata_kept else "",
    }
    try:
        with transaction.atomic():
            evidence = Evidence.objects.create(
                event=event,
                kind=kind,
                stored_name=stored.name,
                content_type=content_type,
                size=stored.size,
                sha256=stored.sha256,
                captured_on=captured_on,
                metadata_kept=metadata_kept,
                sealed=sealing.seal_json(key, sealed),
                uploaded_by=acting_user,
            )
            record(
                acting_user,
                "evidence.add",
                organisation=event.organisation,
                target=evidence,
                event=event.pk,
                kind=kind,
                content_type=content_type,
                size=stored.size,
                sha256=stored.sha256,
                metadata_kept=metadata_kept,
            )
    except BaseException:
        sealing.delete_file(stored.name)
        raise
    return evidence


def save_upload(
    acting_user: User, event: Event, key: bytes, upload: SpooledUpload, **fields: Any
) -> Evidence:
    """From a validated form to a stored record. Raises Refused."""
    keep = bool(fields.get("keep_metadata"))
    prepared = prepare(upload, keep_metadata=keep)
    return add_evidence(
        acting_user,
        event,
        key,
        chunks=prepared.chunks(),
        kind=fields["kind"],
        content_type=prepared.kind.content_type,
        file_name=upload.name or "",
        description=fields.get("description") or "",
        captured_on=fields.get("captured_on") or prepared.taken_on,
        metadata_kept=prepared.metadata_kept,
        metadata_reason=fields.get("metadata_reason") or "",
    )


# --- reading back ---------------------------------------------------------------------


def evidence_of(event: Event) -> QuerySet[Evidence]:
    """The evidence of an event the caller already obtained through the policy module."""
    return Evidence.objects.filter(event=event)


def get_evidence(event: Event, evidence_id: int) -> Evidence:
    try:
        return evidence_of(event).get(pk=evidence_id)
    except Evidence.DoesNotExist as exc:
        raise Http404 from exc


def sealed_fields(key: bytes, evidence: Evidence) -> dict[str, str]:
    values = sealing.open_json(key, evidence.sealed, {})
    return {name: str(values.get(name) or "") for name in SEALED_FIELDS}


def stored_intact(key: bytes, evidence: Evidence) -> bool:
    """Decrypt the whole file once and compare with the recorded hash and size.

    Each chunk is authenticated, so tampering or truncation fails here before
    a single byte is sent; the hash also catches a file swapped for another
    one sealed under the same key.
    """
    digest = hashlib.sha256()
    size = 0
    try:
        for chunk in sealing.open_file(key, evidence.stored_name):
            digest.update(chunk)
            size += len(chunk)
    except (crypto.CryptoError, OSError):
        return False
    return size == evidence.size and digest.hexdigest() == evidence.sha256


def record_download(acting_user: User, event: Event, evidence: Evidence) -> None:
    record(
        acting_user,
        "evidence.download",
        organisation=event.organisation,
        target=evidence,
        event=event.pk,
        sha256=evidence.sha256,
    )


def record_damaged(acting_user: User, event: Event, evidence: Evidence) -> None:
    """A chain-of-custody alarm: the stored file no longer matches its record."""
    record(
        acting_user,
        "evidence.damaged",
        organisation=event.organisation,
        target=evidence,
        event=event.pk,
        sha256=evidence.sha256,
    )


def attachment_header(file_name: str, fallback: str) -> str:
    """Content-Disposition with an ASCII name and the exact name per RFC 5987/6266."""
    name = file_name or fallback
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    ascii_name = "".join(c if c.isalnum() or c in "._- " else "_" for c in ascii_name).strip()
    if not ascii_name.strip("._ "):
        ascii_name = fallback
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def safe_next(value: str | None) -> str | None:
    """A return address on this site only: a relative path, never another host."""
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")):
        return None
    return value if url_has_allowed_host_and_scheme(value, allowed_hosts=set()) else None
