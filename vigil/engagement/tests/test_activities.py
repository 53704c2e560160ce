"""Trainings and meetings through HTTP: create, edit, list, materials; the liaison's view."""

from __future__ import annotations

from typing import Any

from vigil.conftest import World
from vigil.engagement.models import Activity, Material
from vigil.engagement.tests.helpers import (
    MINUTES,
    make_activity,
    make_board,
    make_partner,
    raw,
    upload,
)
from vigil.vocab.models import Term


def _post(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "activity_type": "academy_course",
        "date": "2026-02-10",
        "hours": "36",
        "region": "UA-30",
        "place": "Національна академія внутрішніх справ",
        "police_senior": "2",
        "police_middle": "10",
        "police_junior": "18",
        "community_members": "0",
        "wud_speakers": "3",
        "other_participants": "1",
        "pre_test_avg": "41.5",
        "post_test_avg": "78.0",
    }
    data.update(overrides)
    return data


def test_it_records_a_training_with_counts_topics_and_tests(world: World, signed_in: Any) -> None:
    partner = make_partner(world)
    topics = list(Term.objects.filter(list="engagement_topic").order_by("order")[:2])
    assert len(topics) == 2  # the data migration's vocabulary
    client = signed_in("coordinator")
    assert client.get("/engagement/activities/new/").status_code == 200
    response = client.post(
        "/engagement/activities/new/",
        _post(partners=[partner.pk], topics=[t.pk for t in topics]),
    )
    assert response.status_code == 302, response.content[:1500]
    activity = Activity.objects.get()
    assert activity.police_count == 30
    assert activity.wud_speakers == 3
    assert str(activity.post_test_avg) == "78.0"
    assert set(activity.topics.all()) == set(topics)
    assert b"akademi" not in raw(activity.sealed).lower()
    page = client.get(f"/engagement/activities/{activity.pk}/").content.decode()
    assert "Національна академія" in page and topics[0].labels["en"] in page


def test_it_drops_test_averages_on_a_meeting(world: World, signed_in: Any) -> None:
    response = signed_in("caseworker").post(
        "/engagement/activities/new/", _post(activity_type="round_table")
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.pre_test_avg is None and activity.post_test_avg is None


def test_it_requires_the_board_of_a_board_meeting(world: World, signed_in: Any) -> None:
    response = signed_in("coordinator").post(
        "/engagement/activities/new/", _post(activity_type="board_meeting")
    )
    assert response.status_code == 400
    assert not Activity.objects.exists()


def test_it_edits_an_activity_and_seals_minutes(world: World, signed_in: Any) -> None:
    board = make_board(world)
    activity = make_activity(world, activity_type="board_meeting", board=board)
    client = signed_in("lawyer")
    edit = client.get(f"/engagement/activities/{activity.pk}/edit/")
    assert edit.status_code == 200 and "Академія" in edit.content.decode()
    response = client.post(
        f"/engagement/activities/{activity.pk}/edit/",
        _post(activity_type="board_meeting", board=board.pk, minutes=MINUTES, police_junior="4"),
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.police_junior == 4
    assert MINUTES.encode() not in raw(activity.sealed)
    assert MINUTES in client.get(f"/engagement/activities/{activity.pk}/").content.decode()


def test_it_lists_and_filters_activities(world: World, signed_in: Any) -> None:
    training = make_activity(world)
    meeting = make_activity(world, activity_type="joint_meeting")
    client = signed_in("coordinator")
    page = client.get("/engagement/activities/").content.decode()
    assert training.code in page and meeting.code in page
    filtered = client.get("/engagement/activities/?type=joint_meeting").content.decode()
    assert meeting.code in filtered and training.code not in filtered


def test_it_stores_materials_sealed(
    world: World, signed_in: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    activity = make_activity(world)
    client = signed_in("coordinator")
    response = client.post(
        f"/engagement/activities/{activity.pk}/materials/new/",
        {"file": upload("module-1.pdf", b"HIV module slides")},
    )
    assert response.status_code == 302
    material = Material.objects.get()
    assert b"HIV module" not in (tmp_path / material.stored_name).read_bytes()
    download = client.get(f"/engagement/materials/{material.pk}/")
    assert b"".join(download.streaming_content) == b"HIV module slides"


def test_it_shows_the_liaison_only_the_meetings_she_takes_part_in(
    world: World, signed_in: Any
) -> None:
    hers = make_activity(world, participants=[world["police_liaison"].membership])
    other = make_activity(world)
    client = signed_in("police_liaison")
    page = client.get("/engagement/activities/").content.decode()
    assert hers.code in page and other.code not in page
    detail = client.get(f"/engagement/activities/{hers.pk}/")
    assert detail.status_code == 200
    # She holds no organisation key: the sealed place stays closed to her.
    assert "Академія" not in detail.content.decode()
    assert client.get(f"/engagement/activities/{other.pk}/").status_code == 404
    assert client.get(f"/engagement/activities/{hers.pk}/edit/").status_code == 403
