"""The funnel computed by hand on a small fixture, its suppression, its page and
exports, the police liaison's aggregate page and the advocacy report section."""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

import pytest
from docx import Document
from openpyxl import load_workbook

from vigil.conftest import World
from vigil.referrals import funnel
from vigil.referrals.models import Need, Programme, Referral
from vigil.referrals.tests.conftest import make_referral, service_of
from vigil.stats.aggregate import Scope
from vigil.stats.report import ReportSpec, build

T0 = datetime.datetime(2025, 2, 10, 9, 0, tzinfo=datetime.UTC)


def _make(
    world: World,
    programme: Programme,
    *,
    stage: int,
    kind: str = Need.OST,
    retained: tuple[bool | None, bool | None] = (None, None),
    arrival: int = 0,
    admission: int = 0,
    day: datetime.date = datetime.date(2025, 2, 10),
    district: str = "Podil",
) -> Referral:
    """stage: 0 referred, 1 contacted, 2 assessed, 3 admitted."""
    referral = make_referral(world, programme, referred_on=day, district=district)
    referral.created_at = T0
    if stage >= 1:
        referral.arrived_at = T0 + datetime.timedelta(minutes=arrival)
        referral.contacted_at = referral.arrived_at
    if stage >= 2:
        referral.assessed_at = referral.arrived_at
    if stage >= 3:
        referral.service = service_of(programme, kind)
        referral.service_kind = kind
        referral.admitted_on = day + datetime.timedelta(days=admission)
        referral.retained_30, referral.retained_90 = retained
    referral.save()
    return referral


@pytest.fixture
def seven(world: World, programme: Programme) -> None:
    """One person dropping out at each stage, and two who go all the way."""
    _make(world, programme, stage=0)
    _make(world, programme, stage=1, arrival=10)
    _make(world, programme, stage=2, arrival=20)
    _make(world, programme, stage=3, arrival=30, admission=2, retained=(False, None))
    _make(world, programme, stage=3, arrival=40, admission=4, retained=(True, False))
    _make(world, programme, stage=3, kind=Need.NSP, arrival=50, admission=6, retained=(True, True))
    _make(world, programme, stage=3, arrival=60, admission=8, retained=(True, True))


def row_cells(html: str, label: str) -> list[str]:
    start = html.index(label)
    row = html[start : html.index("</tr>", start)]
    return [
        re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)
    ]


def filters_of(world: World) -> funnel.FunnelFilters:
    return funnel.FunnelFilters((world.org.pk,))


def test_it_counts_each_stage_as_computed_by_hand(world: World, seven: None) -> None:
    result = funnel.funnel(filters_of(world), threshold=1)
    counts = dict(zip(funnel.STAGE_CODES, result.total.counts, strict=True))
    assert counts == {
        "referred": 7,
        "contacted": 6,
        "assessed": 5,
        "admitted_ost": 3,
        "admitted_other": 1,
        "retained_30": 3,
        "retained_90": 2,
    }
    assert result.median_arrival_minutes == 35  # 10..60
    assert result.median_admission_days == 5  # 2, 4, 6, 8
    assert result.total.shares[3] == round(100 * 3 / 7, 1)


def test_it_filters_by_period_programme_and_route(
    world: World, programme: Programme, seven: None
) -> None:
    _make(world, programme, stage=0, day=datetime.date(2024, 12, 31))
    base = filters_of(world)
    assert funnel.funnel(base, threshold=1).total.counts[0] == 8
    in_2025 = funnel.FunnelFilters((world.org.pk,), date_from=datetime.date(2025, 1, 1))
    assert funnel.funnel(in_2025, threshold=1).total.counts[0] == 7
    none = funnel.FunnelFilters((world.org.pk,), programme_ids=())
    assert funnel.funnel(none, threshold=1).total.counts[0] == 0
    arrests = funnel.FunnelFilters((world.org.pk,), route="arrest")
    assert funnel.funnel(arrests, threshold=1).total.counts[0] == 0
    other_org = funnel.FunnelFilters((world.other_org.pk,))
    assert funnel.funnel(other_org, threshold=1).total.counts[0] == 0


