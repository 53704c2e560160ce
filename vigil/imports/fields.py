"""The column layout that the importer reads and the exporter writes.

One row is one incident with one act (one victim, one act type), and at most
one perpetrator and one case. The export writes these headers, so an export
read back with the default mapping gives the same records.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from vigil.cases.models import CaseStatus
from vigil.incidents.models import AgeBand, Sex


@dataclass(frozen=True)
class Field:
    name: str
    label: Any  # a lazy translation
    kind: str  # text, sealed, date, term, choice, bool
    required: bool = False
    term_list: str = ""
    choices: tuple[tuple[str, Any], ...] = ()


def _choices(items: Sequence[tuple[str, Any]]) -> tuple[tuple[str, Any], ...]:
    return tuple((code, label) for code, label in items if code)


FIELDS: tuple[Field, ...] = (
    Field("external_id", _("External identifier"), "text", required=True),
    Field("date", _("Date of the incident"), "date", required=True),
    Field("region", _("Region code"), "text"),
    Field("place_type", _("Place type"), "term", term_list="place_type"),
    Field("title", _("Title"), "sealed"),
    Field("city", _("City or town"), "sealed"),
    Field("narrative", _("Narrative"), "sealed"),
    Field("victim_pseudonym", _("Victim pseudonym"), "text"),
    Field("victim_name", _("Victim's name"), "sealed"),
    Field("victim_phone", _("Victim's phone"), "sealed"),
    Field("victim_sex", _("Victim's sex"), "choice", choices=_choices(Sex.choices)),
    Field("victim_age_band", _("Victim's age band"), "choice", choices=_choices(AgeBand.choices)),
    Field("victim_group", _("Victim's main group"), "term", term_list="characteristic"),
    Field("act_type", _("Act type"), "term", required=True, term_list="act_type"),
    Field("act_status", _("Victim's status at the end"), "term", term_list="act_status"),
    Field("perpetrator_type", _("Perpetrator type"), "term", term_list="perpetrator_type"),
    Field("perpetrator_name", _("Perpetrator's name"), "sealed"),
    Field("perpetrator_badge", _("Perpetrator's badge number"), "sealed"),
    Field("perpetrator_unit", _("Perpetrator's unit"), "sealed"),
    Field("statistics_consent", _("Consent to statistics"), "bool"),
    Field("case_status", _("Case status"), "choice", choices=_choices(CaseStatus.choices)),
)
BY_NAME = {f.name: f for f in FIELDS}
TERM_FIELDS = tuple(f for f in FIELDS if f.kind == "term")
REQUIRED = tuple(f.name for f in FIELDS if f.required)

YES = {"1", "yes", "y", "true", "да", "так", "+", "x"}
NO = {"0", "no", "n", "false", "нет", "ні", "-", ""}


def header_names(field: Field) -> set[str]:
    """Headers that suggest this field: its code and its label in en, ru and uk."""
    names = {field.name.casefold()}
    for language in ("en", "ru", "uk"):
        with override(language):
            names.add(str(field.label).casefold())
    return names


def suggest_columns(headers: list[str]) -> dict[str, str]:
    """Field -> header, where a header is the field's code or one of its labels."""
    found: dict[str, str] = {}
    for field in FIELDS:
        names = header_names(field)
        for header in headers:
            if header.strip().casefold() in names:
                found[field.name] = header
                break
    return found
