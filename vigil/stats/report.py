"""The advocacy report: one period, one scope, as an editable DOCX and as a PDF.

Every number comes from the aggregation module (``aggregate.table``,
``key_figures``, ``response_figures``) and, for complaints, from
``complaints.figures``: all of them have passed through ``disclosure`` before
they reach this module, so the report hides exactly what the dashboard and
the exports hide. The period is widened to whole months (dates are coarsened
to months in anything that leaves the system).

The report is built in the language chosen for it (``translation.override``),
independent of the interface language; its own words are in
``report_wording.py``. Charts: the PDF draws the dashboard's SVG geometry
(``charts.py``); the DOCX gets the same geometry drawn as a PNG with Pillow.

``build`` does the work and reports progress; ``run_job`` wraps it for a
``ReportJob`` (the ``generate_report`` task) and stores the files in the
default storage under random names, deleted after ``STATS_REPORT_KEEP_DAYS``.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime
import io
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation

from vigil import policy
from vigil.accounts.models import Membership
from vigil.policy import Perm
from vigil.stats import access, aggregate, charts, disclosure, regionmap
from vigil.stats.aggregate import Dim, Filters, Group, Heading, SafeTable, Scope, Unit
from vigil.stats.models import ReportJob, ReportStatus
from vigil.stats.report_wording import words as report_words

Progress = Callable[[int, int], None]

# What ``build`` does, in order (one progress step each).
STEPS = (
    "key_figures",
    "trend",
    "act_types",
    "act_types_detail",
    "perpetrators",
    "regions",
    "response",
    "complaints",
    "docx",
    "pdf",
)
MAX_MONTHS = 120
STORAGE_DIR = "stats-reports"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


def keep_days() -> int:
    return int(getattr(settings, "STATS_REPORT_KEEP_DAYS", 7))


def whole_months(start: datetime.date, end: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Widen a period to the first day of its first month and the last of its last."""
    last = calendar.monthrange(end.year, end.month)[1]
    return start.replace(day=1), end.replace(day=last)


