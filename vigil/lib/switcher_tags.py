"""``{% language_switcher %}`` for the staff layout: the same Jinja2 switcher the
reporter's pages include (vigil/jinja2/includes/language_switcher.html), so
both layouts show one switcher."""

from __future__ import annotations

from typing import Any

from django import template
from django.template import engines
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def language_switcher(context: Any) -> SafeString:
    switcher = engines["public"].get_template("includes/language_switcher.html")
    html = switcher.render({"switch_form": context.get("switch_form")}, context.get("request"))
    return mark_safe(html)  # noqa: S308 - rendered by the autoescaping Jinja2 engine
