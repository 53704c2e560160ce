"""The lawyer's deadline agenda: her open actions, overdue first, constant query count."""

from __future__ import annotations

import datetime
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from vigil.complaints import actions
from vigil.complaints.models import LegalAction
from vigil.complaints.tests.helpers import filed, make_action, make_case
from vigil.conftest import World


def set_due(action: LegalAction, days: int) -> None:
    due = timezone.localdate() + datetime.timedelta(days=days)
    LegalAction.objects.filter(pk=action.pk).update(due_date=due)


def codes(html: str) -> list[str]:
    return re.findall(r">(L-\d{5})</a>", html)


def test_it_lists_overdue_first_then_by_due_date(world: World, signed_in) -> None:
    in_ten = filed(world, make_case(world))
    overdue_long = filed(world, make_case(world))
    in_two = filed(world, make_case(world))
    overdue_recent = filed(world, make_case(world))
    draft = make_action(world, make_case(world))
    set_due(in_ten, 10)
    set_due(overdue_long, -9)
    set_due(in_two, 2)
    set_due(overdue_recent, -1)
    answered_late = filed(world, make_case(world))  # answered: past its date but not overdue
    set_due(answered_late, -20)
    LegalAction.objects.filter(pk=answered_late.pk).update(status="response_received")
    closed = filed(world, make_case(world))
    actions.close(world["lawyer"].user, closed)
    others = filed(world, make_case(world), lawyer=world["coordinator"].user)

    page = signed_in("lawyer").get("/complaints/agenda/")

    assert page.status_code == 200
    listed = codes(page.content.decode())
    assert listed == [
        overdue_long.code,
        overdue_recent.code,
        answered_late.code,
        in_two.code,
        in_ten.code,
        draft.code,
    ]
    assert closed.code not in listed and others.code not in listed
    assert page.content.decode().count('class="lx-overdue-row"') == 2


def test_another_organisation_sees_none_of_it(world: World, signed_in) -> None:
    filed(world, make_case(world))
    page = signed_in("lawyer", other=True).get("/complaints/agenda/")
    assert codes(page.content.decode()) == []


def test_the_query_count_does_not_grow_with_the_list(world: World, signed_in) -> None:
    client = signed_in("lawyer")
    for _ in range(2):
        set_due(filed(world, make_case(world)), -1)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/complaints/agenda/").status_code == 200
        return len(queries)

    few = count()
    for n in range(8):
        set_due(filed(world, make_case(world)), n - 3)
    make_action(world, make_case(world))
    assert count() == few
    assert few <= 12


def test_my_work_can_show_the_overdue_actions_first(world: World) -> None:
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    from vigil.complaints.agenda import my_deadlines
    from vigil.lib.requests import as_staff

    later, overdue = filed(world, make_case(world)), filed(world, make_case(world))
    set_due(later, 5)
    set_due(overdue, -2)
    request = as_staff(RequestFactory().get("/my-work/"))
    request.user = world["lawyer"].user
    request.membership = world["lawyer"].membership
    rows = my_deadlines(request)
    assert rows is not None
    assert [r.code for r in rows] == [overdue.code, later.code]
    html = render_to_string("complaints/_my_deadlines.html", {"legal_deadlines": rows})
    assert html.index(overdue.code) < html.index(later.code)
    assert html.count("overdue") >= 2

    request.membership = world["caseworker"].membership
    assert my_deadlines(request) is None
    assert "Legal action" not in render_to_string(
        "complaints/_my_deadlines.html", {"legal_deadlines": None}
    )
