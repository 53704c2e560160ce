"""Community boards through HTTP: boards, sealed members, suggestions, the police answer,
the transition table with its history, and reminders through a real SMTP server."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest

from vigil.accounts.models import User
from vigil.conftest import World
from vigil.engagement.models import BoardMember, CommunityBoard, Suggestion
from vigil.engagement.tasks import send_follow_up_reminders
from vigil.engagement.tests.helpers import MEMBER_NAME, make_board, make_suggestion, raw, today
from vigil.mailtest import Inbox, body_of, smtp_server

SITE = "https://vigil.example.org"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def inbox(settings: Any) -> Iterator[Inbox]:
    settings.SITE_URL = SITE
    settings.TASKS = IMMEDIATE
    with smtp_server(settings) as handler:
        yield handler


def with_email(user: User, address: str) -> None:
    User.objects.filter(pk=user.pk).update(email=address)


def test_it_creates_edits_and_lists_boards(world: World, signed_in: Any) -> None:
    client = signed_in("coordinator")
    assert client.get("/engagement/boards/new/").status_code == 200
    response = client.post("/engagement/boards/new/", {"region": "UA-30", "district": "Obolon"})
    assert response.status_code == 302
    board = CommunityBoard.objects.get()
    response = client.post(
        f"/engagement/boards/{board.pk}/edit/", {"region": "UA-30", "district": "Obolonskyi"}
    )
    assert response.status_code == 302
    board.refresh_from_db()
    assert (board.district, board.is_active) == ("Obolonskyi", False)
    assert "Obolonskyi" in client.get("/engagement/boards/").content.decode()
    # One board per district.
    again = client.post("/engagement/boards/new/", {"region": "UA-30", "district": "Obolonskyi"})
    assert again.status_code == 400


def test_it_seals_board_members(world: World, signed_in: Any) -> None:
    board = make_board(world)
    client = signed_in("caseworker")
    response = client.post(
        f"/engagement/boards/{board.pk}/members/new/", {"category": "wud", "name": MEMBER_NAME}
    )
    assert response.status_code == 302
    member = BoardMember.objects.get()
    assert MEMBER_NAME.encode() not in raw(member.sealed)
    assert MEMBER_NAME in client.get(f"/engagement/boards/{board.pk}/").content.decode()
    response = client.post(
        f"/engagement/members/{member.pk}/edit/",
        {"category": "community", "name": MEMBER_NAME, "is_active": "on"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.category == "community"


def test_it_tracks_a_suggestion_from_submitted_to_implemented(world: World, signed_in: Any) -> None:
    board = make_board(world)
    staff = signed_in("coordinator")
    response = staff.post(
        f"/engagement/boards/{board.pk}/suggestions/new/",
        {
            "text": "Patrols should stop checking documents at the needle exchange",
            "submitted_on": "2026-03-01",
            "due_date": "2026-03-31",
            "addressed_to": world["police_liaison"].membership.pk,
        },
    )
    assert response.status_code == 302
    suggestion = Suggestion.objects.get()
    edit = staff.post(
        f"/engagement/suggestions/{suggestion.pk}/edit/",
        {
            "text": suggestion.text,
            "submitted_on": "2026-03-01",
            "due_date": "2026-04-15",
            "addressed_to": world["police_liaison"].membership.pk,
        },
    )
    assert edit.status_code == 302
    # Implemented before any answer is not in the table.
    move = staff.post(
        f"/engagement/suggestions/{suggestion.pk}/move/", {"to_status": "implemented"}
    )
    assert move.status_code == 400

    liaison = signed_in("police_liaison")
    assert suggestion.code in liaison.get("/engagement/suggestions/").content.decode()
    answer = liaison.post(
        f"/engagement/suggestions/{suggestion.pk}/answer/",
        {"answer": "Instruction sent to the district patrol"},
    )
    assert answer.status_code == 302
    # She answers; deciding the outcome is the NGO's.
    move = liaison.post(f"/engagement/suggestions/{suggestion.pk}/move/", {"to_status": "rejected"})
    assert move.status_code == 403

    move = staff.post(
        f"/engagement/suggestions/{suggestion.pk}/move/", {"to_status": "implemented"}
    )
    assert move.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == "implemented"
    assert suggestion.answer == "Instruction sent to the district patrol"
    assert [(h.from_status, h.to_status) for h in suggestion.history.all()] == [
        ("", "submitted"),
        ("submitted", "answered"),
        ("answered", "implemented"),
    ]


def test_it_lets_the_liaison_answer_only_what_is_addressed_to_her(
    world: World, signed_in: Any
) -> None:
    not_hers = make_suggestion(world, to_liaison=False)
    liaison = signed_in("police_liaison")
    assert liaison.get(f"/engagement/suggestions/{not_hers.pk}/").status_code == 404
    assert (
        liaison.post(f"/engagement/suggestions/{not_hers.pk}/answer/", {"answer": "x"}).status_code
        == 404
    )
    assert liaison.get("/engagement/boards/").status_code == 403


def test_it_reminds_by_email_with_a_link_only_and_stops_once_answered(
    world: World, inbox: Inbox
) -> None:
    with_email(world["police_liaison"].user, "liaison@police.example")
    with_email(world["coordinator"].user, "coord@ngo.example")
    suggestion = make_suggestion(world, due=today() + datetime.timedelta(days=2))
    later = make_suggestion(world, due=today() + datetime.timedelta(days=30))

    assert send_follow_up_reminders.enqueue().return_value == 2
    to_liaison = inbox.to("liaison@police.example")
    assert len(to_liaison) == 1 and len(inbox.to("coord@ngo.example")) == 1
    text = body_of(to_liaison[0])
    assert f"{SITE}/engagement/" in text
    assert "1 follow-up" in text
    for secret in (suggestion.text, suggestion.code, suggestion.board.district):
        assert secret not in text and secret not in str(to_liaison[0]["Subject"])

    # Once reminded, not again; answering ends the follow-up even if the due date moves.
    assert send_follow_up_reminders.enqueue().return_value == 0
    from vigil.engagement import actions

    actions.move_suggestion(
        acting_user=world["police_liaison"].user,
        suggestion=later,
        to_status="answered",
        answer="Done",
    )
    Suggestion.objects.filter(pk=later.pk).update(due_date=today())
    assert send_follow_up_reminders.enqueue().return_value == 0
    assert len(inbox.received) == 2
