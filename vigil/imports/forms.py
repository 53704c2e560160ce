"""Forms of the import pages: upload, and the mapping of columns and values."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vigil.imports import fields as F
from vigil.imports.models import ImportMapping
from vigil.imports.rows import LEAVE_EMPTY, Vocabulary


class UploadForm(forms.Form):
    mapping = forms.ModelChoiceField(
        label=_("Saved mapping"),
        queryset=ImportMapping.objects.none(),
        required=False,
        empty_label=_("None yet: map the columns next"),
    )
    file = forms.FileField(
        label=_("Spreadsheet (CSV or XLSX)"),
        help_text=_(
            "CSV in UTF-8 or Windows-1251, separated by commas or semicolons, or an Excel "
            "XLSX file. The first line holds the column names. The file is stored encrypted "
            "and destroyed when the import ends."
        ),
        error_messages={"required": _("Choose a file.")},
    )

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["mapping"]
        field.queryset = ImportMapping.objects.filter(  # type: ignore[attr-defined]
            organisation_id=organisation_id
        )


def _column_name(field: str) -> str:
    return f"col_{field}"


def _value_name(field: str, index: int) -> str:
    return f"val_{field}_{index}"


class MappingForm(forms.Form):
    """Columns to fields, then each distinct value of a term column to a term."""

    name = forms.CharField(
        label=_("Save this mapping as"),
        max_length=80,
        help_text=_("Saved for your organisation, to reuse with the next file of this shape."),
    )

    def __init__(
        self,
        *args: Any,
        headers: list[str],
        columns: dict[str, str],
        values: dict[str, dict[str, str]],
        distinct: dict[str, list[str]],
        vocabulary: Vocabulary,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.distinct = distinct
        header_choices = [("", _("— not in the file —")), *[(h, h) for h in headers if h]]
        for spec in F.FIELDS:
            self.fields[_column_name(spec.name)] = forms.ChoiceField(
                label=spec.label,
                choices=header_choices,
                required=False,
                initial=columns.get(spec.name, ""),
            )
        self.value_rows: list[tuple[str, str, str]] = []  # (field label, raw value, form field)
        for name, raws in distinct.items():
            spec = F.BY_NAME[name]
            choices = _value_choices(spec, vocabulary)
            saved = {k.casefold(): v for k, v in values.get(name, {}).items()}
            for index, raw in enumerate(raws):
                form_name = _value_name(name, index)
                self.fields[form_name] = forms.ChoiceField(
                    label=raw,
                    choices=choices,
                    required=False,
                    initial=saved.get(raw.casefold()) or _suggestion(spec, raw, vocabulary),
                )
                self.value_rows.append((str(spec.label), raw, form_name))

    def column_fields(self) -> list[forms.BoundField]:
        return [self[_column_name(spec.name)] for spec in F.FIELDS]

    def value_fields(self) -> list[tuple[str, forms.BoundField]]:
        return [(label, self[form_name]) for label, _raw, form_name in self.value_rows]

    def columns(self) -> dict[str, str]:
        return {
            spec.name: self.cleaned_data[_column_name(spec.name)]
            for spec in F.FIELDS
            if self.cleaned_data.get(_column_name(spec.name))
        }

    def values(self) -> dict[str, dict[str, str]]:
        chosen: dict[str, dict[str, str]] = {}
        for name, raws in self.distinct.items():
            for index, raw in enumerate(raws):
                code = self.cleaned_data.get(_value_name(name, index))
                if code:
                    chosen.setdefault(name, {})[raw] = code
        return chosen


def _value_choices(spec: F.Field, vocabulary: Vocabulary) -> list[tuple[str, Any]]:
    choices: list[tuple[str, Any]] = [
        ("", _("— unknown: the row is rejected —")),
        (LEAVE_EMPTY, _("— leave empty —")),
    ]
    if spec.kind == "choice":
        return [*choices, *[(code, label) for code, label in spec.choices]]
    terms = vocabulary.by_list[spec.term_list].values()
    other = vocabulary.other(spec.term_list)
    if other is not None:
        choices.append((other.code, _("Other (%(label)s)") % {"label": other.label}))
    return [*choices, *[(t.code, t.indented_label) for t in terms]]


def _suggestion(spec: F.Field, raw: str, vocabulary: Vocabulary) -> str:
    if spec.kind != "term":
        return ""
    term = vocabulary.suggest(spec.term_list, raw)
    return term.code if term is not None else ""
