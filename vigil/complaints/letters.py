"""Letters to oversight bodies: templates, the facts that fill them, DOCX and PDF.

* Templates: one DOCX (docxtpl) per body type and language. Shared defaults are
  built here with python-docx (a data migration stores them); a coordinator
  may upload a replacement for her organisation, checked by rendering it once.
  Uploaded templates run in a Jinja sandbox: a template cannot reach Python.
* Facts: the caller opens the sealed data (event, perpetrators, client) with
  keys obtained through the policy module and passes plain values in; this
  module never touches a key.
* Identity: the client's legal name appears only when her consent to share
  the identified case with *this* body is current; otherwise her pseudonym and
  a note that her name is withheld.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import io
import multiprocessing
import resource
import traceback
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from django.db.models import F, Q
from django.template.loader import render_to_string
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from docxtpl import DocxTemplate, Listing
from jinja2 import TemplateSyntaxError
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from vigil.complaints import docx_guard, wording
from vigil.complaints.models import LegalAction, LetterTemplate, pick
from vigil.incidents import regions
from vigil.incidents.models import Act, DatePrecision, Event
from vigil.lib import textlang
from vigil.vocab.models import Term

MAX_TEMPLATE_BYTES = 2 * 1024 * 1024
# A DOCX is a zip: refuse one that would inflate beyond this (zip bombs).
MAX_TEMPLATE_UNPACKED = 30 * 1024 * 1024
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class TemplateInvalid(Exception):
    """The uploaded file is not a usable letter template: a reason code, what, where."""

    def __init__(self, reason: str, detail: str = "", line: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail
        self.line = line


# --- the facts ---------------------------------------------------------------------------


@dataclass(frozen=True)
class IncidentFacts:
    """An incident's facts as the caller opened them (sealed values already decrypted)."""

    event: Event
    sealed: dict[str, Any]
    perpetrators: list[tuple[Term | None, dict[str, Any]]] = field(default_factory=list)


@dataclass(frozen=True)
class LetterInput:
    action: LegalAction
    language: str
    victim_name: str
    identified: bool
    incidents: list[IncidentFacts]
    lawyer_name: str
    today: datetime.date
    lawyer_position: str = ""


def _date_text(event: Event, language: str) -> str:
    t = wording.labels(language)
    day = event.start_date
    if day is None:
        return t["unknown"]
    if event.start_precision == DatePrecision.YEAR:
        return f"{day:%Y} {t['year']}".strip()
    if event.start_precision == DatePrecision.MONTH:
        return f"{day:%m.%Y}"
    text = f"{day:%d.%m.%Y}"
    return f"{t['about']} {text}" if event.start_precision == DatePrecision.ESTIMATE else text


def _region_text(code: str, language: str) -> str:
    region = regions.all_regions().get(code)
    if region is None:
        return code
    return region.names.get(language) or region.names["en"]


def term_label(term: Term | None, language: str) -> str:
    return pick(term.labels, term.code, language) if term is not None else ""


def in_letter_language(text: str, language: str) -> str:
    """Free text as it goes into a letter: marked for translation when written in
    another language than the letter's, never silently mixed in."""
    text = text.strip()
    source = textlang.foreign_to(text, language)
    return f"{wording.translate_marker(source, language)} {text}" if source else text


def _where(facts: IncidentFacts, language: str) -> str:
    event = facts.event
    parts = [
        _region_text(event.region, language) if event.region else "",
        in_letter_language(str(facts.sealed.get("city") or ""), language),
        term_label(event.place_type, language),
        in_letter_language(str(facts.sealed.get("place_detail") or ""), language),
    ]
    return ", ".join(p for p in parts if p) or wording.labels(language)["unknown"]


# Identifiers are copied as written (a name, a number); descriptions are free text.
OFFICER_IDENTIFIERS = ("badge", "unit", "plate")
OFFICER_LABELS = {"badge": "badge", "unit": "unit", "plate": "vehicle"}


