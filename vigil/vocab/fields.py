"""Form fields that offer the active terms of one list, indented by hierarchy."""

from __future__ import annotations

from typing import Any

from django import forms

from vigil.vocab.models import Term


class TermChoiceField(forms.ModelChoiceField):
    def __init__(self, term_list: str, organisation_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(queryset=Term.objects.of(term_list, organisation_id), **kwargs)

    def label_from_instance(self, obj: Term) -> str:
        return obj.indented_label


class TermMultipleChoiceField(forms.ModelMultipleChoiceField):
    def __init__(self, term_list: str, organisation_id: int | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(queryset=Term.objects.of(term_list, organisation_id), **kwargs)

    def label_from_instance(self, obj: Term) -> str:
        return obj.indented_label
