"""Reading spreadsheets: CSV (UTF-8 or cp1251, comma or semicolon) and XLSX.

The plaintext comes from the sealed store into memory and is never written to
disk. Lines are numbered as a spreadsheet program shows them: the header is
line 1, the first record line 2.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from openpyxl import load_workbook

XLSX_MAGIC = b"PK\x03\x04"
EXCEL_EPOCH = datetime.date(1899, 12, 30)
# Excel serials between 1950 and 2100: a plain number outside is not a date.
SERIAL_RANGE = (18264, 73051)
_DMY = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$")
# Cells a spreadsheet would run as formulas; exports prefix them with an apostrophe.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?$")


class Unreadable(Exception):
    """The file is neither a CSV nor an XLSX we can read."""


@dataclass(frozen=True)
class Sheet:
    headers: list[str]
    rows: Iterator[tuple[int, list[Any]]]  # (line number, cells)


def detect_format(head: bytes) -> str:
    return "xlsx" if head.startswith(XLSX_MAGIC) else "csv"


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else cp1251, the usual Cyrillic Windows export."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1251")


def _delimiter(first_line: str) -> str:
    return ";" if first_line.count(";") > first_line.count(",") else ","


def read_csv(data: bytes) -> Sheet:
    text = decode(data)
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first))
    try:
        headers = [h.strip() for h in next(reader)]
    except StopIteration as exc:
        raise Unreadable("empty") from exc

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            for number, cells in enumerate(reader, start=2):
                if any(c.strip() for c in cells):
                    yield number, cells
        except csv.Error as exc:  # a cell over the csv module's limit, a stray NUL ...
            raise Unreadable("csv") from exc

    return Sheet(headers, rows())


def read_xlsx(data: bytes) -> Sheet:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken zip or XML
        raise Unreadable("xlsx") from exc
    sheet = workbook.worksheets[0]
    lines = sheet.iter_rows(values_only=True)
    try:
        headers = ["" if h is None else str(h).strip() for h in next(lines)]
    except StopIteration as exc:
        raise Unreadable("empty") from exc

    def rows() -> Iterator[tuple[int, list[Any]]]:
        for number, cells in enumerate(lines, start=2):
            values = ["" if c is None else c for c in cells]
            if any(str(v).strip() for v in values):
                yield number, values
        workbook.close()

    return Sheet(headers, rows())


def read(data: bytes, file_format: str) -> Sheet:
    return read_xlsx(data) if file_format == "xlsx" else read_csv(data)


def text_of(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return undefuse(str(value).strip())


def undefuse(text: str) -> str:
    """Drop the apostrophe an export put before a formula-like cell."""
    if text.startswith("'") and text[1:].startswith(FORMULA_START):
        return text[1:]
    return text


def parse_date(value: Any) -> datetime.date | None:
    """dd.mm.yyyy, ISO yyyy-mm-dd, a date cell, or an Excel serial number; None if not."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _serial(float(value))
    text = str(value).strip()
    try:
        if match := _DMY.match(text):
            day, month, year = (int(g) for g in match.groups())
            return datetime.date(year, month, day)
        if match := _ISO.match(text):
            year, month, day = (int(g) for g in match.groups())
            return datetime.date(year, month, day)
        if re.fullmatch(r"\d+(\.\d+)?", text):
            return _serial(float(text))
    except ValueError:
        return None
    return None


def _serial(number: float) -> datetime.date | None:
    if not SERIAL_RANGE[0] <= number <= SERIAL_RANGE[1]:
        return None
    return EXCEL_EPOCH + datetime.timedelta(days=int(number))
