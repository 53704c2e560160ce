"""Forms for a coordinator's local terms, and tree ordering of term lists."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vigil.vocab.actions import local_number
from vigil.vocab.fields import TermChoiceField
from vigil.vocab.models import LANGS, Term

LABEL_NAMES = {
    "en": (_("Label in English"), _("Help text in English")),
    "ru": (_("Label in Russian"), _("Help text in Russian")),
    "uk": (_("Label in Ukrainian"), _("Help text in Ukrainian")),
}


def _sibling_key(term: Term) -> tuple[bool, int, int, str]:
    # Shared terms first in data-file order, then local ones in the order they were added.
    return (term.organisation_id is not None, term.order, local_number(term.code) or 0, term.code)


def tree_order(terms: Iterable[Term]) -> list[Term]:
    """Terms depth-first, each parent followed by its children.

    ``Term.order`` alone cannot place a local term inside the shared numbering,
    so the tree is rebuilt from parent links. A term whose parent is not among
    ``terms`` (e.g. an inactive parent) is placed at top level.
    """
    terms = list(terms)
    present = {t.pk for t in terms}
    children: dict[int | None, list[Term]] = {}
    for term in terms:
        parent = term.parent_id if term.parent_id in present else None
        children.setdefault(parent, []).append(term)
    ordered: list[Term] = []
    stack = sorted(children.get(None, []), key=_sibling_key, reverse=True)
    while stack:
        term = stack.pop()
        ordered.append(term)
        stack.extend(sorted(children.get(term.pk, []), key=_sibling_key, reverse=True))
    return ordered


class TermTextsForm(forms.Form):
    """Labels (required in every language) and optional help texts."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for lang in LANGS:
            self.fields[f"label_{lang}"] = forms.CharField(
                label=LABEL_NAMES[lang][0], max_length=200
            )
        for lang in LANGS:
            self.fields[f"help_{lang}"] = forms.CharField(
                label=LABEL_NAMES[lang][1],
                max_length=1000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    @classmethod
    def initial_for(cls, term: Term) -> dict[str, str]:
        initial = {f"label_{lang}": term.labels.get(lang, "") for lang in LANGS}
        initial.update({f"help_{lang}": term.help.get(lang, "") for lang in LANGS})
        return initial

    def labels(self) -> dict[str, str]:
        return {lang: self.cleaned_data[f"label_{lang}"] for lang in LANGS}

    def help_texts(self) -> dict[str, str]:
        return {lang: self.cleaned_data[f"help_{lang}"] for lang in LANGS}


class LocalTermForm(TermTextsForm):
    """A new local term: optional parent within the list, then the texts."""

    def __init__(self, term_list: str, organisation_id: int, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        empty_label = _("(none: top level of the list)")
        parent = TermChoiceField(
            term_list,
            organisation_id,
            required=False,
            label=_("Parent term"),
            empty_label=empty_label,
            help_text=_("Leave empty for a new top-level term."),
        )
        # Choices in tree order so each term sits under its parent; validation
        # still goes through the field's queryset (active terms of this list).
        terms = tree_order(Term.objects.of(term_list, organisation_id))
        parent.choices = [("", empty_label), *((str(t.pk), t.indented_label) for t in terms)]
        self.fields = {"parent": parent, **self.fields}
