"""The referral funnel as a section of the advocacy report (DOCX/PDF).

Called by ``stats.report.collect`` inside ``translation.override(language)``;
every number comes from ``funnel.funnel`` and has passed disclosure control.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

from vigil.referrals import funnel
from vigil.stats.report import Grid, Line, Section


def _value(value: int | float | None, w: dict[str, str], suffix: str = "") -> Line:
    if value is None:
        return Line("", w["hidden"], True)
    decimals = 1 if value != int(value) else 0
    return Line("", f"{formats.number_format(value, decimal_pos=decimals)}{suffix}")


def _cells(values: list[int | None], w: dict[str, str]) -> list[str]:
    return [_value(v, w).value for v in values]


def funnel_section(spec: Any, w: dict[str, str]) -> Section | None:
    """None when the scope has no referral in the period (the section is left out)."""
    filters = funnel.FunnelFilters(
        tuple(spec.scope.organisation_ids), date_from=spec.date_from, date_to=spec.date_to
    )
    if not funnel.referrals(filters).exists():
        return None
    result = funnel.funnel(filters, ("quarter",))
    total = result.total
    unit = _("referrals")
    figures = [
        dataclasses.replace(_value(count, w), label=label)
        for (_code, label), count in zip(result.stages, total.counts, strict=True)
    ]
    ost_share = total.shares[funnel.STAGE_CODES.index("admitted_ost")]
    figures += [
        dataclasses.replace(_value(ost_share, w, " %"), label=_("Share admitted to OST")),
        dataclasses.replace(
            _value(result.median_arrival_minutes, w),
            label=_("Median call-to-arrival time (minutes)"),
        ),
        dataclasses.replace(
            _value(result.median_admission_days, w),
            label=_("Median referral-to-admission time (days)"),
        ),
    ]
    grid = Grid(
        _("Referral funnel by quarter"),
        unit,
        w["counting_unit"].format(unit=unit),
        _("Quarter"),
        [label for _code, label in result.stages],
        [(row.label, _cells(row.counts, w)) for row in result.rows],
        _cells(total.counts, w),
    )
    paragraphs = [
        _(
            "Police drug referral and diversion: people referred by the police to a referral "
            "worker, and how many reached treatment. Each stage counts referrals that reached it."
        )
    ]
    return Section(_("Diversion referrals"), paragraphs=paragraphs, figures=figures, grids=[grid])
