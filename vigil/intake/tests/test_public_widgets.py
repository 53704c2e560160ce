"""The public pages' widget templates (includes written out, vigil/intake/widgets_jinja2/)
give exactly the HTML of Django's own widget templates, for every field of every
public form, empty, filled in and with errors."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.forms.renderers import Jinja2
from django.http import QueryDict
from django.utils import translation

from vigil.intake import forms as intake_forms
from vigil.intake.public import PUBLIC_FORM_RENDERER

DJANGO_RENDERER = Jinja2()

FILLED: dict[str, dict[str, Any]] = {
    "what": {"what": ["search", "children"], "story": 'She said "no" & <left>'},
    "when": {"when": "date", "date": "2026-11-02", "region": "UA-30", "place": "transport"},
    "who": {"who": "police", "uniform": "yes", "how_many": "3", "badge": "KV-1"},
    "help": {"needs": ["legal", "ost"], "urgent": "on"},
    "consent": {"consents": ["follow_up", "statistics"]},
    "contact": {"method": "phone", "contact": "+380 50 111 2233"},
}
INVALID: dict[str, dict[str, Any]] = {
    "when": {"when": "date", "date": "not a date", "region": "XX-99"},
    "who": {"how_many": "500"},
}


def _forms() -> list[tuple[str, type[forms.Form], dict[str, Any]]]:
    cases: list[tuple[str, type[forms.Form], dict[str, Any]]] = []
    for name, form_class, _label in intake_forms.STEPS:
        cases.append((f"{name} empty", form_class, {}))
        cases.append((f"{name} filled", form_class, {"data": _query(FILLED.get(name, {}))}))
        if name in INVALID:
            cases.append((f"{name} invalid", form_class, {"data": _query(INVALID[name])}))
    for form_class in (intake_forms.ReviewForm, intake_forms.SavedForm):
        cases.append((form_class.__name__, form_class, {}))
    return cases


def _query(values: dict[str, Any]) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, value in values.items():
        query.setlist(key, value if isinstance(value, list) else [value])
    return query


def _render_all(form_class: type[forms.Form], kwargs: dict[str, Any], renderer: Any) -> list[str]:
    extra: dict[str, Any] = {"country": "UA"} if form_class is intake_forms.WhenWhereForm else {}
    form = form_class(renderer=renderer, **kwargs, **extra)
    if form.is_bound:
        form.is_valid()  # errors render into the widgets' attributes
    rendered = []
    for field in form:
        rendered.append(str(field))
        rendered += [str(option.tag()) for option in field if hasattr(field.field, "choices")]
    return rendered


@pytest.mark.parametrize("language", ["en", "uk"])
@pytest.mark.parametrize(("label", "form_class", "kwargs"), _forms(), ids=lambda v: str(v))
def test_public_widgets_render_as_djangos_own(
    language: str, label: str, form_class: type[forms.Form], kwargs: dict[str, Any]
) -> None:
    with translation.override(language):
        ours = _render_all(form_class, kwargs, PUBLIC_FORM_RENDERER)
        theirs = _render_all(form_class, kwargs, DJANGO_RENDERER)
    assert ours and ours == theirs, label


def test_the_written_out_templates_are_the_ones_used() -> None:
    # Were Django's own templates found first, the comparison above would prove nothing.
    template = PUBLIC_FORM_RENDERER.get_template("django/forms/widgets/select.html")
    assert "widgets_jinja2" in template.template.filename
