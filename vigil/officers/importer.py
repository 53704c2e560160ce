"""Reading an external complaint register (CSV or XLSX) into ``ExternalComplaint`` rows.

One row of the file is one accused officer in one complaint. The member maps
file columns to ``FIELDS`` and chooses which of them identify an officer
(``identity``): badge (+ region), name (+ region), or any other combination
(e.g. name + birth year + appointment date), which becomes one combined
blind index. Category and finding are mapped to coded lists from the labels
people write in en/ru/uk; an unknown value is an error unless the member asks
for "other".

Every problem is reported with its line (1 is the header) and its column
header, never with the cell's value, which may be a name. A dry run reports
and writes nothing; a real run writes the good rows in chunks (so progress is
visible to the browser) and reports every row it skipped.

``run`` is shared by the background task and ``manage.py import_complaint_register``.
"""

from __future__ import annotations

import csv
import datetime
import functools
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import openpyxl
import openpyxl.xml
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vigil.incidents import regions
from vigil.officers.models import (
    Category,
    ComplaintRegister,
    ExternalComplaint,
    Finding,
    ImportStatus,
)
from vigil.vault import crypto

CHUNK = 2000
MAX_STORED_ERRORS = 2000
MAX_FILE_BYTES = 64 * 1024 * 1024
XLSX_MAGIC = b"PK\x03\x04"

# field -> label shown on the mapping screen
FIELDS: dict[str, Any] = {
    "name": _("Officer's name"),
    "badge": _("Badge or service number"),
    "region": _("Region"),
    "birth_year": _("Year of birth"),
    "appointed_on": _("Date of appointment"),
    "unit": _("Unit"),
    "complaint_date": _("Date of the complaint"),
    "reference": _("Complaint number"),
    "category": _("Category of the complaint"),
    "finding": _("Finding"),
}
IDENTITY_FIELDS = ("name", "badge", "region", "birth_year", "appointed_on", "unit")
REQUIRED_FIELDS = ("finding",)

ERRORS: dict[str, Any] = {
    "missing_column": _("this column is not in the file"),
    "missing_identity": _("a value that identifies the officer is empty"),
    "bad_date": _("not a date (dd.mm.yyyy, yyyy-mm-dd or an Excel date)"),
    "bad_year": _("not a year of birth"),
    "unknown_region": _("unknown region"),
    "unknown_value": _("a value not in the coded list"),
    "missing_value": _("empty"),
    "unreadable": _("the file cannot be read as CSV or XLSX"),
}

