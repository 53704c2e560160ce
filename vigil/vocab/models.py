"""Controlled, hierarchical, coded and translated term lists.

Codes are stable forever so statistics stay comparable across organisations
and years: a term is deactivated, never deleted or recoded. Shared terms come
from data/terms.csv; an organisation may add local terms (organisation set).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext_lazy as _


class TermList(models.TextChoices):
    ACT_TYPE = "act_type", _("Act types")
    METHOD = "method", _("Methods of violence")
    CONSEQUENCE = "consequence", _("Consequences")
    ACT_STATUS = "act_status", _("Victim's status at the end")
    PERPETRATOR_TYPE = "perpetrator_type", _("Perpetrator types")
    PLACE_TYPE = "place_type", _("Place types")
    CHARACTERISTIC = "characteristic", _("Victim characteristics")
    NEED = "need", _("Needs")
    INTERVENTION_TYPE = "intervention_type", _("Intervention types")
    AUTHORITY_RESPONSE = "authority_response", _("Authority responses")
    CASE_OUTCOME = "case_outcome", _("Case outcomes")
    SOURCE_TYPE = "source_type", _("Source types")
    RELIABILITY = "reliability", _("Reliability")
    VIOLATION_STATUS = "violation_status", _("Violation status")
    INVOLVEMENT = "involvement", _("Degree of involvement")


LANGS = ("en", "ru", "uk")


class TermQuerySet(models.QuerySet["Term"]):
    def of(self, term_list: str, organisation_id: int | None = None) -> TermQuerySet:
        """Active terms of a list: shared ones plus the organisation's own."""
        local = models.Q(organisation__isnull=True)
        if organisation_id is not None:
            local |= models.Q(organisation_id=organisation_id)
        return self.filter(local, list=term_list, is_active=True).order_by("order", "code")


class Term(models.Model):
    list = models.CharField(max_length=32, choices=TermList.choices, db_index=True)
    code = models.CharField(max_length=64, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    depth = models.PositiveSmallIntegerField(default=0)
    # Materialised path of codes ("ACT.SEX/ACT.SEX.RAPE/") for "any level" filters.
    path = models.CharField(max_length=400, db_index=True)
    order = models.PositiveIntegerField(default=0)
    huridocs_list = models.CharField(max_length=8, blank=True)
    huridocs_code = models.CharField(max_length=12, blank=True)
    gbvims = models.CharField(max_length=32, blank=True)
    labels = models.JSONField(default=dict)
    help = models.JSONField(default=dict, blank=True)
    is_active = models.BooleanField(default=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="local_terms",
    )

    objects = TermQuerySet.as_manager()

    class Meta:
        ordering = ["list", "order", "code"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return _pick(self.labels, self.code)

    @property
    def help_text(self) -> str:
        return _pick(self.help, "")

    @property
    def indented_label(self) -> str:
        return "\u2003" * self.depth + self.label


def _pick(texts: dict[str, str], fallback: str) -> str:
    """The stored text in the active language, else the English one through the
    catalogue (the shared vocabulary is listed in ``catalogue.py``), else ``fallback``."""
    language = (get_language() or "en")[:2]
    english = texts.get("en") or ""
    return texts.get(language) or (pgettext("vocabulary", english) if english else "") or fallback
