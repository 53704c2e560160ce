"""Country names in the interface language: ``{% load places %}{{ code|country_name }}``."""

from __future__ import annotations

from django import template

from vigil.incidents import regions

register = template.Library()


@register.filter
def country_name(code: str) -> str:
    return regions.country_name(code or "")