# Labels people write, folded to lower case without punctuation -> code.
FINDING_WORDS: dict[str, str] = {
    "sustained": Finding.SUSTAINED,
    "substantiated": Finding.SUSTAINED,
    "confirmed": Finding.SUSTAINED,
    "підтверджено": Finding.SUSTAINED,
    "підтверджена": Finding.SUSTAINED,
    "обґрунтована": Finding.SUSTAINED,
    "подтверждено": Finding.SUSTAINED,
    "подтверждена": Finding.SUSTAINED,
    "обоснована": Finding.SUSTAINED,
    "not sustained": Finding.NOT_SUSTAINED,
    "unsubstantiated": Finding.NOT_SUSTAINED,
    "не підтверджено": Finding.NOT_SUSTAINED,
    "не підтверджена": Finding.NOT_SUSTAINED,
    "не подтверждено": Finding.NOT_SUSTAINED,
    "не подтверждена": Finding.NOT_SUSTAINED,
    "unfounded": Finding.UNFOUNDED,
    "необґрунтована": Finding.UNFOUNDED,
    "безпідставна": Finding.UNFOUNDED,
    "необоснована": Finding.UNFOUNDED,
    "безосновательна": Finding.UNFOUNDED,
    "exonerated": Finding.EXONERATED,
    "дії правомірні": Finding.EXONERATED,
    "правомерно": Finding.EXONERATED,
    "действия правомерны": Finding.EXONERATED,
    "виправдано": Finding.EXONERATED,
    "no finding": Finding.NO_FINDING,
    "pending": Finding.NO_FINDING,
    "без рішення": Finding.NO_FINDING,
    "не розглянуто": Finding.NO_FINDING,
    "без решения": Finding.NO_FINDING,
    "не рассмотрено": Finding.NO_FINDING,
    "other": Finding.OTHER,
    "інше": Finding.OTHER,
    "другое": Finding.OTHER,
}
CATEGORY_WORDS: dict[str, str] = {
    "force": Category.FORCE,
    "use of force": Category.FORCE,
    "excessive force": Category.FORCE,
    "beating": Category.FORCE,
    "застосування сили": Category.FORCE,
    "побиття": Category.FORCE,
    "применение силы": Category.FORCE,
    "избиение": Category.FORCE,
    "sexual": Category.SEXUAL,
    "sexual misconduct": Category.SEXUAL,
    "сексуальне насильство": Category.SEXUAL,
    "сексуальное насилие": Category.SEXUAL,
    "extortion": Category.EXTORTION,
    "bribery": Category.EXTORTION,
    "вимагання": Category.EXTORTION,
    "хабар": Category.EXTORTION,
    "вымогательство": Category.EXTORTION,
    "взятка": Category.EXTORTION,
    "unlawful detention": Category.DETENTION,
    "illegal search": Category.DETENTION,
    "detention": Category.DETENTION,
    "незаконне затримання": Category.DETENTION,
    "незаконный обыск": Category.DETENTION,
    "незаконное задержание": Category.DETENTION,
    "незаконний обшук": Category.DETENTION,
    "planted evidence": Category.EVIDENCE,
    "falsification": Category.EVIDENCE,
    "фальсифікація": Category.EVIDENCE,
    "підкидання": Category.EVIDENCE,
    "фальсификация": Category.EVIDENCE,
    "подбрасывание": Category.EVIDENCE,
    "abuse of authority": Category.AUTHORITY,
    "перевищення повноважень": Category.AUTHORITY,
    "зловживання владою": Category.AUTHORITY,
    "превышение полномочий": Category.AUTHORITY,
    "злоупотребление властью": Category.AUTHORITY,
    "discourtesy": Category.VERBAL,
    "verbal abuse": Category.VERBAL,
    "threats": Category.VERBAL,
    "образи": Category.VERBAL,
    "погрози": Category.VERBAL,
    "оскорбления": Category.VERBAL,
    "угрозы": Category.VERBAL,
    "other": Category.OTHER,
    "інше": Category.OTHER,
    "другое": Category.OTHER,
}
_SPACES = re.compile(r"[\s_\-.,;:]+")
FINDING_CODES = list(Finding.values)
CATEGORY_CODES = list(Category.values)


def _fold(text: str) -> str:
    return _SPACES.sub(" ", text.casefold()).strip()


@functools.lru_cache(maxsize=4096)
def _folded(value: str) -> str:
    return _fold(value)


def coded(value: str, words: dict[str, str], codes: list[str]) -> str | None:
    folded = _folded(value)
    if folded.replace(" ", "_") in codes:
        return folded.replace(" ", "_")
    return words.get(folded)


_REGION_WORDS = re.compile(
    r"\b(область|обл|oblast|region|регион|регіон|облысы|місто|город|city|м|г)\b"
)


def _region_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for region in regions.all_regions().values():
        lookup[_fold(region.code)] = region.code
        for name in region.names.values():
            lookup[_fold(name)] = region.code
            lookup[" ".join(_REGION_WORDS.sub(" ", _fold(name)).split())] = region.code
    return lookup


def region_code(value: str, lookup: dict[str, str]) -> str | None:
    folded = _folded(value)
    return lookup.get(folded) or lookup.get(" ".join(_REGION_WORDS.sub(" ", folded).split()))


EXCEL_EPOCH = datetime.date(1899, 12, 30)
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


def parse_date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:
            return EXCEL_EPOCH + datetime.timedelta(days=int(value))
        return None
    text = str(value).strip()
    quick = _DAY_MONTH_YEAR.fullmatch(text)
    if quick:  # the usual form, without strptime's cost
        try:
            day, month, year = (int(part) for part in quick.groups())
            return datetime.date(year, month, day)
        except ValueError:
            return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    if text.isdigit():
        return parse_date(int(text))
    return None


def parse_year(value: Any) -> int | None:
    text = str(value).strip()
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if not text.isdigit() or len(text) != 4:
        return None
    year = int(text)
    return year if 1900 <= year <= timezone.now().year else None


# --- reading files ------------------------------------------------------------------------


class Unreadable(Exception):
    """Neither an XLSX workbook nor a CSV text in UTF-8 or cp1251."""


def file_format(data: bytes) -> str:
    return "xlsx" if data.startswith(XLSX_MAGIC) else "csv"


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1251")


