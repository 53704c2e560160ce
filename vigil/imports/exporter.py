"""The organisation's own incidents as CSV or XLSX, in the importer's column layout.

One line per act (victim and act type), with the first perpetrator involved in
it and the victim's case for the incident. The file holds unsealed names and
narratives: it is built in memory (never a temporary file) and only for
coordinators (``Perm.EXPORT_RECORDS``), and every export is audited. The
background worker (``export_jobs``) writes the lines chunk by chunk into the
sealed store; the XLSX sheet is kept in memory too (openpyxl's write-only mode
would otherwise spool the sheet's XML, names included, to a temporary file).

Cells that a spreadsheet program would run as a formula (starting with = + -
@, a tab or a carriage return, or their full-width forms) get a leading
apostrophe; the importer removes it again, so an export read back gives the
same records.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile

from django.db.models import Prefetch, QuerySet
from openpyxl import Workbook
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter

from vigil.cases.models import Case, Consent, ConsentPurpose
from vigil.imports.fields import FIELDS
from vigil.imports.reader import FORMULA_START
from vigil.incidents.models import Act, Event, Involvement
from vigil.vault import sealing
from vigil.vault.session import Vault

HEADER = [f.name for f in FIELDS]
CONSENT = HEADER.index("statistics_consent")


def defuse(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    return "'" + value if value.startswith(FORMULA_START) else value


def _events(events: QuerySet[Event]) -> QuerySet[Event]:
    return (
        events.order_by("number")
        .select_related("place_type")
        .prefetch_related(
            Prefetch(
                "acts",
                queryset=Act.objects.order_by("pk").select_related(
                    "victim", "victim__primary_group", "act_type", "status_at_end"
                ),
            ),
            Prefetch(
                "perpetrators__involvements",
                queryset=Involvement.objects.order_by("pk"),
            ),
            "perpetrators__perpetrator_type",
            Prefetch("cases", queryset=Case.objects.order_by("pk")),
        )
    )


def _consents(person_ids: list[int]) -> dict[int, str]:
    """The latest statistics consent of each person ("yes" or "no"), in one query."""
    latest: dict[int, str] = {}
    consents = (
        Consent.objects.filter(person_id__in=person_ids, purpose=ConsentPurpose.STATISTICS, body="")
        .order_by("person_id", "-recorded_at", "-pk")
        .values_list("person_id", "granted")
    )
    for person_id, granted in consents:
        latest.setdefault(person_id, "yes" if granted else "no")
    return latest


# Incidents read (with their acts, perpetrators and cases) per batch.
BATCH = 500


def rows(events: QuerySet[Event], vault: Vault) -> Iterator[list[Any]]:
    """Unsealed rows of the organisation's recorded incidents (caller checked policy)."""
    batch: list[Event] = []
    for event in _events(events).iterator(chunk_size=BATCH):
        batch.append(event)
        if len(batch) == BATCH:
            yield from _batch_rows(batch, vault)
            batch = []
    yield from _batch_rows(batch, vault)


def _batch_rows(batch: list[Event], vault: Vault) -> Iterator[list[Any]]:
    # One query for the consents of the whole batch's victims, not one per line.
    consents = _consents([act.victim_id for event in batch for act in event.acts.all()])
    for event in batch:
        key = event.data_key(vault, event.organisation_id)
        sealed = sealing.open_json(key, event.sealed, {})
        perpetrators = list(event.perpetrators.all())
        cases = list(event.cases.all())
        for act in event.acts.all():
            line = _line(event, sealed, act, perpetrators, cases, key, vault)
            line[CONSENT] = consents.get(act.victim_id, "")
            yield line


