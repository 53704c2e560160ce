"""From spreadsheet cells to checked rows, with every problem located.

A problem names the line, the column header and a code; never the cell value,
since problems are stored in clear and shown on the job page.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from vigil.imports import fields as F
from vigil.imports.reader import parse_date, text_of
from vigil.incidents import regions
from vigil.vocab.models import Term

LEAVE_EMPTY = "-"
# Codes of problems, with the sentence the job page shows.
MESSAGES = {
    "missing_column": _("A required column is not in the file or not mapped."),
    "required": _("This required value is empty."),
    "bad_date": _("Not a date (use dd.mm.yyyy, yyyy-mm-dd or a date cell)."),
    "future_date": _("This date is in the future."),
    "unknown_term": _("This value is not mapped to a term of the list."),
    "bad_choice": _("This value is not one of the allowed values."),
    "unknown_region": _("Not a region code (ISO 3166-2, e.g. UA-30)."),
    "duplicate_id": _("This external identifier appears earlier in the file."),
    "too_long": _("This value is too long."),
}
MAX_TEXT = 20_000
MAX_PSEUDONYM = 60


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    code: str

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "column": self.column, "code": self.code}


@dataclass
class Row:
    """A checked row, ready to be sealed and written."""

    line: int
    external_id: str
    date: datetime.date
    region: str = ""
    place_type_id: int | None = None
    event_sealed: dict[str, str] = field(default_factory=dict)
    pseudonym: str = ""
    victim_sealed: dict[str, str] = field(default_factory=dict)
    sex: str = "f"
    age_band: str = ""
    primary_group_id: int | None = None
    act_type_id: int = 0
    act_status_id: int | None = None
    perpetrator_type_id: int | None = None
    perpetrator_sealed: dict[str, str] = field(default_factory=dict)
    statistics_consent: bool | None = None
    case_status: str = ""

    @property
    def has_perpetrator(self) -> bool:
        return self.perpetrator_type_id is not None or any(self.perpetrator_sealed.values())


@dataclass
class Mapping:
    columns: dict[str, str]  # field -> header
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # field -> raw -> code

    @classmethod
    def of(cls, columns: dict[str, Any], values: dict[str, Any]) -> Mapping:
        return cls(
            {k: str(v) for k, v in columns.items() if v and k in F.BY_NAME},
            {
                k: {str(raw).casefold(): str(code) for raw, code in v.items()}
                for k, v in values.items()
                if isinstance(v, dict)
            },
        )


def _labels(labels: dict[str, Any]) -> set[str]:
    return {str(v).casefold() for v in labels.values() if v}


class Vocabulary:
    """The terms an organisation may use, looked up by code, label or mapping."""

    def __init__(self, organisation_id: int) -> None:
        self.by_list: dict[str, dict[str, Term]] = {}
        self.by_label: dict[str, dict[str, Term]] = {}
        for spec in F.TERM_FIELDS:
            terms = list(Term.objects.of(spec.term_list, organisation_id))
            self.by_list[spec.term_list] = {t.code: t for t in terms}
            labels: dict[str, Term] = {}
            for term in terms:
                for text in (term.code.casefold(), *_labels(term.labels)):
                    labels.setdefault(text, term)
            self.by_label[spec.term_list] = labels

    def suggest(self, term_list: str, raw: str) -> Term | None:
        return self.by_label[term_list].get(raw.strip().casefold())

    def other(self, term_list: str) -> Term | None:
        return next((t for c, t in self.by_list[term_list].items() if c.endswith(".OTHER")), None)

    def resolve(self, spec: F.Field, raw: str, mapping: Mapping) -> Term | str | None:
        """The term, None (left empty on purpose) or "unknown"."""
        mapped = mapping.values.get(spec.name, {}).get(raw.casefold())
        if mapped == LEAVE_EMPTY:
            return None
        if mapped:
            term = self.by_list[spec.term_list].get(mapped)
            return term if term is not None else "unknown"
        return self.suggest(spec.term_list, raw) or "unknown"


def _choice_lookup(spec: F.Field) -> dict[str, str]:
    found: dict[str, str] = {}
    for code, label in spec.choices:
        found[code.casefold()] = code
        for language in ("en", "ru", "uk"):
            with override(language):
                found[str(label).casefold()] = code
    return found


_CHOICES = {spec.name: spec for spec in F.FIELDS if spec.kind == "choice"}


class Checker:
    """Checks rows of one file against one mapping; remembers external ids seen."""

    def __init__(self, headers: list[str], mapping: Mapping, vocabulary: Vocabulary) -> None:
        self.mapping = mapping
        self.vocabulary = vocabulary
        self.positions = {
            name: headers.index(header)
            for name, header in mapping.columns.items()
            if header in headers
        }
        self.seen: set[str] = set()
        # Resolved once: a lazy label costs a gettext call each time it is read.
        self.column_names = {
            spec.name: mapping.columns.get(spec.name) or str(spec.label) for spec in F.FIELDS
        }
        self.choices = {name: _choice_lookup(spec) for name, spec in _CHOICES.items()}
        self.today = datetime.date.today()

    def header_problems(self) -> list[Problem]:
        return [
            Problem(1, str(F.BY_NAME[name].label), "missing_column")
            for name in F.REQUIRED
            if name not in self.positions
        ]

    def _cell(self, cells: list[Any], name: str) -> Any:
        position = self.positions.get(name)
        if position is None or position >= len(cells):
            return ""
        return cells[position]

    def check(self, line: int, cells: list[Any]) -> tuple[Row | None, list[Problem]]:
        problems: list[Problem] = []
        values: dict[str, Any] = {}
        for spec in F.FIELDS:
            raw = self._cell(cells, spec.name)
            text = text_of(raw) if raw != "" else ""
            value, code = self._value(spec, raw, text)
            if code:
                problems.append(Problem(line, self.column_names[spec.name], code))
            values[spec.name] = value
        external = values["external_id"]
        if external and external.casefold() in self.seen:
            problems.append(Problem(line, self.mapping.columns["external_id"], "duplicate_id"))
        if external:
            self.seen.add(external.casefold())
        if problems:
            return None, problems
        return _row(line, values), []

    def _value(self, spec: F.Field, raw: Any, text: str) -> tuple[Any, str]:
        if not text:
            return (None if spec.kind in {"term", "date", "bool"} else ""), (
                "required" if spec.required else ""
            )
        if len(text) > MAX_TEXT:
            return None, "too_long"
        if spec.kind == "date":
            day = parse_date(raw)
            if day is None:
                return None, "bad_date"
            return (day, "") if day <= self.today else (None, "future_date")
        if spec.kind == "term":
            term = self.vocabulary.resolve(spec, text, self.mapping)
            if term == "unknown":
                return None, "unknown_term"
            if term is None and spec.required:
                return None, "required"
            return term, ""
        if spec.kind == "choice":
            mapped = self.mapping.values.get(spec.name, {}).get(text.casefold())
            code = (
                mapped
                if mapped and mapped != LEAVE_EMPTY
                else self.choices[spec.name].get(text.casefold())
            )
            return (code, "") if code else (None, "bad_choice")
        if spec.kind == "bool":
            folded = text.casefold()
            if folded in F.YES:
                return True, ""
            return (False, "") if folded in F.NO else (None, "bad_choice")
        if spec.name == "region":
            code = text.upper()
            return (code, "") if code in regions.all_regions() else (None, "unknown_region")
        if spec.name == "victim_pseudonym" and len(text) > MAX_PSEUDONYM:
            return None, "too_long"
        return text, ""


def _id(term: Any) -> int | None:
    return term.pk if isinstance(term, Term) else None


def _row(line: int, v: dict[str, Any]) -> Row:
    return Row(
        line=line,
        external_id=v["external_id"],
        date=v["date"],
        region=v["region"] or "",
        place_type_id=_id(v["place_type"]),
        event_sealed={
            "title": v["title"],
            "city": v["city"],
            "narrative": v["narrative"],
            "external_id": v["external_id"],
        },
        pseudonym=v["victim_pseudonym"] or "",
        victim_sealed={"legal_name": v["victim_name"], "phone": v["victim_phone"]},
        sex=v["victim_sex"] or "f",
        age_band=v["victim_age_band"] or "",
        primary_group_id=_id(v["victim_group"]),
        act_type_id=_id(v["act_type"]) or 0,
        act_status_id=_id(v["act_status"]),
        perpetrator_type_id=_id(v["perpetrator_type"]),
        perpetrator_sealed={
            "name": v["perpetrator_name"],
            "badge": v["perpetrator_badge"],
            "unit": v["perpetrator_unit"],
        },
        statistics_consent=v["statistics_consent"],
        case_status=v["case_status"] or "",
    )


def check_all(
    headers: list[str], lines: Iterable[tuple[int, list[Any]]], checker: Checker
) -> Iterator[tuple[Row | None, list[Problem]]]:
    for line, cells in lines:
        yield checker.check(line, cells)


def distinct_values(
    headers: list[str], lines: Iterable[tuple[int, list[Any]]], columns: dict[str, str], limit: int
) -> dict[str, list[str]]:
    """Distinct raw values of the term and choice columns, for the value mapping screen."""
    wanted = {
        name: headers.index(header)
        for name, header in columns.items()
        if header in headers and F.BY_NAME[name].kind in {"term", "choice"}
    }
    found: dict[str, dict[str, None]] = {name: {} for name in wanted}
    for _line, cells in lines:
        for name, position in wanted.items():
            if position < len(cells) and len(found[name]) < limit:
                text = text_of(cells[position]) if cells[position] != "" else ""
                if text:
                    found[name].setdefault(text, None)
    return {name: list(values) for name, values in found.items()}
