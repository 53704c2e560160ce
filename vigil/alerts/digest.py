"""The anonymised intelligence digest for a named police partner.

Built only from recorded incidents in which every victim's latest decision grants
anonymised sharing with police, and only from clear, coarse fields (month, region,
place type, perpetrator type, acts and methods): the same limits as an alert, and
no words of hers at all. Each entry carries a reference that means nothing outside
the organisation; a police request to link an entry comes back through the
register (``LinkRequest``), where she decides.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from vigil.alerts import keys
from vigil.cases import consent
from vigil.cases.models import ConsentPurpose
from vigil.incidents import regions
from vigil.incidents.models import Event, EventStatus, Person


@dataclass
class Entry:
    reference: str
    month: str
    region: str
    place: str
    perpetrators: str
    acts: str
    methods: str


def consenting(events: list[Event]) -> list[Event]:
    """Events whose every victim consents (latest decision) to anonymised police sharing."""
    chosen = []
    for event in events:
        victims = list(Person.objects.filter(acts__event=event).distinct())
        if victims and all(consent.has(v, ConsentPurpose.POLICE_ANONYMISED) for v in victims):
            chosen.append(event)
    return chosen


def events_in(organisation_id: int, start: datetime.date, end: datetime.date) -> list[Event]:
    return list(
        Event.objects.filter(
            organisation_id=organisation_id,
            status=EventStatus.RECORDED,
            start_date__gte=start,
            start_date__lte=end,
        )
        .select_related("place_type")
        .prefetch_related("acts__act_type", "acts__methods", "perpetrators__perpetrator_type")
        .order_by("start_date", "number")
    )


def _labels(terms: list[object]) -> str:
    return "; ".join(sorted({str(t) for t in terms if t is not None}))


def entries(organisation_id: int, start: datetime.date, end: datetime.date) -> list[Entry]:
    rows = []
    for event in consenting(events_in(organisation_id, start, end)):
        acts = list(event.acts.all())
        rows.append(
            Entry(
                reference=keys.digest_reference(organisation_id, event.pk),
                month=event.start_date.strftime("%Y-%m") if event.start_date else "",
                region=regions.name(event.region) if event.region else "",
                place=str(event.place_type) if event.place_type else "",
                perpetrators=_labels([p.perpetrator_type for p in event.perpetrators.all()]),
                acts=_labels([a.act_type for a in acts]),
                methods=_labels([m for a in acts for m in a.methods.all()]),
            )
        )
    rows.sort(key=lambda e: (e.month, e.reference))  # no order that hints at entry dates
    return rows


def find_event(organisation_id: int, reference: str) -> int | None:
    """The incident behind a digest reference (only incidents that can be in a digest)."""
    wanted = reference.strip().upper()
    candidates = Event.objects.filter(
        organisation_id=organisation_id, status=EventStatus.RECORDED
    ).values_list("pk", flat=True)
    for pk in candidates:
        if keys.digest_reference(organisation_id, pk) == wanted:
            return int(pk)
    return None


def header() -> list[str]:
    return [
        _("Reference"),
        _("Month"),
        _("Region"),
        _("Place type"),
        _("Perpetrator type"),
        _("Acts"),
        _("Methods"),
    ]


def _cells(entry: Entry) -> list[str]:
    return [
        entry.reference,
        entry.month,
        entry.region,
        entry.place,
        entry.perpetrators,
        entry.acts,
        entry.methods,
    ]


def render_csv(rows: list[Entry]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header())
    for entry in rows:
        writer.writerow(_cells(entry))
    return buffer.getvalue().encode("utf-8-sig")


def _intro(partner: str, start: datetime.date, end: datetime.date) -> str:
    return _(
        "Anonymised information for %(partner)s, %(start)s to %(end)s. Only incidents whose "
        "victims agreed to anonymised sharing with the police are included. To ask about an "
        "entry, quote its reference: we will ask her, and answer only if she agrees."
    ) % {"partner": partner, "start": start.strftime("%Y-%m"), "end": end.strftime("%Y-%m")}


def render_docx(rows: list[Entry], partner: str, start: datetime.date, end: datetime.date) -> bytes:
    from docx import Document

    document = Document()
    properties = document.core_properties
    properties.author = ""
    properties.last_modified_by = ""
    document.add_heading(_("Anonymised intelligence digest"), level=0)
    document.add_paragraph(_intro(partner, start, end))
    table = document.add_table(rows=1, cols=len(header()))
    for cell, title in zip(table.rows[0].cells, header(), strict=True):
        cell.text = title
    for entry in rows:
        for cell, value in zip(table.add_row().cells, _cells(entry), strict=True):
            cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render_pdf(rows: list[Entry], partner: str, start: datetime.date, end: datetime.date) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string(
        "alerts/digest_pdf.html",
        {"rows": rows, "header": header(), "intro": _intro(partner, start, end)},
    )
    fetcher = URLFetcher(allowed_protocols={"data"}, allow_redirects=False)
    return bytes(HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf())