def _officer_text(kind: Term | None, values: dict[str, Any], language: str) -> str:
    t = wording.labels(language)

    def value(name: str) -> str:
        return str(values.get(name) or "").strip()

    who = [term_label(kind, language), value("name")]
    who += [in_letter_language(value(f), language) for f in ("rank", "agency")]
    parts = [", ".join(p for p in who if p)]
    parts += [f"{t[OFFICER_LABELS[f]]}: {value(f)}" for f in OFFICER_IDENTIFIERS if value(f)]
    parts.append(in_letter_language(value("description"), language))
    return "; ".join(p for p in parts if p)


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def context(data: LetterInput) -> dict[str, Any]:
    """Plain values for a letter in ``data.language`` (the same for DOCX and PDF)."""
    action, lang = data.action, data.language
    subject, requests = wording.body_wording(action.body.body_type, lang)
    # No act chosen means the action is about every act of the case's incidents.
    chosen = list(action.acts.select_related("act_type"))
    if not chosen:
        chosen = list(
            Act.objects.filter(event__in=action.case.incidents.all()).select_related("act_type")
        )
    acts = sorted(chosen, key=lambda a: (a.event_id, a.pk))
    grounds = list(action.grounds.all())
    return {
        "language": lang,
        "t": wording.labels(lang),
        "body_name": action.body.name_in(lang),
        "body_address": action.body.address,
        "body_email": action.body.email,
        "organisation_name": action.organisation.name,
        "lawyer_name": data.lawyer_name,
        "lawyer_position": in_letter_language(data.lawyer_position, lang),
        "today": f"{data.today:%d.%m.%Y}",
        "reference": f"{action.case.code}/{action.code}",
        "action_title": wording.action_title(action.action_type, lang),
        "subject": subject,
        "requests": requests,
        "victim_name": data.victim_name,
        "identified": data.identified,
        "incidents": [
            {
                "when": _date_text(f.event, lang),
                "where": _where(f, lang),
                "summary": in_letter_language(str(f.sealed.get("summary") or ""), lang),
                "narrative": in_letter_language(str(f.sealed.get("narrative") or ""), lang),
            }
            for f in data.incidents
        ],
        "officers": _unique(
            [
                _officer_text(kind, values, lang)
                for f in data.incidents
                for kind, values in f.perpetrators
            ]
        ),
        "acts": _unique([term_label(a.act_type, lang) for a in acts]),
        "rights": [g.label_in(lang) for g in grounds if g.kind == "right"],
        "provisions": [g.label_in(lang) for g in grounds if g.kind == "provision"],
    }


def sample_context(language: str) -> dict[str, Any]:
    """Made-up values for checking an uploaded template."""
    return {
        "language": language,
        "t": wording.labels(language),
        "body_name": "Body",
        "body_address": "Address",
        "body_email": "body@example.org",
        "organisation_name": "Organisation",
        "lawyer_name": "Lawyer",
        "lawyer_position": "Position",
        "today": "01.01.2026",
        "reference": "C-00001/L-00001",
        "action_title": wording.action_title("complaint", language),
        "subject": "Subject",
        "requests": ["Request"],
        "victim_name": "Pseudonym",
        "identified": False,
        "incidents": [
            {"when": "01.01.2026", "where": "Region", "summary": "Summary", "narrative": "A\nB"}
        ],
        "officers": ["Officer"],
        "acts": ["Act"],
        "rights": ["Right"],
        "provisions": ["Provision"],
    }


# --- templates -----------------------------------------------------------------------------


def _paragraph(doc: Any, text: str, *, bold: bool = False, italic: bool = False) -> Any:
    paragraph = doc.add_paragraph()
    run = paragraph.add_run(text)
    run.bold = bold
    run.italic = italic
    return paragraph


def _list_section(doc: Any, heading: str, name: str) -> None:
    doc.add_paragraph(f"{{%p if {name} %}}")
    _paragraph(doc, heading, bold=True)
    doc.add_paragraph(f"{{%p for item in {name} %}}")
    doc.add_paragraph("– {{ item }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endif %}")


# Times New Roman carries Romanian, Kazakh and Kyrgyz letters but not Georgian:
# Sylfaen does (Windows and Office ship it; LibreOffice substitutes DejaVu).
DOCX_FONTS = {"ka": "Sylfaen"}


