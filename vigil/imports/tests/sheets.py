"""Spreadsheets for the import tests (not a test module)."""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import Workbook

HEADERS = [
    "external_id",
    "date",
    "region",
    "act_type",
    "perpetrator_type",
    "perpetrator_badge",
    "victim_name",
    "narrative",
    "statistics_consent",
    "case_status",
]
NAME = "Оксана Плантована"
NARRATIVE = "Задержали у аптеки, секретный рассказ"


def good_row(n: int) -> list[Any]:
    return [
        f"EXT-{n:05d}",
        f"{(n % 28) + 1:02d}.03.2024",
        "UA-30",
        "ACT.EXT.BRIBE" if n % 2 else "Избиение",
        "PERP.POLICE",
        f"4471-{n}",
        f"{NAME} {n}",
        f"{NARRATIVE} {n}",
        "yes",
        "active" if n % 3 == 0 else "",
    ]


def xlsx(rows: list[list[Any]], headers: list[str] = HEADERS) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("data")
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(
    rows: list[list[Any]], headers: list[str] = HEADERS, *, encoding: str = "utf-8", sep: str = ","
) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


DEFAULT_COLUMNS = {name: name for name in HEADERS}