def month_span(start: datetime.date, end: datetime.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


@dataclass(frozen=True)
class ReportSpec:
    scope: Scope
    date_from: datetime.date
    date_to: datetime.date
    language: str
    country: str = ""
    include_complaints: bool = False

    def __post_init__(self) -> None:
        start, end = whole_months(self.date_from, self.date_to)
        object.__setattr__(self, "date_from", start)
        object.__setattr__(self, "date_to", end)

    def filters(self) -> Filters:
        countries = (self.country,) if self.country else ()
        return Filters(date_from=self.date_from, date_to=self.date_to, countries=countries)

    def audit(self) -> dict[str, Any]:
        """Codes and months only."""
        return {
            "scope": self.scope.describe(),
            "date_from": self.date_from.isoformat()[:7],
            "date_to": self.date_to.isoformat()[:7],
            "country": self.country,
            "language": self.language,
        }


# --- content: what both documents show ---------------------------------------------------


@dataclass(frozen=True)
class Line:
    label: str
    value: str
    hidden: bool = False


@dataclass(frozen=True)
class Block:
    """A 1-D table, optionally with a chart (``kind``: "bars", "columns" or "").

    ``title`` is empty when the block is the only one of its section."""

    title: str
    unit: str
    unit_line: str  # "Counting unit: ..."
    row_title: str
    lines: list[Line]
    total: Line
    kind: str
    chart: Any = None  # charts.BarChart | charts.ColumnChart with the report's words

    @property
    def empty(self) -> bool:
        return not self.lines


@dataclass(frozen=True)
class Grid:
    """A 2-D table with margins (rows x columns, row totals last)."""

    title: str
    unit: str
    unit_line: str
    row_title: str
    columns: list[str]
    rows: list[tuple[str, list[str]]]  # label, cells + row total
    totals: list[str]  # column totals + grand total


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    figures: list[Line] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    grids: list[Grid] = field(default_factory=list)
    maps: list[Any] = field(default_factory=list)  # regionmap.RegionMap


@dataclass
class Content:
    language: str
    words: dict[str, str]
    title: str
    subtitle: str
    facts: list[Line]  # title page: scope, period, country, date generated
    sections: list[Section]


@dataclass(frozen=True)
class ReportFiles:
    docx: bytes
    pdf: bytes
    base_name: str


def _shown(value: int | None, w: dict[str, str]) -> Line:
    return Line("", w["hidden"] if value is None else str(value), value is None)


def _number(value: float | int | None, w: dict[str, str], suffix: str = "") -> Line:
    if value is None:
        return Line("", w["hidden"], True)
    text = formats.number_format(value, decimal_pos=1 if value != int(value) else 0)
    return Line("", f"{text}{suffix}")


def _relabel(table: SafeTable, w: dict[str, str], labels: dict[str, str]) -> SafeTable:
    rows = [
        Heading(h.code, labels.get(h.code) or (w["not_recorded"] if not h.code else h.label))
        for h in table.rows
    ]
    return dataclasses.replace(table, rows=rows)


def _chart(table: SafeTable, kind: str, w: dict[str, str]) -> Any:
    """The dashboard's chart geometry, with the report's word for a hidden value."""
    if kind == "columns":
        trend = charts.column_chart(table)
        columns = [
            dataclasses.replace(c, text=w["hidden"]) if c.hidden else c for c in trend.columns
        ]
        return dataclasses.replace(trend, columns=columns)
    bar_chart = charts.bar_chart(table)
    bars = [dataclasses.replace(b, text=w["hidden"]) if b.hidden else b for b in bar_chart.bars]
    return dataclasses.replace(bar_chart, bars=bars)


def block(
    table: SafeTable,
    title: str,
    row_title: str,
    w: dict[str, str],
    kind: str = "bars",
    labels: dict[str, str] | None = None,
) -> Block:
    table = _relabel(table, w, labels or {})
    lines = [
        dataclasses.replace(_shown(value, w), label=heading.label)
        for heading, value in table.series()
    ]
    total = dataclasses.replace(_shown(table.total, w), label=w["total"])
    unit = w[f"unit_{table.unit.value}"]
    chart = _chart(table, kind, w) if kind and lines else None
    unit_line = w["counting_unit"].format(unit=unit)
    return Block(title, unit, unit_line, row_title, lines, total, kind, chart)


def _cells(values: Sequence[int | None], w: dict[str, str]) -> list[str]:
    return [_shown(v, w).value for v in values]


def _complaints(spec: ReportSpec, w: dict[str, str]) -> Section | None:
    from vigil.complaints.figures import accountability_figures

    figures = accountability_figures(spec.scope.organisation_ids, today=timezone.localdate())
    if figures.filed == 0:
        return None
    outcomes = figures.outcomes_by_body_type
    grids = []
    if outcomes.rows and outcomes.columns:
        grids.append(
            Grid(
                w["outcomes_by_body"],
                w["unit_complaints"],
                w["counting_unit"].format(unit=w["unit_complaints"]),
                w["body_type"],
                [c.label for c in outcomes.columns] + [w["total"]],
                [
                    (h.label, _cells([*cells, row_total], w))
                    for h, cells, row_total in outcomes.lines()
                ],
                _cells([*outcomes.column_totals, outcomes.total], w),
            )
        )
    return Section(
        w["complaints"],
        paragraphs=[w["complaints_scope"]],
        figures=[
            dataclasses.replace(_shown(figures.filed, w), label=w["filed"]),
            dataclasses.replace(_shown(figures.answered, w), label=w["answered"]),
            dataclasses.replace(_shown(figures.answered_on_time, w), label=w["answered_on_time"]),
            dataclasses.replace(_number(figures.median_days, w), label=w["median_answer"]),
        ],
        grids=grids,
    )


def _notes(spec: ReportSpec, w: dict[str, str], threshold: int) -> list[str]:
    scope = spec.scope
    notes = [
        w["note_units"],
        w["note_consent"],
        w["note_suppression"].format(below=threshold - 1, threshold=threshold),
        w["note_coarsening"].format(
            start=spec.date_from.isoformat()[:7], end=spec.date_to.isoformat()[:7]
        ),
        w["note_network"].format(count=len(scope.organisation_ids))
        if scope.is_network
        else w["note_organisation"],
        w["note_response"],
        w["note_prevalence"],
    ]
    return notes


def collect(spec: ReportSpec, progress: Progress) -> Content:
    """Compute every table of the report (call inside ``translation.override``)."""
    w = report_words(spec.language)
    scope, filters = spec.scope, spec.filters()
    threshold = disclosure.min_cell()
    total_steps = len(STEPS)
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        progress(done, total_steps)

    def one(unit: Unit, dim: Dim, depth: int | None = None) -> SafeTable:
        return aggregate.table(scope, unit, Group(dim, depth), None, filters, threshold)

    figures = aggregate.key_figures(scope, filters, threshold)
    key = Section(
        w["key_figures"],
        figures=[
            dataclasses.replace(_shown(figures[unit], w), label=w[f"unit_{unit.value}"])
            for unit in (Unit.INCIDENTS, Unit.ACTS, Unit.VICTIMS)
        ],
    )
    step()
    trend = block(one(Unit.INCIDENTS, Dim.MONTH), "", w["month"], w, "columns")
    step()
    act_top = block(one(Unit.ACTS, Dim.ACT_TYPE, 0), w["main_categories"], w["act_type"], w)
    step()
    act_detail = block(one(Unit.ACTS, Dim.ACT_TYPE, 1), w["detailed"], w["act_type"], w)
    step()
    perpetrators = block(one(Unit.INCIDENTS, Dim.PERPETRATOR_TYPE), "", w["perpetrator_type"], w)
    step()
    by_region = one(Unit.INCIDENTS, Dim.REGION)
    region_block = block(by_region, "", w["region"], w)
    countries = [spec.country] if spec.country else regionmap.countries_in(by_region)
    region_maps = regionmap.maps_for(by_region, countries, w["hidden"])
    step()
    response = aggregate.response_figures(scope, filters, threshold)
    bands = {code: w[f"band_{code}"] for code, *_rest in aggregate.CONTACT_BANDS}
    response_section = Section(
        w["response"],
        figures=[
            dataclasses.replace(_number(response.median_days, w), label=w["median_contact"]),
            dataclasses.replace(_number(response.legal_share, w, " %"), label=w["legal_share"]),
        ],
        blocks=[
            block(response.contact_bands, w["time_to_contact"], w["days"], w, labels=bands),
            block(
                response.legal,
                w["legal_support"],
                w["legal_support"],
                w,
                labels={"legal": w["with_legal"], "other": w["without_legal"]},
            ),
        ],
    )
    step()
    complaints = _complaints(spec, w) if spec.include_complaints else None
    step()
    sections = [
        key,
        Section(w["trend"], blocks=[trend]),
        Section(w["act_types"], blocks=[act_top, act_detail]),
        Section(w["perpetrators"], blocks=[perpetrators]),
        Section(w["regions"], blocks=[region_block], maps=region_maps),
        response_section,
    ]
    if complaints is not None:
        sections.append(complaints)
    from vigil.referrals.report import funnel_section  # referrals: the diversion funnel

    referral_funnel = funnel_section(spec, w)
    if referral_funnel is not None:
        sections.append(referral_funnel)
    sections.append(_alerts_section(spec, w, threshold))
    # --- engagement ---
    from vigil.engagement.figures import report_section

    engagement = report_section(scope.organisation_ids, spec.date_from, spec.date_to, w)
    if engagement is not None:
        sections.append(engagement)
    sections.append(Section(w["method"], paragraphs=_notes(spec, w, threshold)))
    return Content(
        spec.language,
        w,
        w["title"],
        w["subtitle"],
        _facts(spec, w),
        sections,
    )


def _facts(spec: ReportSpec, w: dict[str, str]) -> list[Line]:
    scope = spec.scope
    facts = [Line(w["network"] if scope.is_network else w["organisation"], scope.label)]
    if scope.is_network:
        facts.append(Line(w["network_members"], str(len(scope.organisation_ids))))
    facts += [
        Line(
            w["period"],
            f"{spec.date_from.isoformat()[:7]} – {spec.date_to.isoformat()[:7]}",
        ),
        Line(w["country"], spec.country or w["all_countries"]),
        Line(w["generated"], timezone.localdate().isoformat()),
    ]
    return facts


# --- DOCX ---------------------------------------------------------------------------------


@cache
def _font_path(bold: bool = False) -> str | None:
    path = FONT_DIR / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
    return str(path) if path.exists() else None


def _font(size: int, bold: bool = False) -> Any:
    from PIL import ImageFont

    path = _font_path(bold)
    if path is None:
        return ImageFont.load_default(size)
    return ImageFont.truetype(path, size)


CHART_WIDTH = 1400  # px; the DOCX shows it 16 cm wide
SCALE = 2  # the SVG geometry is in CSS pixels; draw it twice as large for print
ACCENT = (31, 94, 140)
MUTED = (102, 102, 102)
LINE = (204, 204, 204)


def chart_png(item: Block) -> bytes:
    """Draw the block's chart (the same geometry as the SVG) as a PNG."""
    from PIL import Image, ImageDraw

    chart = item.chart
    height = (chart.height + 8) * SCALE
    image = Image.new("RGB", (CHART_WIDTH, height), "white")
    draw = ImageDraw.Draw(image)

    def x(pct: str) -> float:
        return float(pct) * CHART_WIDTH / 100

    if item.kind == "columns":
        small = _font(11 * SCALE)
        for c in chart.columns:
            left, width = x(c.x), x(c.width)
            box = (left, c.y * SCALE, left + width, (c.y + c.height) * SCALE)
            if c.hidden:
                draw.rectangle(box, outline=MUTED, width=2)
            elif c.height:
                draw.rectangle(box, fill=ACCENT)
            if c.tick:
                draw.text((x(c.tick_x), chart.tick_y * SCALE), c.tick, MUTED, small, anchor="ms")
        axis = chart.axis_y * SCALE
        draw.line((0, axis, CHART_WIDTH, axis), LINE, 2)
    else:
        label_font, value_font = _font(13 * SCALE), _font(12 * SCALE)
        for b in chart.bars:
            for line, y in b.lines or ((b.label, b.y_label),):
                draw.text((0, y * SCALE), line, (17, 17, 17), label_font, anchor="ls")
            width = x("4") if b.hidden else x(b.width)
            box = (0, b.y_bar * SCALE, width, (b.y_bar + charts.BAR) * SCALE)
            if b.hidden:
                draw.rectangle(box, outline=MUTED, width=2)
            elif width:
                draw.rectangle(box, fill=ACCENT)
            draw.text((width + 12, b.y_text * SCALE), b.text, MUTED, value_font, anchor="ls")
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def _docx_table(document: Any, header: list[str], rows: list[list[str]], bold_last: bool) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for i, values in enumerate(rows):
        cells = table.add_row().cells
        last = bold_last and i == len(rows) - 1
        for j, (cell, text) in enumerate(zip(cells, values, strict=True)):
            cell.text = ""
            paragraph = cell.paragraphs[0]
            paragraph.add_run(text).bold = last
            if j > 0:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph()


def _docx_block(document: Any, item: Block, w: dict[str, str]) -> None:
    from docx.shared import Cm

    if item.title:
        document.add_heading(item.title, level=2)
    document.add_paragraph().add_run(item.unit_line).italic = True
    if item.empty:
        document.add_paragraph(w["nothing"])
        return
    if item.chart is not None:
        document.add_picture(io.BytesIO(chart_png(item)), width=Cm(16))
    rows = [[line.label, line.value] for line in item.lines]
    rows.append([item.total.label, item.total.value])
    _docx_table(document, [item.row_title, item.unit], rows, bold_last=True)


def _docx_grid(document: Any, grid: Grid, w: dict[str, str]) -> None:
    document.add_heading(grid.title, level=2)
    document.add_paragraph().add_run(grid.unit_line).italic = True
    rows = [[label, *cells] for label, cells in grid.rows]
    rows.append([w["total"], *grid.totals])
    _docx_table(document, [grid.row_title, *grid.columns], rows, bold_last=True)


def _docx_map(document: Any, region_map: Any) -> None:
    """The region map as a PNG (the SVG's outlines), its legend, and the table below it."""
    from docx.shared import Cm

    document.add_heading(region_map.title, level=2)
    document.add_picture(io.BytesIO(regionmap.map_png(region_map)), width=Cm(16))
    legend = document.add_paragraph()
    legend.add_run(region_map.legend_title + ": ").italic = True
    legend.add_run("; ".join(item.label for item in region_map.legend))


def render_docx(content: Content) -> bytes:
    from docx import Document
    from docx.enum.text import WD_BREAK

    w = content.words
    document = Document()
    properties = document.core_properties
    properties.title = content.title
    properties.language = content.language
    properties.author = ""
    properties.last_modified_by = ""
    properties.comments = ""
    document.add_heading(content.title, level=0)
    document.add_paragraph(content.subtitle)
    for fact in content.facts:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{fact.label}: ").bold = True
        paragraph.add_run(fact.value)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    for section in content.sections:
        document.add_heading(section.heading, level=1)
        for text in section.paragraphs:
            document.add_paragraph(text)
        for line in section.figures:
            paragraph = document.add_paragraph(style="List Bullet")
            paragraph.add_run(f"{line.label}: ")
            paragraph.add_run(line.value).bold = True
        for region_map in section.maps:
            _docx_map(document, region_map)
        for item in section.blocks:
            _docx_block(document, item, w)
        for grid in section.grids:
            _docx_grid(document, grid, w)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- PDF ----------------------------------------------------------------------------------


def _fetcher() -> Any:
    """A WeasyPrint URL fetcher that refuses everything but data: URLs."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"}, allow_redirects=False)


def render_pdf(content: Content) -> bytes:
    from weasyprint import HTML  # heavy import, only when a PDF is made

    html = render_to_string("stats/report_pdf.html", {"c": content, "w": content.words})
    return bytes(HTML(string=html, base_url=None, url_fetcher=_fetcher()).write_pdf())


# --- building and jobs ----------------------------------------------------------------------


def file_stem(date_from: datetime.date, date_to: datetime.date, language: str) -> str:
    """The name of the downloaded files, without extension (months and language only)."""
    return f"vigil-report-{date_from.isoformat()[:7]}-{date_to.isoformat()[:7]}-{language}"


def build(spec: ReportSpec, progress: Progress = lambda done, total: None) -> ReportFiles:
    """Both documents, reporting (steps done, steps total) after each step."""
    with translation.override(spec.language), aggregate.shared_totals():
        content = collect(spec, progress)
        docx = render_docx(content)
        progress(len(STEPS) - 1, len(STEPS))
        pdf = render_pdf(content)
        progress(len(STEPS), len(STEPS))
    return ReportFiles(docx, pdf, file_stem(spec.date_from, spec.date_to, spec.language))


def spec_for_job(job: ReportJob) -> ReportSpec:
    """The job's scope as its member may still see it; PermissionError otherwise."""
    membership = (
        Membership.objects.filter(
            user_id=job.requested_by_id, organisation_id=job.organisation_id, is_active=True
        )
        .select_related("organisation")
        .first()
    )
    if membership is None or not access.can_export(membership):
        raise PermissionError("the member may no longer export statistics")
    if job.network_id is not None:
        network = access.networks_for(membership).filter(pk=job.network_id).first()
        if network is None:
            raise PermissionError("the network is no longer the member's")
        scope = Scope.for_network(network)
    elif policy.stats_scope_is_network(membership):
        raise PermissionError("a network analyst reports on a network")
    else:
        scope = Scope.for_organisation(membership.organisation)
    include_complaints = not scope.is_network and policy.can(
        membership, Perm.ACCOUNTABILITY_FIGURES
    )
    return ReportSpec(
        scope, job.date_from, job.date_to, job.language, job.country, include_complaints
    )


def _store(data: bytes, extension: str) -> str:
    name = f"{STORAGE_DIR}/{secrets.token_urlsafe(24)}.{extension}"
    return default_storage.save(name, ContentFile(data))


def run_job(job_id: int) -> str:
    """Generate the job's files (once: a retried task finds it claimed) and return its status."""
    claimed = ReportJob.objects.filter(pk=job_id, status=ReportStatus.QUEUED).update(
        status=ReportStatus.RUNNING, steps_done=0, steps_total=len(STEPS)
    )
    if not claimed:
        job = ReportJob.objects.filter(pk=job_id).first()
        return job.status if job else "missing"
    job = ReportJob.objects.get(pk=job_id)

    def progress(done: int, total: int) -> None:
        ReportJob.objects.filter(pk=job_id).update(steps_done=done, steps_total=total)

    try:
        files = build(spec_for_job(job), progress)
        docx_name, pdf_name = _store(files.docx, "docx"), _store(files.pdf, "pdf")
    except Exception:
        ReportJob.objects.filter(pk=job_id).update(
            status=ReportStatus.FAILED, finished_at=timezone.now()
        )
        raise
    ReportJob.objects.filter(pk=job_id).update(
        status=ReportStatus.DONE,
        steps_done=len(STEPS),
        docx_name=docx_name,
        pdf_name=pdf_name,
        finished_at=timezone.now(),
    )
    return ReportStatus.DONE.value


def delete_files(job: ReportJob) -> None:
    for name in (job.docx_name, job.pdf_name):
        if name:
            default_storage.delete(name)


def purge_expired(now: datetime.datetime | None = None) -> int:
    """Delete expired jobs and their files; return how many jobs went."""
    moment = now or timezone.now()
    expired = list(ReportJob.objects.filter(expires_at__lte=moment))
    for job in expired:
        delete_files(job)
        job.delete()
    return len(expired)


# --- Ugly Mugs alerts (vigil.alerts.figures, already through disclosure control) -------


def _alerts_section(spec: ReportSpec, w: dict[str, str], threshold: int) -> Section:
    from django.utils.translation import gettext

    from vigil.alerts.figures import figures as alert_figures

    found = alert_figures(spec.scope.organisation_ids, spec.date_from, spec.date_to, threshold)
    lines = [
        dataclasses.replace(_shown(line.value, w), label=line.label) for line in found.activity
    ]
    for row in found.levels:
        incidents, police = _shown(row.incidents, w), _shown(row.police_reports, w)
        text = gettext("%(incidents)s incidents, %(police)s became formal police reports") % {
            "incidents": incidents.value,
            "police": police.value,
        }
        lines.append(Line(row.label, text, incidents.hidden or police.hidden))
    return Section(
        gettext("Warning others: Ugly Mugs alerts"),
        paragraphs=[
            gettext(
                "Incidents by what the women allowed us to do with their reports, and how many "
                "of them became a formal complaint to the police or a prosecutor."
            )
        ],
        figures=lines,
    )
