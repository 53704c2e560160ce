"""The ICS feed: parsed back with icalendar, no sensitive text, revocable (then 404)."""

from __future__ import annotations

import datetime
import re
from typing import Any

from icalendar import Calendar

from vigil.conftest import World
from vigil.engagement.models import CalendarFeed
from vigil.engagement.tests.helpers import (
    MINUTES,
    key_of,
    make_activity,
    make_board,
    make_recommendation,
    make_suggestion,
    make_visit,
    today,
)


def _create(client: Any) -> str:
    page = client.post("/engagement/calendar/").content.decode()
    match = re.search(r'value="https?://[^/"]+(/engagement/calendar/[^"]+\.ics)"', page)
    assert match, page[:2000]
    return match.group(1)


def test_it_serves_upcoming_meetings_and_follow_ups_without_sensitive_text(
    world: World, signed_in: Any, client: Any
) -> None:
    soon = today() + datetime.timedelta(days=5)
    board = make_board(world)
    meeting = make_activity(
        world,
        date=soon,
        activity_type="board_meeting",
        board=board,
        sealed={"place": "Кафе Світло", "notes": "", "minutes": MINUTES},
    )
    make_activity(world, date=today() - datetime.timedelta(days=3))  # past: not in the feed
    suggestion = make_suggestion(world, board, due=soon)
    visit = make_visit(world)
    make_recommendation(world, visit, key_of(world, visit), due=soon)
    path = _create(signed_in("coordinator"))
    assert CalendarFeed.objects.get().token_hash not in path  # only the hash is stored

    response = client.get(path)  # a calendar application: no session
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {
        f"activity-{meeting.pk}@vigil",
        f"suggestion-{suggestion.pk}@vigil",
        f"recommendation-{visit.recommendations.get().pk}@vigil",
    }
    assert events[f"activity-{meeting.pk}@vigil"].decoded("dtstart") == soon
    assert str(events[f"activity-{meeting.pk}@vigil"]["summary"]) == "Vigil: meeting"
    text = response.content.decode()
    for secret in ("Світло", MINUTES[:20], board.district, suggestion.text, "OST", "ИВС"):
        assert secret not in text
    assert "LOCATION" not in text and "DESCRIPTION" not in text


def test_it_gives_the_liaison_only_her_meetings_and_suggestions(
    world: World, signed_in: Any, client: Any
) -> None:
    soon = today() + datetime.timedelta(days=5)
    hers = make_activity(world, date=soon, participants=[world["police_liaison"].membership])
    make_activity(world, date=soon)
    visit = make_visit(world)
    make_recommendation(world, visit, key_of(world, visit), due=soon)
    path = _create(signed_in("police_liaison"))
    calendar = Calendar.from_ical(client.get(path).content)
    assert [str(e["uid"]) for e in calendar.walk("VEVENT")] == [f"activity-{hers.pk}@vigil"]


def test_it_answers_404_once_revoked_or_replaced(world: World, signed_in: Any, client: Any) -> None:
    staff = signed_in("lawyer")
    first = _create(staff)
    second = _create(staff)  # replacing revokes the first address
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    assert staff.post("/engagement/calendar/revoke/").status_code == 302
    assert client.get(second).status_code == 404
    assert client.get("/engagement/calendar/not-a-token.ics").status_code == 404


def test_it_stops_serving_a_member_who_left(world: World, signed_in: Any, client: Any) -> None:
    path = _create(signed_in("caseworker"))
    membership = world["caseworker"].membership
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    assert client.get(path).status_code == 404