def _csv_rows(data: bytes) -> Iterator[list[Any]]:
    text = _text(data)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    yield from csv.reader(io.StringIO(text), delimiter=delimiter)


def _xlsx_rows(data: bytes) -> Iterator[list[Any]]:
    # openpyxl parses through defusedxml when it is installed (a hard dependency here).
    if not openpyxl.xml.DEFUSEDXML:
        raise Unreadable("defusedxml is required to read XLSX files")
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # a corrupt or disguised file: report, do not crash the job
        raise Unreadable(str(exc)) from exc
    try:
        sheet = book.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield ["" if v is None else v for v in row]
    finally:
        book.close()


def rows_of(data: bytes) -> Iterator[list[Any]]:
    """The rows of the file, header first, as lists of cell values."""
    if file_format(data) == "xlsx":
        yield from _xlsx_rows(data)
    else:
        yield from _csv_rows(data)


def headers_of(data: bytes) -> list[str]:
    try:
        first = next(rows_of(data), [])
    except (Unreadable, UnicodeDecodeError, csv.Error) as exc:
        raise Unreadable(str(exc)) from exc
    return [str(h).strip() for h in first]


def count_rows(data: bytes) -> int:
    return max(0, sum(1 for row in rows_of(data) if any(str(v).strip() for v in row)) - 1)


# --- checking and writing -----------------------------------------------------------------


def identity_kind(identity: list[str]) -> str:
    core = set(identity) - {"region"}
    if core == {"badge"}:
        return "badge"
    if core == {"name"}:
        return "name"
    return "person"


