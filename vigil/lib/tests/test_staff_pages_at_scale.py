"""Flat staff pages: the same number of queries at 5 and at 60 rows, and plans that read an index.

The pages staff open all day (triage inbox, audit log, "my work", the case
and incident lists, the directory of oversight bodies) must cost the same in
a young organisation and in one with years of data. A query count that does
not grow with the rows rules out N+1; the plan of the main list query (SQLite
EXPLAIN QUERY PLAN, PostgreSQL EXPLAIN with sorting and sequential scans
discouraged) shows the rows come off an index instead of a sort of the table.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from vigil.audit.log import record
from vigil.audit.models import AuditEvent
from vigil.cases.models import Case, Task
from vigil.complaints.models import OversightBody
from vigil.conftest import World
from vigil.incidents.demo import create_incidents
from vigil.intake import actions as intake_actions
from vigil.intake.models import Submission, SubmissionStatus
from vigil.vault import crypto, sealing

SMALL, LARGE = 5, 60


def _count(client: Client, path: str) -> int:
    client.get(path)  # warm caches (session, vocabulary) the way a second visit would
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(captured)


def _grows_flat(client: Client, path: str, grow: Callable[[int], None]) -> tuple[int, int]:
    grow(SMALL)
    small = _count(client, path)
    grow(LARGE - SMALL)
    large = _count(client, path)
    return small, large


# --- the pages ---------------------------------------------------------------------------------


def test_it_lists_the_audit_log_in_the_same_queries_at_5_and_60_events(
    world: World, signed_in: Callable[..., Client]
) -> None:
    client = signed_in("coordinator")

    def grow(n: int) -> None:
        for _ in range(n):
            record(world["coordinator"].user, "case.assign", organisation=world.org, users=[])

    small, large = _grows_flat(client, "/accounts/org/audit/", grow)
    assert small == large


def test_it_pages_the_audit_log_by_sequence_without_counting_it(
    world: World, signed_in: Callable[..., Client]
) -> None:
    client = signed_in("coordinator")
    for _ in range(120):
        record(None, "case.assign", organisation=world.org, users=[])
    newest = AuditEvent.objects.filter(organisation=world.org).order_by("-seq")
    seqs = list(newest.values_list("seq", flat=True))
    first = client.get("/accounts/org/audit/")
    shown = [int(x) for x in re.findall(r"<tr><td>(\d+)</td>", first.content.decode())]
    assert shown == seqs[:50]
    cursor = re.search(r'after=([\w-]+)"', first.content.decode())
    assert cursor
    with CaptureQueriesContext(connection) as captured:
        second = client.get(f"/accounts/org/audit/?after={cursor.group(1)}")
    shown = [int(x) for x in re.findall(r"<tr><td>(\d+)</td>", second.content.decode())]
    assert shown == seqs[50:100]
    assert not any("COUNT(" in q["sql"].upper() for q in captured.captured_queries)
    assert not any(" OFFSET " in q["sql"].upper() for q in captured.captured_queries)
    # A forged cursor is ignored, not an error.
    assert client.get("/accounts/org/audit/?after=%27;drop").status_code == 200


def _submit(world: World, n: int, *, triaged: int = 0) -> None:
    for i in range(n):
        intake_actions.submit(world.org, {"what": ["search"], "urgent": i % 3 == 0})
    if triaged:
        ids = list(
            Submission.objects.filter(status=SubmissionStatus.NEW)
            .order_by("pk")
            .values_list("pk", flat=True)[:triaged]
        )
        Submission.objects.filter(pk__in=ids).update(
            status=SubmissionStatus.REJECTED,
            triaged_at=timezone.now(),
            triaged_by=world["caseworker"].user,
        )


def test_it_shows_the_inbox_in_the_same_queries_at_5_and_60_reports(
    world: World, signed_in: Callable[..., Client]
) -> None:
    client = signed_in("caseworker")
    small, large = _grows_flat(client, "/inbox/", lambda n: _submit(world, n, triaged=n // 2))
    assert small == large


def _make_cases(world: World, n: int) -> None:
    """``n`` incidents with their cases, assigned to the caseworker, each with a task."""
    before = set(Case.objects.values_list("pk", flat=True))
    # The demo generator opens a case for about a third of its incidents: generate
    # until there are at least ``n`` new cases.
    seed = n
    while Case.objects.exclude(pk__in=before).filter(organisation=world.org).count() < n:
        create_incidents(world.org, world.org_private, n, seed=seed)
        seed += 1000
    user = world["caseworker"].user
    made = Case.objects.exclude(pk__in=before).filter(organisation=world.org)
    # Open, so that both sizes list rows (the demo generator also closes cases, and
    # an empty first page would skip the queries that rows need).
    made.update(status="active")
    for case in made:
        case.assignees.add(user)
        assert case.sealed_key is not None
        key = crypto.unseal(world.org_private, bytes(case.sealed_key))
        Task.objects.create(
            case=case,
            sealed=sealing.seal_text(key, "call back"),
            due_date=datetime.date(2026, 1, 1) + datetime.timedelta(days=case.pk % 40),
            assignee=user,
            created_by=user,
        )


def test_it_shows_my_work_in_the_same_queries_at_5_and_60_cases(
    world: World, signed_in: Callable[..., Client]
) -> None:
    client = signed_in("caseworker")
    small, large = _grows_flat(client, "/my-work/", lambda n: _make_cases(world, n))
    assert small == large


def test_it_lists_cases_and_incidents_in_the_same_queries_at_5_and_60(
    world: World, signed_in: Callable[..., Client]
) -> None:
    client = signed_in("caseworker")
    _make_cases(world, SMALL)
    small = [_count(client, path) for path in ("/cases/", "/incidents/")]
    _make_cases(world, LARGE - SMALL)
    large = [_count(client, path) for path in ("/cases/", "/incidents/")]
    assert small == large


def _bodies(world: World, n: int) -> None:
    start = OversightBody.objects.count()
    OversightBody.objects.bulk_create(
        OversightBody(
            organisation=world.org,
            slug=f"local-body-{start + i}",
            country="UA",
            body_type="prosecutor",
            names={"en": f"Local prosecutor {start + i}"},
        )
        for i in range(n)
    )


def test_it_shows_the_body_directory_in_the_same_queries_at_5_and_60_bodies(
    world: World, signed_in: Callable[..., Client]
) -> None:
    client = signed_in("lawyer")
    small, large = _grows_flat(client, "/complaints/bodies/", lambda n: _bodies(world, n))
    assert small == large
    _bodies(world, 150)
    page = client.get("/complaints/bodies/?country=UA").content.decode()
    assert "after=" in page and "country=UA&amp;after=" in page


# --- the plans ---------------------------------------------------------------------------------


def _plan(queryset: object) -> str:
    """The plan of a query, with sorting and full scans discouraged on PostgreSQL.

    PostgreSQL may sort a small table rather than read an index; with both
    discouraged, a Sort node in the plan means no index can give the order.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute("SET LOCAL enable_seqscan = off")
    plan: str = queryset.explain()  # type: ignore[attr-defined]
    return plan


