"""KoboToolbox JSON to the public form's report, mapped like a spreadsheet import.

Each report field reads one Kobo question (by default the question named like
the field; a hook's mapping names another). Answers of choice questions are
matched to the form's choice keys by key, by label in en/ru/uk, or by the
hook's value mapping; select_multiple answers are space-separated. An answer
that matches nothing is kept, sealed, at the end of the story, so nothing the
woman said is lost.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from vigil.incidents import regions
from vigil.intake import choices


@dataclass(frozen=True)
class ReportField:
    name: str
    label: Any  # a lazy translation
    kind: str  # text, one, many, date, region
    options: tuple[tuple[str, Any], ...] = ()


def _options(items: list[Any]) -> tuple[tuple[str, Any], ...]:
    return tuple(
        (item.key, item.label) if isinstance(item, choices.Choice) else (str(item[0]), item[1])
        for item in items
    )


REPORT_FIELDS: tuple[ReportField, ...] = (
    ReportField("what", _("What happened"), "many", _options(choices.WHAT)),
    ReportField("story", _("In her own words"), "text"),
    ReportField("when", _("When"), "one", _options(choices.WHEN)),
    ReportField("date", _("Date"), "date"),
    ReportField("region", _("Region"), "region"),
    ReportField("place", _("Where"), "one", _options(choices.PLACES)),
    ReportField("place_detail", _("Place details"), "text"),
    ReportField("who", _("Who did it"), "one", _options(choices.WHO_KIND)),
    ReportField("uniform", _("Uniform"), "one", _options(choices.UNIFORM)),
    ReportField("badge", _("Badge number"), "text"),
    ReportField("name", _("Name or nickname"), "text"),
    ReportField("vehicle", _("Car number plate"), "text"),
    ReportField("unit", _("Unit"), "text"),
    ReportField("needs", _("Help she needs"), "many", _options(choices.NEEDS)),
    ReportField("consents", _("Her choices (consents)"), "many", _options(choices.CONSENTS)),
    ReportField("method", _("How to contact her"), "one", _options(choices.CONTACT_METHODS)),
    ReportField("contact", _("Contact"), "text"),
)
MAX_TEXT = 20_000


def _lookup(field: ReportField) -> dict[str, str]:
    found: dict[str, str] = {}
    for key, label in field.options:
        found[key.casefold()] = key
        for language in ("en", "ru", "uk"):
            with override(language):
                found[str(label).casefold()] = key
    return found


def _answer(payload: dict[str, Any], question: str) -> Any:
    if question in payload:
        return payload[question]
    for path, value in payload.items():  # grouped questions arrive as "group/question"
        if isinstance(path, str) and path.rsplit("/", 1)[-1] == question:
            return value
    return None


def to_report(
    payload: dict[str, Any], mapping: dict[str, str], values: dict[str, dict[str, str]]
) -> dict[str, Any]:
    report: dict[str, Any] = {}
    leftovers: list[str] = []
    for field in REPORT_FIELDS:
        question = mapping.get(field.name) or field.name
        raw = _answer(payload, question)
        if raw in (None, "", []):
            continue
        text = str(raw).strip()[:MAX_TEXT]
        if field.kind == "text":
            report[field.name] = text
        elif field.kind == "date":
            try:
                report[field.name] = datetime.date.fromisoformat(text[:10]).isoformat()
                report.setdefault("when", "date")
            except ValueError:
                leftovers.append(f"{question}: {text}")
        elif field.kind == "region":
            if text.upper() in regions.all_regions():
                report[field.name] = text.upper()
            else:
                leftovers.append(f"{question}: {text}")
        else:
            known = _lookup(field)
            mapped = {k.casefold(): v for k, v in values.get(field.name, {}).items()}
            answers = text.split() if field.kind == "many" else [text]
            if field.kind == "many" and text.casefold() in known:
                answers = [text]
            keys: list[str] = []
            for answer in answers:
                key = mapped.get(answer.casefold()) or known.get(answer.casefold())
                if key:
                    keys.append(key)
                else:
                    leftovers.append(f"{question}: {answer}")
            if keys:
                report[field.name] = keys if field.kind == "many" else keys[0]
    if leftovers:
        story = report.get("story", "")
        report["story"] = "\n".join([story, *leftovers]).strip()[:MAX_TEXT]
    return report
