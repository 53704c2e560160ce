"""The funnel as horizontal bars, with the statistics charts' geometry (SVG, no JS)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from vigil.referrals.funnel import STAGES, FunnelRow
from vigil.stats.charts import MAX_PCT, ROW, Bar, BarChart


def funnel_chart(row: FunnelRow) -> BarChart:
    top = max((c for c in row.counts if c is not None), default=0)
    bars = []
    for i, ((_code, label, _q), value, share) in enumerate(
        zip(STAGES, row.counts, row.shares, strict=True)
    ):
        y = i * ROW
        width = MAX_PCT * value / top if value and top else 0.0
        text = _("hidden") if value is None else str(value)
        if value is not None and share is not None and i > 0:
            text += f" ({share:.1f} %)"
        bars.append(Bar(str(label), text, value is None, f"{width:.3f}", y + 15, y + 21, y + 33))
    return BarChart(bars, max(len(bars) * ROW, ROW))