def test_it_hides_small_cells_with_complementary_suppression(
    world: World, programme: Programme, seven: None
) -> None:
    _make(world, programme, stage=0, day=datetime.date(2025, 5, 2))
    _make(world, programme, stage=1, day=datetime.date(2025, 5, 3), arrival=5)
    result = funnel.funnel(filters_of(world), ("quarter",), threshold=5)
    q1, q2 = result.rows
    assert (q1.label, q2.label) == ("2025-Q1", "2025-Q2")
    assert q2.counts[0] is None  # 2 referred: small
    assert q1.counts[0] is None  # 7, hidden too, or 9 - 7 would give the 2 away
    assert result.total.counts[0] == 9
    assert result.median_arrival_minutes is not None  # 7 arrivals >= 5
    assert result.total.counts[funnel.STAGE_CODES.index("admitted_other")] is None  # 1
    assert result.hidden_count >= 3


def test_it_hides_medians_of_fewer_referrals_than_the_threshold(
    world: World, programme: Programme
) -> None:
    _make(world, programme, stage=3, arrival=12, admission=3)
    result = funnel.funnel(filters_of(world), threshold=5)
    assert result.median_arrival_minutes is None and result.median_admission_days is None
    assert result.total.counts == [None] * 4 + [0, 0, 0]


def test_it_shows_the_funnel_page_with_chart_and_exports(
    world: World, seven: None, signed_in: Any, settings: Any
) -> None:
    settings.STATS_MIN_CELL = 1
    client = signed_in("analyst")
    page = client.get("/referrals/funnel/?by=quarter").content.decode()
    assert "<svg" in page and "2025-Q1" in page
    assert "42.9 %" in page  # 3 of 7 admitted to OST
    csv = b"".join(client.get("/referrals/funnel.csv?by=quarter").streaming_content).decode()
    lines = csv.strip().splitlines()
    assert lines[1].split(",")[:3] == ["2025-Q1", "7", "6"]
    assert lines[-1].split(",")[0] == "Total"
    response = client.get("/referrals/funnel.xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[-1][1:] == (7, 6, 5, 3, 1, 3, 2)


def test_it_hides_the_same_cells_in_exports_as_on_the_page(
    world: World, seven: None, signed_in: Any
) -> None:
    client = signed_in("coordinator")
    csv = b"".join(client.get("/referrals/funnel.csv").streaming_content).decode()
    total = csv.strip().splitlines()[-1].split(",")
    assert total == ["Total", "7", "6", "5", "x", "x", "x", "x"]


def test_it_shows_the_police_liaison_quarters_and_districts_with_small_cells_hidden(
    world: World, programme: Programme, signed_in: Any
) -> None:
    for i in range(6):
        _make(world, programme, stage=1, arrival=i, district="Podil")
    for _i in range(2):
        _make(world, programme, stage=0, district="Obolon")
    page = signed_in("police_liaison").get("/referrals/police/figures/").content.decode()
    body = page[page.index("<main") :]
    assert "2025-Q1" in body and "Obolon" in body and "Podil" in body
    obolon, podil, total = (row_cells(body, label) for label in ("Obolon", "Podil", "Total"))
    assert obolon[:2] == ["hidden", "0"]  # 2 referred: hidden; nobody contacted: 0 is shown
    assert podil[:2] == ["hidden", "6"]  # 6 hidden, or 8 - 6 would give the 2 away
    assert total[:2] == ["8", "6"]


def test_it_shows_the_liaison_only_her_programmes(
    world: World, programme: Programme, signed_in: Any
) -> None:
    for _i in range(6):
        _make(world, programme, stage=0, district="Podil")
    programme.referrers.clear()
    page = signed_in("police_liaison").get("/referrals/police/figures/").content.decode()
    assert "Podil" not in page


def test_it_adds_the_funnel_to_the_advocacy_report(world: World, seven: None) -> None:
    spec = ReportSpec(
        Scope.for_organisation(world.org),
        datetime.date(2025, 1, 1),
        datetime.date(2025, 12, 31),
        "en",
    )
    files = build(spec)
    document = Document(io.BytesIO(files.docx))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Diversion referrals" in text
    assert "Referred: 7" in text
    assert "Admitted to OST: hidden" in text  # 3 is below the default threshold
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "2025-Q1" in cells


def test_it_leaves_the_section_out_without_referrals(world: World) -> None:
    spec = ReportSpec(
        Scope.for_organisation(world.org),
        datetime.date(2025, 1, 1),
        datetime.date(2025, 3, 31),
        "en",
    )
    document = Document(io.BytesIO(build(spec).docx))
    assert "Diversion referrals" not in "\n".join(p.text for p in document.paragraphs)