def _line(
    event: Event,
    sealed: dict[str, Any],
    act: Act,
    perpetrators: list[Any],
    cases: list[Case],
    key: bytes,
    vault: Vault,
) -> list[Any]:
    victim = act.victim
    person = sealing.open_json(victim.data_key(vault, victim.organisation_id), victim.sealed, {})
    perpetrator = next(
        (p for p in perpetrators if any(i.act_id == act.pk for i in p.involvements.all())),
        perpetrators[0] if perpetrators else None,
    )
    who = sealing.open_json(key, perpetrator.sealed, {}) if perpetrator is not None else {}
    case = next((c for c in cases if c.client_id == victim.pk), None)
    values = {
        "external_id": sealed.get("external_id") or event.code,
        "date": event.start_date.isoformat() if event.start_date else "",
        "region": event.region,
        "place_type": event.place_type.code if event.place_type else "",
        "title": sealed.get("title", ""),
        "city": sealed.get("city", ""),
        "narrative": sealed.get("narrative", ""),
        "victim_pseudonym": victim.pseudonym,
        "victim_name": person.get("legal_name", ""),
        "victim_phone": person.get("phone", ""),
        "victim_sex": victim.sex,
        "victim_age_band": victim.age_band,
        "victim_group": victim.primary_group.code if victim.primary_group else "",
        "act_type": act.act_type.code,
        "act_status": act.status_at_end.code if act.status_at_end else "",
        "perpetrator_type": (
            perpetrator.perpetrator_type.code
            if perpetrator is not None and perpetrator.perpetrator_type
            else ""
        ),
        "perpetrator_name": who.get("name", ""),
        "perpetrator_badge": who.get("badge", ""),
        "perpetrator_unit": who.get("unit", ""),
        "statistics_consent": "",  # set by _batch_rows (one query per batch)
        "case_status": case.status if case is not None else "",
    }
    return [values[name] for name in HEADER]


BOM = "\ufeff".encode()


def csv_text(lines: Iterable[list[Any]], *, header: bool = False) -> tuple[bytes, int]:
    """CSV lines (formulas defused) as UTF-8, and how many; ``header`` puts the BOM and
    the header line first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if header:
        writer.writerow(HEADER)
    count = 0
    for line in lines:
        writer.writerow([defuse(v) for v in line])
        count += 1
    return (BOM if header else b"") + buffer.getvalue().encode(), count


def csv_bytes(lines: Iterator[list[Any]]) -> tuple[bytes, int]:
    return csv_text(lines, header=True)


class _MemoryExcelWriter(ExcelWriter):
    """Puts the write-only sheet's XML, kept in memory, into the archive."""

    def write_worksheet(self, ws: Any) -> None:
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        if not ws.closed:
            ws.close()
        writer = ws._writer
        ws._rels = writer._rels
        self._archive.writestr(ws.path[1:], writer.out.getvalue())
        self.manifest.append(ws)


class XlsxSheet:
    """A one-sheet XLSX built in memory, appended to chunk by chunk."""

    def __init__(self) -> None:
        self.workbook = Workbook(write_only=True)
        self.sheet: Any = self.workbook.create_sheet(title="incidents")
        self.sheet._writer = WorksheetWriter(self.sheet, out=io.BytesIO())
        self.sheet._writer.write_top()
        self.sheet.append(HEADER)

    def append(self, lines: Iterable[list[Any]]) -> int:
        count = 0
        for line in lines:
            # Every cell as text: an identifier like "007" or a date stays exactly as written.
            self.sheet.append([defuse(str(v)) for v in line])
            count += 1
        return count

    def close(self) -> None:
        """End the sheet's XML (a cancelled export drops it; this keeps lxml quiet)."""
        if not self.sheet.closed:
            self.sheet.close()

    def getvalue(self) -> bytes:
        buffer = io.BytesIO()
        archive = ZipFile(buffer, "w", ZIP_DEFLATED, allowZip64=True)
        _MemoryExcelWriter(self.workbook, archive).save()
        return buffer.getvalue()


def xlsx_bytes(lines: Iterator[list[Any]]) -> tuple[bytes, int]:
    sheet = XlsxSheet()
    count = sheet.append(lines)
    return sheet.getvalue(), count
