"""Keep an uploaded letter template from reaching outside the letter.

A DOCX can make Word fetch or pull in content when the letter is opened:
field codes (INCLUDEPICTURE, INCLUDETEXT, LINK, DDE, an external HYPERLINK),
relationships whose target is a URL or a file share (an attached template, a
linked image or OLE object), images referenced by URL in VML, imported HTML
chunks, and ``updateFields``, which makes Word refresh every field without
asking. Any of these could send a victim's name, put into the letter by a
``{{ }}`` field, to a server the template's author controls.

``clean`` refuses the first kinds (the coordinator must remove them in Word)
and removes ``updateFields``. ``check_rendered`` runs the same check on the
rendered letter, because Jinja can assemble a field code from pieces that
are harmless one by one. Every XML part is parsed with defusedxml, so a
part with a DTD or entities is refused too.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Field instructions that make Word read another file or address, or run a command.
FETCHING_FIELDS = frozenset(
    {"INCLUDEPICTURE", "INCLUDETEXT", "INCLUDE", "IMPORT", "LINK", "DDE", "DDEAUTO", "RD"}
)
# Anything that looks like a reference outside the document.
OUTSIDE = re.compile(r"(?i)^\s*(?:[a-z][a-z0-9+.-]*:|\\\\|//)")
UPDATE_FIELDS = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?updateFields\b[^>]*?(?:/>|>.*?</[^>]*>)", re.S)


class UnsafeTemplate(Exception):
    """The DOCX reaches outside itself; ``str(exc)`` names what (for the user)."""


def _xml_parts(archive: zipfile.ZipFile) -> Iterator[tuple[str, bytes]]:
    for name in archive.namelist():
        if name.endswith((".xml", ".rels")):
            yield name, archive.read(name)


def _parse(name: str, data: bytes) -> Element:
    try:
        return fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise UnsafeTemplate(f"DTD or entity in {name}") from exc
    except Exception as exc:  # a malformed part: not a usable template
        raise UnsafeTemplate(f"unreadable part {name}") from exc


def _field_instructions(root: Element) -> Iterator[str]:
    """Each field's instruction text, simple and complex, split across runs or not."""
    # A complex field is begin, instruction runs, separate, result, end; fields
    # nest, so keep a stack of open instructions (None once past "separate").
    open_fields: list[list[str] | None] = []
    for element in root.iter():
        if element.tag == f"{W}fldSimple":
            yield element.get(f"{W}instr") or ""
        elif element.tag == f"{W}fldChar":
            kind = element.get(f"{W}fldCharType")
            if kind == "begin":
                open_fields.append([])
            elif kind in ("separate", "end") and open_fields:
                parts = open_fields.pop()
                if parts is not None:
                    yield "".join(parts)
                if kind == "separate":
                    open_fields.append(None)
        elif element.tag in (f"{W}instrText", f"{W}delInstrText"):
            for parts in reversed(open_fields):
                if parts is not None:
                    parts.append(element.text or "")
                    break


def _check_squeezed(root: Element) -> None:
    """Belt and braces: the part's whole instruction text without spaces, so a
    keyword split across fields or runs in odd ways is still seen."""
    squeezed = "".join(
        (e.text or "") for e in root.iter() if e.tag in (f"{W}instrText", f"{W}delInstrText")
    )
    squeezed = "".join(squeezed.split()).upper()
    for keyword in ("INCLUDEPICTURE", "INCLUDETEXT", "DDEAUTO"):
        if keyword in squeezed:
            raise UnsafeTemplate(f"{keyword} field")


def _check_instruction(instruction: str) -> None:
    text = instruction.strip().upper()
    words = text.split()
    if not words:
        return
    first = words[0].lstrip("\\")
    if first in FETCHING_FIELDS:
        raise UnsafeTemplate(f"{first} field")
    if first == "HYPERLINK" and not _internal_hyperlink(instruction):
        raise UnsafeTemplate("HYPERLINK field to an outside address")


def _internal_hyperlink(instruction: str) -> bool:
    """``HYPERLINK \\l "bookmark"`` jumps inside the letter; anything else leaves it."""
    rest = instruction.strip()[len("HYPERLINK") :].strip()
    return rest.startswith("\\l") and not OUTSIDE.match(rest[2:].strip().strip('"'))


def _check_part(name: str, root: Element) -> None:
    for instruction in _field_instructions(root):
        _check_instruction(instruction)
    _check_squeezed(root)
    for element in root.iter():
        local = element.tag.rsplit("}", 1)[-1]
        if local == "Relationship" and (element.get("TargetMode") or "").lower() == "external":
            raise UnsafeTemplate(f"external link in {name}")
        if local in ("altChunk", "subDoc"):
            raise UnsafeTemplate(f"{local} in {name}")
        for attribute, value in element.attrib.items():
            if attribute.rsplit("}", 1)[-1] in ("href", "src") and OUTSIDE.match(value):
                raise UnsafeTemplate(f"outside address in {name}")


def check_archive(archive: zipfile.ZipFile) -> None:
    for name, data in _xml_parts(archive):
        _check_part(name, _parse(name, data))


def clean(content: bytes) -> bytes:
    """The template without ``updateFields``; raise UnsafeTemplate if it reaches outside."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        check_archive(archive)
        output = io.BytesIO()
        with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
            for info in archive.infolist():
                data = archive.read(info.filename)
                if info.filename.endswith("settings.xml"):
                    data = UPDATE_FIELDS.sub(b"", data)
                    if any(e.tag == f"{W}updateFields" for e in _parse(info.filename, data).iter()):
                        raise UnsafeTemplate("updateFields in settings")
                target.writestr(info, data)
    return output.getvalue()


def check_rendered(content: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        check_archive(archive)
        for name, data in _xml_parts(archive):
            if name.endswith("settings.xml") and any(
                e.tag == f"{W}updateFields" for e in _parse(name, data).iter()
            ):
                raise UnsafeTemplate("updateFields in settings")
