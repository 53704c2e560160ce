"""Export writers: constant memory for large tables, identical CSV and XLSX content."""

from __future__ import annotations

import csv
import io
import tracemalloc
from collections.abc import Iterator

from openpyxl import load_workbook

from vigil.stats import exports
from vigil.stats.aggregate import Heading, SafeTable, Unit

ROWS = 100_000
LIMIT = 20 * 1024 * 1024


def fine_table(rows: int = ROWS) -> Iterator[list[object]]:
    """A 100,000-row aggregate-like table (month x region x act type), made lazily."""
    for i in range(rows):
        value = None if i % 7 == 0 else (i % 50) * 5
        yield [
            f"20{10 + i % 15}-{1 + i % 12:02d}",
            f"UA-{i % 27:02d}",
            f"Регион {i % 27}",
            f"ACT.TYPE.{i % 61}",
            f"Вид действия {i % 61}",
            value,
        ]


HEADER = ["month_code", "region_code", "Region", "act_type_code", "Act type", "Acts"]


def test_it_streams_a_100k_row_csv_in_constant_memory() -> None:
    tracemalloc.start()
    try:
        size = 0
        lines = 0
        for chunk in exports.csv_chunks(HEADER, fine_table()):
            size += len(chunk)
            lines += 1
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert lines == ROWS + 1
    assert size > 5_000_000  # the file is far larger than the memory it took
    assert peak < LIMIT, f"peak {peak / 1e6:.1f} MB"


def test_it_writes_a_large_xlsx_in_bounded_memory() -> None:
    # 20,000 rows: tracemalloc makes openpyxl ~7x slower; write-only mode keeps
    # memory flat, so the bound says the same as at 100,000 rows.
    tracemalloc.start()
    try:
        handle = exports.xlsx_file(HEADER, fine_table(20_000))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    with handle:
        handle.seek(0, io.SEEK_END)
        assert handle.tell() > 300_000
    assert peak < LIMIT, f"peak {peak / 1e6:.1f} MB"


def test_it_reads_back_the_xlsx_equal_to_the_csv() -> None:
    table = SafeTable(
        unit=Unit.ACTS,
        row_name="region",
        row_title="Регион",
        column_name="act_type",
        column_title="Вид",
        rows=[Heading("UA-32", "Киевская область"), Heading("", "Не указано")],
        columns=[Heading("ACT.SEX", "=cmd|' /C calc'!A0"), Heading("ACT.PHYS", "Побои")],
        cells=[[None, 12], [0, None]],
        row_totals=[15, None],
        column_totals=[None, 19],
        total=22,
        threshold=5,
    )
    text = b"".join(exports.csv_chunks(table.header(), table.records())).decode("utf-8-sig")
    from_csv = list(csv.reader(io.StringIO(text)))
    with exports.xlsx_file(table.header(), table.records(), notes=[["Unit", "Acts"]]) as handle:
        workbook = load_workbook(handle, read_only=True)
        from_xlsx = [
            ["" if v is None else str(v) for v in row]
            for row in workbook.worksheets[0].iter_rows(values_only=True)
        ]
        assert workbook.sheetnames[1] == "About these figures"
    assert from_csv == from_xlsx
    assert len(from_csv) == 1 + table.record_count
    # A label that a spreadsheet would run as a formula is defused.
    assert from_csv[1][3] == "'=cmd|' /C calc'!A0"
    assert from_csv[1][4] == exports.HIDDEN
    assert from_csv[-1] == ["", "Total", "", "Total", "22"]