@dataclass
class Outcome:
    total: int = 0
    imported: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    error_count: int = 0

    def fail(self, line: int, column: str, code: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_STORED_ERRORS:
            self.errors.append({"line": line, "column": column, "code": code})


@dataclass(frozen=True)
class Plan:
    mapping: dict[str, str]
    identity: list[str]
    unknown_as_other: bool
    country: str


def _cell(row: list[Any], position: dict[str, int], name: str) -> Any:
    index = position.get(name)
    if index is None or index >= len(row):
        return ""
    value = row[index]
    return value.strip() if isinstance(value, str) else value


class Combiner:
    """The identity of a register row: a badge or a name (within its region), or one
    blind index over the chosen columns, each normalised by its kind."""

    def __init__(self, plan: Plan, index_key: bytes) -> None:
        self.identity = sorted(plan.identity)
        self.kind = identity_kind(plan.identity)
        self.index_key = index_key

    def identity_region(self, region: str) -> str:
        return region if self.kind != "person" or "region" in self.identity else ""

    def identity_bidx(
        self, sealed: dict[str, Any], region: str, name_bidx: str, badge_bidx: str
    ) -> str:
        if self.kind == "badge":
            return badge_bidx
        if self.kind == "name":
            return name_bidx
        parts = []
        for name in self.identity:
            if name == "name":
                parts.append(crypto.name_skeleton(str(sealed.get("name", ""))))
            elif name == "region":
                parts.append(region)
            else:
                parts.append(crypto.normalise("badge", str(sealed.get(name, ""))))
        return crypto.blind_index(self.index_key, "combined", "|".join(parts))


class _RowReader:
    """Checks one data row against the plan and builds its complaint (or reports why not)."""

    def __init__(self, plan: Plan, headers: list[str], index_key: bytes, outcome: Outcome):
        self.plan = plan
        self.index_key = index_key
        self.outcome = outcome
        where = {h: i for i, h in enumerate(headers)}
        self.position = {f: where[h] for f, h in plan.mapping.items() if h in where}
        self.kind = identity_kind(plan.identity)
        self.combiner = Combiner(plan, index_key)
        self.regions = _region_lookup()

    def read(self, line: int, row: list[Any]) -> dict[str, Any] | None:
        plan, fail = self.plan, self.outcome.fail
        values: dict[str, Any] = {f: _cell(row, self.position, f) for f in self.position}
        clean: dict[str, Any] = {}
        errors_before = self.outcome.error_count
        for name in plan.identity:
            if values.get(name) in ("", None):
                fail(line, plan.mapping[name], "missing_identity")
        for name in ("complaint_date", "appointed_on"):
            if values.get(name) not in ("", None):
                parsed = parse_date(values[name])
                if parsed is None:
                    fail(line, plan.mapping[name], "bad_date")
                clean[name] = parsed
        if values.get("birth_year") not in ("", None):
            clean["birth_year"] = parse_year(values["birth_year"])
            if clean["birth_year"] is None:
                fail(line, plan.mapping["birth_year"], "bad_year")
        region = ""
        if values.get("region") not in ("", None):
            region = region_code(str(values["region"]), self.regions) or ""
            if not region:
                fail(line, plan.mapping["region"], "unknown_region")
        codes = {}
        for name, words, choices in (
            ("finding", FINDING_WORDS, FINDING_CODES),
            ("category", CATEGORY_WORDS, CATEGORY_CODES),
        ):
            raw = values.get(name)
            if raw in ("", None):
                if name in REQUIRED_FIELDS:
                    fail(line, plan.mapping.get(name, name), "missing_value")
                codes[name] = "other"
                continue
            code = coded(str(raw), words, choices)
            if code is None and not plan.unknown_as_other:
                fail(line, plan.mapping[name], "unknown_value")
            codes[name] = code or "other"
        if self.outcome.error_count > errors_before:
            return None
        return self._complaint(line, values, clean, region, codes)

    def _complaint(
        self,
        line: int,
        values: dict[str, Any],
        clean: dict[str, Any],
        region: str,
        codes: dict[str, str],
    ) -> dict[str, Any]:
        key, country = self.index_key, self.plan.country
        name = str(values.get("name", "") or "")
        badge = str(values.get("badge", "") or "")
        name_bidx = crypto.blind_index(key, "name", name, region=country)
        badge_bidx = crypto.blind_index(key, "badge", badge, region=country)
        appointed = clean.get("appointed_on")
        sealed = {
            "name": name,
            "badge": badge,
            "birth_year": clean.get("birth_year") or "",
            "appointed_on": appointed.isoformat() if appointed else "",
            "unit": str(values.get("unit", "") or ""),
            "reference": str(values.get("reference", "") or ""),
            "category": str(values.get("category", "") or ""),
            "finding": str(values.get("finding", "") or ""),
        }
        identity_bidx = self.combiner.identity_bidx(sealed, region, name_bidx, badge_bidx)
        identity_region = self.combiner.identity_region(region)
        return {
            "line": line,
            "region": region,
            "complaint_date": clean.get("complaint_date"),
            "category": codes["category"],
            "finding": codes["finding"],
            "identity_kind": self.kind,
            "identity_bidx": identity_bidx,
            "identity_region": identity_region,
            "name_bidx": name_bidx,
            "badge_bidx": badge_bidx,
            "sealed": sealed,
        }


Progress = Callable[[int, int], None]


def run(
    register: ComplaintRegister,
    data: bytes,
    register_key: bytes,
    index_key: bytes,
    *,
    dry_run: bool,
    progress: Progress | None = None,
) -> Outcome:
    """Check every row; unless ``dry_run``, write the good ones in chunks of CHUNK."""
    outcome = Outcome(total=count_rows(data))
    plan = Plan(
        register.mapping,
        list(register.identity),
        register.unknown_as_other,
        register.organisation.country,
    )
    rows = rows_of(data)
    headers = [str(h).strip() for h in next(rows, [])]
    for name, header in plan.mapping.items():
        if header not in headers:
            outcome.fail(1, header or name, "missing_column")
    if outcome.error_count:
        return outcome
    reader = _RowReader(plan, headers, index_key, outcome)
    pending: list[ExternalComplaint] = []
    done = 0
    for line, row in enumerate(rows, start=2):
        if not any(str(v).strip() for v in row):
            continue
        done += 1
        found = reader.read(line, row)
        if found is not None and not dry_run:
            found["sealed"] = crypto.encrypt_json(register_key, found["sealed"])
            pending.append(
                ExternalComplaint(
                    register=register, organisation_id=register.organisation_id, **found
                )
            )
        if len(pending) >= CHUNK or (progress and done % CHUNK == 0):
            outcome.imported += _flush(pending)
            if progress:
                progress(done, outcome.total)
    outcome.imported += _flush(pending)
    if progress:
        progress(done, outcome.total)
    return outcome


def _flush(pending: list[ExternalComplaint]) -> int:
    count = len(pending)
    if pending:
        with transaction.atomic():
            ExternalComplaint.objects.bulk_create(pending, batch_size=CHUNK)
        pending.clear()
    return count


def finish_status(dry_run: bool) -> str:
    return ImportStatus.CHECKED if dry_run else ImportStatus.DONE
