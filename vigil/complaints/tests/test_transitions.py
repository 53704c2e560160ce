"""The legal-action status pipeline: the table, history rows, refused moves, appeals."""

from __future__ import annotations

import pytest

from vigil.complaints import actions, transitions
from vigil.complaints.models import (
    ActionOutcome,
    ActionStatus,
    ActionStatusChange,
    LegalAction,
)
from vigil.complaints.tests.helpers import body, days_ago, filed, make_action, make_case
from vigil.conftest import World

S = ActionStatus


def test_the_table_covers_every_status_and_closed_is_final() -> None:
    assert set(transitions.TRANSITIONS) == set(S.values)
    for targets in transitions.TRANSITIONS.values():
        assert targets <= set(S.values)
    assert transitions.TRANSITIONS[S.CLOSED] == frozenset()
    assert transitions.allowed(S.DRAFT, S.SUBMITTED)
    assert not transitions.allowed(S.DRAFT, S.ACKNOWLEDGED)
    assert not transitions.allowed(S.DRAFT, S.RESPONSE_RECEIVED)
    assert not transitions.allowed(S.RESPONSE_RECEIVED, S.SUBMITTED)
    assert not transitions.allowed(S.CLOSED, S.DRAFT)


def history(action: LegalAction) -> list[tuple[str, str]]:
    return list(
        ActionStatusChange.objects.filter(action=action).values_list("from_status", "to_status")
    )


def test_it_walks_the_whole_pipeline_with_a_history_row_per_move(world: World) -> None:
    lawyer = world["lawyer"].user
    made = make_case(world)
    action = filed(world, made, submitted_on=days_ago(20))
    actions.acknowledge(lawyer, action, made.key, on=days_ago(18), reference="A-1")
    actions.record_response(
        lawyer,
        action,
        made.key,
        response="denied",
        response_on=days_ago(5),
        outcomes=["rejected"],
    )
    child = actions.appeal(
        lawyer,
        action,
        made.key,
        actions.Draft("appeal", body("ua-kyiv-prosecutor"), made.acts, [], lawyer),
    )
    actions.close(lawyer, action)

    action.refresh_from_db()
    assert action.status == S.CLOSED and action.closed_at is not None
    assert history(action) == [
        ("", "draft"),
        ("draft", "submitted"),
        ("submitted", "acknowledged"),
        ("acknowledged", "response_received"),
        ("response_received", "appealed"),
        ("appealed", "closed"),
    ]
    assert action.response_days == 15
    assert child.parent_id == action.pk and child.status == S.DRAFT
    assert list(child.acts.all()) == made.acts
    assert list(action.appeals.all()) == [child]


def test_invalid_moves_are_refused_without_a_history_row(world: World) -> None:
    lawyer = world["lawyer"].user
    made = make_case(world)
    draft = make_action(world, made)
    for step in (
        lambda: actions.acknowledge(lawyer, draft, made.key, on=days_ago(1)),
        lambda: actions.transition(lawyer, draft, S.APPEALED),
        lambda: actions.transition(lawyer, draft, S.SUBMITTED),  # filing has its own step
        lambda: actions.record_response(
            lawyer, draft, made.key, response="favourable", response_on=days_ago(1), outcomes=[]
        ),
    ):
        with pytest.raises(actions.TransitionError):
            step()
    assert history(draft) == [("", "draft")]

    actions.close(lawyer, draft)
    with pytest.raises(actions.TransitionError):
        actions.close(lawyer, draft)
    with pytest.raises(actions.TransitionError):
        actions.update_draft(
            lawyer, draft, made.key, actions.Draft("complaint", body(), [], [], lawyer)
        )
    assert history(draft) == [("", "draft"), ("draft", "closed")]


def test_refused_moves_through_http_leave_the_status_alone(world: World, signed_in) -> None:
    made = make_case(world)
    draft = make_action(world, made)
    lawyer = signed_in("lawyer")
    for url, data in (
        (f"/complaints/actions/{draft.pk}/acknowledge/", {"acknowledged_on": "2026-01-05"}),
        (f"/complaints/actions/{draft.pk}/response/", {"response": "favourable"}),
        (f"/complaints/actions/{draft.pk}/appeal/", {"action_type": "appeal"}),
    ):
        response = lawyer.post(url, data, follow=True)
        assert response.status_code == 200
        assert response.redirect_chain[-1][0] == f"/complaints/actions/{draft.pk}/"
    draft.refresh_from_db()
    assert draft.status == S.DRAFT
    assert history(draft) == [("", "draft")]


def test_the_response_can_be_completed_later_without_a_new_move(world: World, signed_in) -> None:
    made = make_case(world)
    action = filed(world, made, submitted_on=days_ago(30))
    lawyer = signed_in("lawyer")
    url = f"/complaints/actions/{action.pk}/response/"
    first = lawyer.post(
        url, {"response": "favourable", "response_on": days_ago(10).isoformat(), "summary": "x"}
    )
    assert first.status_code == 302
    later = lawyer.post(
        url,
        {
            "response": "favourable",
            "response_on": days_ago(10).isoformat(),
            "outcomes": ["disciplined", "transferred"],
        },
    )
    assert later.status_code == 302
    action.refresh_from_db()
    assert action.status == S.RESPONSE_RECEIVED
    assert set(ActionOutcome.objects.filter(action=action).values_list("outcome", flat=True)) == {
        "disciplined",
        "transferred",
    }
    assert [row[1] for row in history(action)].count("response_received") == 1


def test_the_response_form_checks_its_dates(world: World, signed_in) -> None:
    made = make_case(world)
    action = filed(world, made, submitted_on=days_ago(10))
    lawyer = signed_in("lawyer")
    url = f"/complaints/actions/{action.pk}/response/"
    missing = lawyer.post(url, {"response": "favourable"})
    assert missing.status_code == 200 and "Give the date of the response." in missing.text
    older = lawyer.post(url, {"response": "denied", "response_on": days_ago(20).isoformat()})
    assert "cannot be older than the submission" in older.text
    none = lawyer.post(url, {"response": "no_response", "outcomes": ["no_response"]})
    assert none.status_code == 302
    action.refresh_from_db()
    assert action.response == "no_response" and action.response_on is None
    assert action.response_days is None


def test_an_appeal_through_http_opens_a_draft_linked_to_its_parent(world: World, signed_in) -> None:
    made = make_case(world)
    action = filed(world, made, submitted_on=days_ago(40))
    lawyer = signed_in("lawyer")
    prosecutor = body("ua-kyiv-prosecutor")
    response = lawyer.post(
        f"/complaints/actions/{action.pk}/appeal/",
        {"action_type": "appeal", "body": prosecutor.pk, "lawyer": world["lawyer"].user.pk},
    )
    child = LegalAction.objects.get(parent=action)
    assert response.status_code == 302
    assert response["Location"] == f"/complaints/actions/{child.pk}/"
    action.refresh_from_db()
    assert action.status == S.APPEALED
    assert child.body == prosecutor and child.status == S.DRAFT
    page = lawyer.get(f"/complaints/actions/{child.pk}/").content.decode()
    assert action.code in page  # the chain of appeals is shown