def build_default_template(body_type: str, language: str) -> bytes:
    """The shared default template of a body type in a language (python-docx + Jinja tags)."""
    t = wording.labels(language)
    subject, requests = wording.body_wording(body_type, language)
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = DOCX_FONTS.get(language, "Times New Roman")
    normal.font.size = Pt(12)
    right = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph(f"{t['to']}: {{{{ body_name }}}}").alignment = right
    doc.add_paragraph("{%p if body_address %}")
    doc.add_paragraph("{{ body_address }}").alignment = right
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph(f"{t['from']}: {{{{ organisation_name }}}}").alignment = right
    doc.add_paragraph(f"{t['on_behalf']}: {{{{ victim_name }}}}").alignment = right
    doc.add_paragraph(f"{t['date']}: {{{{ today }}}}. {t['reference']}: {{{{ reference }}}}")
    title = _paragraph(doc, "{{ action_title }}", bold=True)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(subject).alignment = WD_ALIGN_PARAGRAPH.CENTER
    _paragraph(doc, t["facts"], bold=True)
    doc.add_paragraph("{%p for i in incidents %}")
    doc.add_paragraph("{{ i.when }}, {{ i.where }}.")
    doc.add_paragraph("{%p if i.summary %}")
    doc.add_paragraph("{{ i.summary }}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p if i.narrative %}")
    doc.add_paragraph("{{ i.narrative }}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p endfor %}")
    _list_section(doc, t["officers"], "officers")
    _list_section(doc, t["acts"], "acts")
    doc.add_paragraph("{%p if rights or provisions %}")
    _paragraph(doc, t["grounds"], bold=True)
    doc.add_paragraph("{%p for item in rights + provisions %}")
    doc.add_paragraph("– {{ item }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endif %}")
    _paragraph(doc, f"{t['request']}:", bold=True)
    for number, request in enumerate(requests, start=1):
        doc.add_paragraph(f"{number}. {request}")
    doc.add_paragraph("{%p if not identified %}")
    _paragraph(doc, t["pseudonym_note"], italic=True)
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph(
        "{{ lawyer_name }}{% if lawyer_position %}, {{ lawyer_position }}{% endif %}, "
        "{{ organisation_name }}"
    )
    doc.add_paragraph(f"{t['signature']}: ____________")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class ChosenTemplate:
    content: bytes
    sha256: str
    custom: bool


def choose_template(organisation_id: int, body_type: str, language: str) -> ChosenTemplate:
    """The organisation's own template, else the shared default (built if missing)."""
    row = (
        LetterTemplate.objects.filter(body_type=body_type, language=language)
        .filter(Q(organisation_id=organisation_id) | Q(organisation__isnull=True))
        .order_by(F("organisation_id").desc(nulls_last=True))
        .first()
    )
    if row is not None:
        return ChosenTemplate(bytes(row.content), row.sha256, row.organisation_id is not None)
    content = build_default_template(body_type, language)
    return ChosenTemplate(content, hashlib.sha256(content).hexdigest(), False)


# --- rendering -----------------------------------------------------------------------------


def _docx_values(values: dict[str, Any]) -> dict[str, Any]:
    """Keep line breaks of free text in Word (docxtpl's Listing escapes itself)."""
    incidents = [
        {**i, "summary": Listing(i["summary"]), "narrative": Listing(i["narrative"])}
        if i["summary"] or i["narrative"]
        else i
        for i in values["incidents"]
    ]
    return {**values, "incidents": incidents}


# Limits on rendering an (uploaded) template: a loop or a string product cannot
# run away, a letter cannot grow beyond a size, and the whole render runs in a
# child process killed after a time and refused memory beyond a budget.
MAX_RANGE = 1000
MAX_REPEAT = 1000
MAX_LETTER_BYTES = 20 * 1024 * 1024
RENDER_SECONDS = 10.0
RENDER_MEMORY = 512 * 1024 * 1024