def _assert_no_sort(plan: str) -> None:
    if connection.vendor == "sqlite":
        assert "USE TEMP B-TREE FOR ORDER BY" not in plan, plan
        assert "USING INDEX" in plan or "USING COVERING INDEX" in plan, plan
    else:
        assert not re.search(r"(^|\s|>)Sort\b", plan), plan
        assert "Index" in plan, plan


def test_it_reads_the_audit_log_page_off_its_index(world: World) -> None:
    for _ in range(10):
        record(None, "case.assign", organisation=world.org, users=[])
    events = AuditEvent.objects.filter(organisation=world.org).select_related("actor")
    first_page = events.order_by("-seq")[:51]
    later_page = events.order_by("-seq").filter(seq__lt=5)[:51]
    _assert_no_sort(_plan(first_page))
    _assert_no_sort(_plan(later_page))


def test_it_reads_the_inbox_off_its_indexes(world: World) -> None:
    _submit(world, 10, triaged=4)
    submissions = Submission.objects.filter(organisation_id=world.org.pk)
    new = submissions.filter(status=SubmissionStatus.NEW).order_by("-urgent", "created_at")[:200]
    recent = (
        submissions.filter(triaged_at__isnull=False)
        .exclude(status=SubmissionStatus.NEW)
        .select_related("triaged_by")
        .order_by("-triaged_at")[:20]
    )
    _assert_no_sort(_plan(new))
    _assert_no_sort(_plan(recent))
