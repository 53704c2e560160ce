"""The dashboard, exports and network settings through HTTP."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from vigil.audit.models import AuditEvent
from vigil.conftest import World
from vigil.stats import actions
from vigil.stats.models import (
    CrossReport,
    InvitationStatus,
    Network,
    NetworkInvitation,
    NetworkShare,
)
from vigil.stats.tests.fixtures import Data
from vigil.tests_matrix import Row, run_matrix

pytestmark = pytest.mark.django_db

# Strings of the fixture that must never appear on a statistics page or export.
SECRETS = [
    "Ivanna",
    "Oksana",
    "Secretname",
    "Secret narrative",
    "Night raid",
    "Badgename",
    "B-777",
    "+380501112233",
    "E-0000",
]

# columns: anon coordinator caseworker lawyer hotline analyst referral police_liaison
#          network_analyst other_org
ROWS: list[Row] = [
    ("GET", "/stats/", "302 200 403 403 403 200 403 403 200 200"),
    ("GET", "/stats/?unit=victims&depth=detail", "302 200 403 403 403 200 403 403 200 200"),
    ("GET", "/stats/export.csv?rows=region", "302 200 403 403 403 200 403 403 200 200"),
    ("GET", "/stats/export.xlsx?rows=month", "302 200 403 403 403 200 403 403 200 200"),
    ("GET", "/stats/network/", "302 200 403 403 403 403 403 403 403 200"),
    ("POST", "/stats/network/", "302 404 403 403 403 403 403 403 403 404"),
    ("POST", "/stats/", "405 405 405 405 405 405 405 405 405 405"),
    # Empty posts: the host's coordinator gets her form back as a message (302).
    ("POST", "/stats/network/create/", "302 302 403 403 403 403 403 403 403 302"),
    ("POST", "/stats/network/{network}/invite/", "302 302 403 403 403 403 403 403 403 404"),
    ("POST", "/stats/network/invitations/{invitation}/", "302 400 403 403 403 403 403 403 403 404"),
]


def test_it_matches_the_role_matrix(world: World, data: Data) -> None:
    network = actions.create_network(None, world.org, name="EECA network", slug="eeca")
    theirs = actions.create_network(None, world.other_org, name="Their network", slug="theirs")
    others = world.others["coordinator"]
    invitation = actions.invite_organisation(others.user, others.membership, theirs, world.org)
    targets = {"network": network.pk, "invitation": invitation.pk}
    assert run_matrix(world, ROWS, lambda: targets) == []


def region_codes(page: object) -> list[str]:
    chart = next(c for c in page.context["charts"] if c["table"].row_name == "region")  # type: ignore[attr-defined]
    return [h.code for h in chart["table"].rows]


def content(response: object) -> str:
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()  # type: ignore[attr-defined]


def test_it_shows_an_analyst_aggregates_but_no_names_or_narratives(
    world: World, data: Data, signed_in: object, settings: object
) -> None:
    settings.STATS_MIN_CELL = 1  # type: ignore[attr-defined]
    client: Client = signed_in("analyst")  # type: ignore[operator]
    page = client.get("/stats/", {"unit": "acts"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "<table" in html
    for secret in SECRETS:
        assert secret not in html
    figures = dict(page.context["key_figures"])
    assert list(figures.values()) == [3, 6, 3]
    # Only the organisation's own regions; B's Almaty region never appears.
    assert region_codes(page) == ["UA-32", "UA-46"]
    assert "Almaty" not in html  # not even as a filter choice
    for fmt in ("csv", "xlsx"):
        export = client.get(f"/stats/export.{fmt}", {"rows": "region", "columns": "act_type"})
        assert export.status_code == 200
        if fmt == "csv":
            text = content(export)
            for secret in SECRETS:
                assert secret not in text


def test_it_suppresses_small_numbers_on_the_page(
    world: World, data: Data, signed_in: object
) -> None:
    client: Client = signed_in("coordinator")  # type: ignore[operator]
    page = client.get("/stats/")
    # 3 incidents and 3 victims are below the default threshold of 5; 6 acts are not.
    figures = [v for _label, v in page.context["key_figures"]]
    assert figures == [None, 6, None]
    assert "hidden" in page.content.decode()


def test_it_applies_filters_from_the_get_form(
    world: World, data: Data, signed_in: object, settings: object
) -> None:
    settings.STATS_MIN_CELL = 1  # type: ignore[attr-defined]
    client: Client = signed_in("analyst")  # type: ignore[operator]
    page = client.get("/stats/", {"act_type": "ACT.PHYS", "region": "UA-32"})
    assert page.status_code == 200
    assert [v for _l, v in page.context["key_figures"]] == [1, 2, 2]
    bad = client.get("/stats/", {"date_from": "2025-13"})
    assert bad.status_code == 200
    assert "Enter a month as YYYY-MM." in bad.content.decode()
    assert "key_figures" not in bad.context


def test_it_keeps_another_organisation_out_unless_it_opts_in_to_the_network(
    world: World, data: Data, signed_in: object, settings: object
) -> None:
    settings.STATS_MIN_CELL = 1  # type: ignore[attr-defined]
    network = actions.create_network(None, world.org, name="EECA network", slug="eeca")
    analyst: Client = signed_in("network_analyst")  # type: ignore[operator]
    assert [v for _l, v in analyst.get("/stats/").context["key_figures"]] == [0, 0, 0]

    coordinator: Client = signed_in("coordinator")  # type: ignore[operator]
    response = coordinator.post("/stats/network/", {"network": network.pk, "action": "opt_in"})
    assert response.status_code == 302
    assert [v for _l, v in analyst.get("/stats/").context["key_figures"]] == [3, 6, 3]
    assert region_codes(analyst.get("/stats/")) == ["UA-32", "UA-46"]

    other: Client = signed_in("coordinator", other=True)  # type: ignore[operator]
    # Not a member: opting in to someone else's network is refused as if it did not exist.
    response = other.post("/stats/network/", {"network": network.pk, "action": "opt_in"})
    assert response.status_code == 404
    assert [v for _l, v in analyst.get("/stats/").context["key_figures"]] == [3, 6, 3]
    invitation = actions.invite_organisation(
        world["coordinator"].user, world["coordinator"].membership, network, world.other_org
    )
    # Invited but not answered: still not a member.
    response = other.post("/stats/network/", {"network": network.pk, "action": "opt_in"})
    assert response.status_code == 404
    other.post(f"/stats/network/invitations/{invitation.pk}/", {"decision": "decline"})
    actions.invite_organisation(
        world["coordinator"].user, world["coordinator"].membership, network, world.other_org
    )
    other.post(f"/stats/network/invitations/{invitation.pk}/", {"decision": "accept"})
    page = analyst.get("/stats/")
    # E6 joins; E7 is E1 reported twice and counts once.
    assert [v for _l, v in page.context["key_figures"]] == [4, 7, 4]
    assert region_codes(page) == ["KZ-19", "UA-32", "UA-46"]
    html = page.content.decode()
    for secret in SECRETS:
        assert secret not in html

    other.post("/stats/network/", {"network": network.pk, "action": "opt_out"})
    assert [v for _l, v in analyst.get("/stats/").context["key_figures"]] == [3, 6, 3]
    actions_logged = list(
        AuditEvent.objects.filter(action__startswith="stats.network_opt")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions_logged == ["stats.network_opt_in", "stats.network_opt_out"]
    # Another organisation's analyst never sees the network.
    assert analyst.get("/stats/", {"network": network.pk + 1}).status_code == 404
    stranger: Client = signed_in("network_analyst", other=True)  # type: ignore[operator]
    assert stranger.get("/stats/", {"network": network.pk}).status_code == 404
    assert stranger.get("/stats/").context["scope"] is None


def test_it_lets_a_coordinator_mark_and_unmark_a_cross_reported_incident(
    world: World, data: Data, signed_in: object
) -> None:
    coordinator: Client = signed_in("coordinator")  # type: ignore[operator]
    e2 = data.events["E2"]
    response = coordinator.post(
        "/stats/network/", {"action": "mark", "number": e2.number, "reference": "REF 9"}
    )
    assert response.status_code == 302
    row = CrossReport.objects.get(event=e2)
    assert "REF" not in row.token and len(row.token) == 64
    assert actions.reference_token("ref9") == row.token
    # Another organisation's incident number is not found in this organisation.
    missing = coordinator.post(
        "/stats/network/",
        {"action": "mark", "number": data.events["E6"].number + 100, "reference": "x"},
    )
    assert "No incident of your organisation has this number." in missing.content.decode()
    other: Client = signed_in("coordinator", other=True)  # type: ignore[operator]
    assert (
        other.post("/stats/network/", {"action": "unmark", "cross_report": row.pk}).status_code
        == 404
    )
    coordinator.post("/stats/network/", {"action": "unmark", "cross_report": row.pk})
    assert not CrossReport.objects.filter(event=e2).exists()
    logged = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"stats.cross_report_mark", "stats.cross_report_clear"} <= logged


def _csv_rows(response: object) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content(response))))


def _xlsx_rows(response: object) -> list[list[str]]:
    data = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    sheet = workbook.worksheets[0]
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


def test_it_exports_the_same_table_as_csv_and_xlsx_and_audits_both(
    world: World, data: Data, signed_in: object
) -> None:
    client: Client = signed_in("analyst")  # type: ignore[operator]
    query = {"rows": "month", "columns": "act_type", "unit": "acts", "date_from": "2025-01"}
    as_csv = client.get("/stats/export.csv", query)
    as_xlsx = client.get("/stats/export.xlsx", query)
    assert as_csv["Content-Type"].startswith("text/csv")
    assert "attachment" in as_csv["Content-Disposition"]
    assert "no-store" in as_csv["Cache-Control"]
    csv_rows = _csv_rows(as_csv)
    assert csv_rows == _xlsx_rows(as_xlsx)
    header, *body = csv_rows
    assert header == ["month_code", "Month", "act_type_code", "Act type", "Acts"]
    # January has E1 (rape, 2 beatings) and E2 (bribe); February is empty.
    assert ["2025-01", "2025-01", "", "Total", "x"] in body  # 4 acts: hidden
    assert ["2025-02", "2025-02", "ACT.SEX", "Sexual violence", "0"] in body
    assert body[-1] == ["", "Total", "", "Total", "6"]
    assert all(row[-1] == "x" or row[-1] == "0" or int(row[-1]) >= 5 for row in body)

    audits = AuditEvent.objects.filter(action="stats.export").order_by("seq")
    assert [a.data["format"] for a in audits] == ["csv", "xlsx"]
    entry = audits[0].data
    assert entry["filters"] == {"date_from": "2025-01"}
    assert entry["row_count"] == len(body)
    assert entry["rows"] == "month" and entry["columns"] == "act_type"
    for secret in SECRETS:
        assert secret not in str(entry)


def test_it_rejects_an_export_with_invalid_filters(
    world: World, data: Data, signed_in: object
) -> None:
    client: Client = signed_in("analyst")  # type: ignore[operator]
    response = client.get("/stats/export.csv", {"rows": "month", "columns": "month"})
    assert response.status_code == 400
    assert not AuditEvent.objects.filter(action="stats.export").exists()


def test_it_shows_the_network_settings_page(world: World, signed_in: object) -> None:
    network = actions.create_network(None, world.org, name="EECA network", slug="eeca")
    client: Client = signed_in("coordinator", other=True)  # type: ignore[operator]
    assert "EECA network" not in client.get("/stats/network/").content.decode()
    actions.invite_organisation(
        world["coordinator"].user, world["coordinator"].membership, network, world.other_org
    )
    page = client.get("/stats/network/").content.decode()
    assert "invites your organisation to join “EECA network”" in page
    invitation = network.invitations.get()
    client.post(f"/stats/network/invitations/{invitation.pk}/", {"decision": "accept"})
    assert NetworkShare.objects.get(network=network, organisation=world.other_org).opted_in
    assert "EECA network" in client.get("/stats/network/").content.decode()


def test_it_loads_the_dashboard_with_a_bounded_number_of_queries(
    world: World, data: Data, signed_in: object, django_assert_max_num_queries: object
) -> None:
    client: Client = signed_in("analyst")  # type: ignore[operator]
    with django_assert_max_num_queries(45):  # type: ignore[operator]
        response = client.get("/stats/", {"unit": "victims", "depth": "detail"})
    assert response.status_code == 200


def test_it_tells_a_network_analyst_without_a_network_that_there_is_nothing_to_show(
    world: World, signed_in: object
) -> None:
    client: Client = signed_in("network_analyst")  # type: ignore[operator]
    page = client.get("/stats/")
    assert page.status_code == 200
    assert "hosts no network" in page.content.decode()
    assert client.get("/stats/export.csv").status_code == 404


def test_it_creates_a_network_invites_and_the_invited_coordinator_accepts(
    world: World, data: Data, signed_in: object, settings: object
) -> None:
    settings.STATS_MIN_CELL = 1  # type: ignore[attr-defined]
    host: Client = signed_in("coordinator")  # type: ignore[operator]
    host.post("/stats/network/create/", {"name": "Women and Harm Reduction EECA"})
    network = Network.objects.get(name="Women and Harm Reduction EECA")
    assert network.host == world.org and network.slug == "women-and-harm-reduction-eeca"
    page = host.get("/stats/network/").content.decode()
    assert "Members of “Women and Harm Reduction EECA”" in page
    assert world.other_org.name in page  # offered in the invitation list

    host.post(f"/stats/network/{network.pk}/invite/", {"organisation": world.other_org.pk})
    invitation = NetworkInvitation.objects.get(network=network, organisation=world.other_org)
    assert invitation.status == InvitationStatus.PENDING
    # Another organisation cannot invite to a network it does not host.
    guest: Client = signed_in("coordinator", other=True)  # type: ignore[operator]
    response = guest.post(f"/stats/network/{network.pk}/invite/", {"organisation": world.org.pk})
    assert response.status_code == 404
    # Nor can the host answer the invitation in the guest's place.
    response = host.post(f"/stats/network/invitations/{invitation.pk}/", {"decision": "accept"})
    assert response.status_code == 404

    guest.post(f"/stats/network/invitations/{invitation.pk}/", {"decision": "accept"})
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED
    assert invitation.answered_by == world.others["coordinator"].user
    assert NetworkShare.objects.get(network=network, organisation=world.other_org).opted_in
    # The host shares only once it opts in: creating a network is not consent to share.
    assert not NetworkShare.objects.get(network=network, organisation=world.org).opted_in
    analyst: Client = signed_in("network_analyst")  # type: ignore[operator]
    only_guest = [v for _l, v in analyst.get("/stats/").context["key_figures"]]
    host.post("/stats/network/", {"network": network.pk, "action": "opt_in"})
    both = [v for _l, v in analyst.get("/stats/").context["key_figures"]]
    assert both[0] > only_guest[0] > 0
    logged = set(
        AuditEvent.objects.filter(action__startswith="stats.network").values_list(
            "action", flat=True
        )
    )
    assert {
        "stats.network_create",
        "stats.network_invite",
        "stats.network_invitation_accept",
        "stats.network_opt_in",
    } <= logged


def test_it_lets_an_invited_coordinator_decline(world: World, signed_in: object) -> None:
    network = actions.create_network(None, world.org, name="EECA network", slug="eeca")
    coordinator = world["coordinator"]
    invitation = actions.invite_organisation(
        coordinator.user, coordinator.membership, network, world.other_org
    )
    guest: Client = signed_in("coordinator", other=True)  # type: ignore[operator]
    guest.post(f"/stats/network/invitations/{invitation.pk}/", {"decision": "decline"})
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.DECLINED
    assert not NetworkShare.objects.filter(network=network, organisation=world.other_org).exists()
    response = guest.post("/stats/network/", {"network": network.pk, "action": "opt_in"})
    assert response.status_code == 404
    # The host may ask again.
    actions.invite_organisation(coordinator.user, coordinator.membership, network, world.other_org)
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING


def test_the_xlsx_sheets_are_named_in_the_interface_language(
    world: World, data: Data, signed_in: object
) -> None:
    from django.conf import settings
    from django.utils import translation

    client: Client = signed_in("analyst")  # type: ignore[operator]
    expected = {"ru": ["Статистика", "Об этих цифрах"], "uk": ["Статистика", "Про ці цифри"]}
    with translation.override("en"):  # the requests switch language; restore it after
        for language, names in expected.items():
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
            response = client.get("/stats/export.xlsx", {"rows": "month", "unit": "acts"})
            content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
            workbook = load_workbook(io.BytesIO(content), read_only=True)
            assert workbook.sheetnames == names