class LetterRenderError(Exception):
    """A template failed on real data; ``reason`` is a code, ``line`` a paragraph."""

    def __init__(self, reason: str, line: int | None = None, excerpt: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line
        self.excerpt = excerpt


class LimitExceeded(SecurityError):
    """A template went beyond a rendering limit."""


class LetterSandbox(SandboxedEnvironment):
    """Jinja's sandbox with small ranges, no big repetitions, and bounded output."""

    intercepted_binops = frozenset({"*", "**"})

    def __init__(self) -> None:
        super().__init__(autoescape=True)
        self.globals["range"] = self._range

    @staticmethod
    def _range(*args: int) -> range:
        values = range(*args)
        if len(values) > MAX_RANGE:
            raise LimitExceeded(f"range larger than {MAX_RANGE}")
        return values

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            raise LimitExceeded("power is not allowed in a letter template")
        if isinstance(left, str | list | tuple) or isinstance(right, str | list | tuple):
            count = right if isinstance(right, int) else left
            if isinstance(count, int) and count > MAX_REPEAT:
                raise LimitExceeded(f"repetition larger than {MAX_REPEAT}")
        return super().call_binop(context, operator, left, right)

    def concat(self, chunks: Iterable[str]) -> str:
        parts: list[str] = []
        size = 0
        for chunk in chunks:
            size += len(chunk)
            if size > MAX_LETTER_BYTES:
                raise LimitExceeded("letter too large")
            parts.append(chunk)
        return "".join(parts)


def _render_in_process(template: bytes, values: dict[str, Any]) -> bytes:
    document = DocxTemplate(io.BytesIO(docx_guard.clean(template)))
    # The sandbox keeps an uploaded template from reaching Python objects;
    # autoescape keeps "<" or "&" in a narrative from breaking the XML.
    document.render(_docx_values(values), jinja_env=LetterSandbox(), autoescape=True)
    buffer = io.BytesIO()
    document.save(buffer)
    content = buffer.getvalue()
    if len(content) > MAX_LETTER_BYTES:
        raise LetterRenderError("too_large")
    # Jinja could assemble a field code from harmless pieces: check the result too.
    docx_guard.check_rendered(content)
    return content


def _template_line(exc: BaseException) -> tuple[int | None, str]:
    """The paragraph (docxtpl puts one per source line) and its text, where the error is."""
    line = getattr(exc, "lineno", None)
    if line is None:
        for frame, lineno in traceback.walk_tb(exc.__traceback__):
            if frame.f_code.co_filename == "<template>":
                line = lineno
    excerpt = " ".join(str(x) for x in getattr(exc, "docx_context", []) or [])
    return (max(line - 1, 1) if line else None), " ".join(excerpt.split())[:120]


def _failure(exc: BaseException) -> LetterRenderError:
    if isinstance(exc, LetterRenderError):
        return exc
    if isinstance(exc, docx_guard.UnsafeTemplate):
        return LetterRenderError("unsafe", excerpt=str(exc))
    if isinstance(exc, LimitExceeded):
        return LetterRenderError("limit", *_template_line(exc))
    if isinstance(exc, TemplateSyntaxError | SecurityError):
        return LetterRenderError("syntax", *_template_line(exc))
    if isinstance(exc, MemoryError):
        return LetterRenderError("limit")
    if isinstance(exc, zipfile.BadZipFile | KeyError | ValueError) and not _template_line(exc)[0]:
        return LetterRenderError("not_docx")
    return LetterRenderError("error", *_template_line(exc))


def _child(template: bytes, values: dict[str, Any], pipe: Connection) -> None:
    with contextlib.suppress(ValueError, OSError):
        size = _address_space()
        resource.setrlimit(resource.RLIMIT_AS, (size + RENDER_MEMORY, size + RENDER_MEMORY))
    try:
        pipe.send(("ok", _render_in_process(template, values)))
    except BaseException as exc:  # everything goes back as a reason, never a traceback
        failure = _failure(exc)
        pipe.send(("error", failure.reason, failure.line, failure.excerpt))
    finally:
        pipe.close()


def _address_space() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


def render_docx(template: bytes, values: dict[str, Any]) -> bytes:
    """Render in a child process with a deadline; raise LetterRenderError on any failure."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(template, values, sender), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(RENDER_SECONDS):
            raise LetterRenderError("time")
        try:
            result = receiver.recv()
        except EOFError as exc:  # killed for memory, or crashed
            raise LetterRenderError("limit") from exc
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
    if result[0] != "ok":
        raise LetterRenderError(*result[1:])
    return bytes(result[1])


def render_pdf(values: dict[str, Any]) -> bytes:
    # Heavy imports, only when a PDF is made. Letters load nothing from outside:
    # only inline data: URLs are allowed.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string("complaints/letter_pdf.html", values)
    fetcher = URLFetcher(allowed_protocols={"data"}, allow_redirects=False)
    return bytes(HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf())


def validate_template(content: bytes, language: str) -> bytes:
    """The cleaned template; TemplateInvalid unless it is a safe DOCX that renders."""
    if len(content) > MAX_TEMPLATE_BYTES:
        raise TemplateInvalid("too_large")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            names = set(archive.namelist())
    except zipfile.BadZipFile as exc:
        raise TemplateInvalid("not_docx") from exc
    if "word/document.xml" not in names:
        raise TemplateInvalid("not_docx")
    if unpacked > MAX_TEMPLATE_UNPACKED:
        raise TemplateInvalid("too_large")
    try:
        cleaned = docx_guard.clean(content)
    except docx_guard.UnsafeTemplate as exc:
        raise TemplateInvalid("unsafe", str(exc)) from exc
    try:
        render_docx(cleaned, sample_context(language))
    except LetterRenderError as exc:
        raise TemplateInvalid(exc.reason, exc.excerpt, exc.line) from exc
    return cleaned
