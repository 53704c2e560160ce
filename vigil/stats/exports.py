"""Writers for exported tables: CSV streamed row by row, XLSX in write-only mode.

Both take an iterable of rows and never hold the whole file in memory: the CSV
writer yields one encoded line at a time; the XLSX workbook is written in
openpyxl's write-only mode to an anonymous temporary file that is then
streamed. Hidden values (disclosure control) are written as ``HIDDEN``.
"""

from __future__ import annotations

import csv
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

HIDDEN = "x"
# Spreadsheet programs run a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell_value(value: Any) -> Any:
    """What an exported cell holds: numbers as numbers, hidden as HIDDEN, text defused."""
    if value is None:
        return HIDDEN
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return value
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


class _Line:
    """A file-like object that hands back what csv.writer writes to it."""

    def write(self, value: str) -> str:
        return value


def csv_chunks(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """Encode a table as UTF-8 CSV (with a BOM so spreadsheet programs read Cyrillic)."""
    writer = csv.writer(_Line())
    yield "\ufeff".encode() + writer.writerow([cell_value(v) for v in header]).encode()
    for row in rows:
        yield writer.writerow([cell_value(v) for v in row]).encode()


def sheet_name(title: str) -> str:
    """A sheet name a spreadsheet accepts: 31 characters, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", " ", title).strip()[:31] or "1"


def xlsx_file(
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    title: str = "",
    notes: Sequence[Sequence[Any]] = (),
) -> IO[bytes]:
    """Write a workbook (the table, then a sheet of method notes) to a temporary file.

    The caller streams and closes it; the file has no name on disk to leak.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_name(title or str(_("Table"))))
    sheet.append([cell_value(v) for v in header])
    for row in rows:
        sheet.append([cell_value(v) for v in row])
    if notes:
        about = workbook.create_sheet(title=sheet_name(str(_("About these figures"))))
        for line in notes:
            about.append([cell_value(v) for v in line])
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it after streaming
    workbook.save(handle)
    handle.seek(0)
    return handle
