"""The phone form, built from the report form's own vocabulary as an XLSForm.

The questions, choices and wording are those of the public report
(intake.choices and intake.forms), in English, Russian and Ukrainian. The
workbook is converted to an XForm with pyxform; its settings carry the
organisation's submission URL and RSA public key, so Collect encrypts every
record on the phone and never sends or keeps it in clear.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from pyxform.xls2xform import convert

from vigil.accounts.models import Organisation
from vigil.incidents import regions
from vigil.intake import choices
from vigil.intake import forms as intake_forms
from vigil.odk.models import FormKey

FORM_ID = "vigil_report"
# Bump when the questions change, so phones fetch the new form.
FORM_REVISION = "1"
LANGUAGES = [("en", "English (en)"), ("ru", "Русский (ru)"), ("uk", "Українська (uk)")]

Label = str | Promise


def _field_label(form: type[forms.Form], name: str) -> Label:
    label: Label = form.base_fields[name].label or name
    return label


def _labels(text: Label, column: str = "label") -> dict[str, str]:
    out = {}
    for code, name in LANGUAGES:
        with translation.override(code):
            out[f"{column}::{name}"] = str(text)
    return out


def _question(kind: str, name: str, label: Label, **extra: Any) -> dict[str, Any]:
    return {"type": kind, "name": name, **_labels(label), **extra}


def _choice_rows(list_name: str, options: Iterable[tuple[str, Label]]) -> list[dict[str, Any]]:
    return [{"list_name": list_name, "name": key, **_labels(label)} for key, label in options]


def survey_rows(country: str) -> list[dict[str, Any]]:
    what, when, who = intake_forms.WhatForm, intake_forms.WhenWhereForm, intake_forms.WhoForm
    rows = [
        {"type": "begin_repeat", "name": "acts", **_labels(_("What happened"))},
        _question("select_one what", "act", _field_label(what, "what"), required="yes"),
        {"type": "end_repeat"},
        _question("text", "story", _field_label(what, "story"), appearance="multiline"),
        _question("select_one when", "when", _field_label(when, "when")),
        _question("date", "date", _field_label(when, "date"), relevant="${when} = 'date'"),
    ]
    if regions.choices(country):
        rows.append(_question("select_one region", "region", _field_label(when, "region")))
    rows += [
        _question("select_one place", "place", _field_label(when, "place")),
        _question("text", "place_detail", _field_label(when, "place_detail")),
        {"type": "begin_repeat", "name": "perpetrators", **_labels(_("Who did it"))},
        _question("select_one who", "who", _field_label(who, "who")),
        _question("select_one uniform", "uniform", _field_label(who, "uniform")),
        _question(
            "integer",
            "how_many",
            _field_label(who, "how_many"),
            constraint=". >= 1 and . <= 50",
        ),
        *(
            _question("text", name, _field_label(who, name))
            for name in ("unit", "badge", "name", "vehicle", "description")
        ),
        {"type": "end_repeat"},
        # Photos are shrunk on the phone, so a record stays under the server's size limit.
        _question("image", "photo", _("A photo (optional)"), parameters="max-pixels=1600"),
        _question("select_multiple need", "needs", _field_label(intake_forms.HelpForm, "needs")),
        _question("select_one yes_no", "urgent", _field_label(intake_forms.HelpForm, "urgent")),
        _question(
            "select_multiple consent",
            "consents",
            _field_label(intake_forms.ConsentForm, "consents"),
        ),
        _question("select_one method", "method", _field_label(intake_forms.ContactForm, "method")),
        _question("text", "contact", _field_label(intake_forms.ContactForm, "contact")),
        _question("text", "safe_times", _field_label(intake_forms.ContactForm, "safe_times")),
    ]
    return rows


def choice_rows(country: str) -> list[dict[str, Any]]:
    return [
        *_choice_rows("what", [(c.key, c.label) for c in choices.WHAT]),
        *_choice_rows("when", choices.WHEN),
        *_choice_rows("region", regions.choices(country)),
        *_choice_rows("place", [(k, label) for k, label, _code in choices.PLACES]),
        *_choice_rows("who", [(k, label) for k, label, _code in choices.WHO_KIND]),
        *_choice_rows("uniform", choices.UNIFORM),
        *_choice_rows("need", [(k, label) for k, label, _code in choices.NEEDS]),
        *_choice_rows("yes_no", [("yes", _("Yes")), ("no", _("No"))]),
        *_choice_rows("consent", [(str(k), label) for k, label in choices.CONSENTS]),
        *_choice_rows("method", choices.CONTACT_METHODS),
    ]


def settings_row(organisation: Organisation, key: FormKey, submission_url: str) -> dict[str, str]:
    with translation.override("en"):
        title = str(_("Report to %(organisation)s") % {"organisation": organisation.name})
    return {
        "form_title": title,
        "form_id": FORM_ID,
        "version": f"{key.pk}.{FORM_REVISION}",
        "submission_url": submission_url,
        "public_key": key.public_key,
        "default_language": LANGUAGES[0][1],
    }


def _sheet(workbook: Workbook, title: str, rows: list[dict[str, Any]]) -> None:
    sheet = workbook.create_sheet(title)
    columns: list[str] = []
    for row in rows:
        columns += [c for c in row if c not in columns]
    sheet.append(columns)
    for row in rows:
        sheet.append([row.get(c, "") for c in columns])


def workbook_bytes(organisation: Organisation, key: FormKey, submission_url: str) -> bytes:
    """The XLSForm itself, as a coordinator could open it in a spreadsheet."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    _sheet(workbook, "survey", survey_rows(organisation.country))
    _sheet(workbook, "choices", choice_rows(organisation.country))
    _sheet(workbook, "settings", [settings_row(organisation, key, submission_url)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xform(
    organisation: Organisation, key: FormKey, submission_url: str, *, validate: bool = False
) -> tuple[str, list[str]]:
    """(XForm XML, pyxform warnings). ``validate`` also runs ODK Validate (needs Java)."""
    warnings: list[str] = []
    result = convert(
        io.BytesIO(workbook_bytes(organisation, key, submission_url)),
        warnings=warnings,
        validate=validate,
        file_type=".xlsx",
    )
    return result.xform, warnings
