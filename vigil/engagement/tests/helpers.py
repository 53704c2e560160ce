"""Builders for engagement tests (through the action functions)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from vigil.complaints import actions as complaints_actions
from vigil.complaints.models import OversightBody
from vigil.conftest import World
from vigil.engagement import actions
from vigil.engagement.models import (
    Activity,
    CommunityBoard,
    Partner,
    Recommendation,
    Suggestion,
    Visit,
)

CONTACT_NAME = "Бекзат Нурланович Ахметов"
MINUTES = "Протокол: участковый Кравчук обещал прекратить обыски у пункта ОЗТ"
MEMBER_NAME = "Оксана Миколаївна Гребенюк"


def today() -> datetime.date:
    return datetime.date.today()


def local_body(world: World, name: str = "Kyiv patrol police, Podil unit") -> OversightBody:
    return complaints_actions.create_local_body(
        world["coordinator"].user,
        world.org,
        names={"en": name},
        body_type="police_internal",
        country="UA",
    )


def make_partner(world: World, *, liaison: bool = False, name: str = "") -> Partner:
    body = local_body(world, name or "Kyiv patrol police, Podil unit")
    participants = [world["police_liaison"].membership] if liaison else []
    return actions.create_partner(
        acting_user=world["coordinator"].user,
        organisation=world.org,
        body=body,
        kind="police_unit",
        since=datetime.date(2025, 3, 1),
        participants=participants,
    )


def activity_data(**overrides: Any) -> actions.ActivityData:
    values: dict[str, Any] = {
        "activity_type": "in_service",
        "date": today(),
        "hours": 4,
        "region": "UA-30",
        "board": None,
        "partners": [],
        "topics": [],
        "participants": [],
        "counts": {"police_junior": 12},
        "pre_test_avg": None,
        "post_test_avg": None,
        "sealed": {"place": "Академія", "notes": "", "minutes": ""},
    }
    values.update(overrides)
    return actions.ActivityData(**values)


def make_activity(world: World, **overrides: Any) -> Activity:
    return actions.create_activity(
        acting_user=world["coordinator"].user,
        organisation=world.org,
        data=activity_data(**overrides),
    )


def make_board(world: World, district: str = "Podilskyi") -> CommunityBoard:
    return actions.create_board(
        acting_user=world["coordinator"].user,
        organisation=world.org,
        region="UA-30",
        district=district,
    )


def make_suggestion(
    world: World,
    board: CommunityBoard | None = None,
    *,
    due: datetime.date | None = None,
    to_liaison: bool = True,
) -> Suggestion:
    return actions.submit_suggestion(
        acting_user=world["coordinator"].user,
        board=board or CommunityBoard.objects.first() or make_board(world),
        text="Stop searching women outside the OST site",
        submitted_on=today(),
        due_date=due,
        addressed_to=world["police_liaison"].membership if to_liaison else None,
    )


def make_visit(world: World) -> Visit:
    return actions.create_visit(
        acting_user=world["coordinator"].user,
        organisation=world.org,
        data=actions.VisitData(
            facility_type="police_cells",
            region="UA-30",
            date=today(),
            follow_up_of=None,
            partner=None,
            team=[world["lawyer"].user],
            sealed={"facility": "ИВС Подол", "notes": ""},
        ),
    ).visit


def make_recommendation(
    world: World, visit: Visit, key: bytes, *, due: datetime.date | None = None
) -> Recommendation:
    return actions.add_recommendation(
        acting_user=world["coordinator"].user,
        visit=visit,
        key=key,
        authority=local_body(world, f"Authority {Recommendation.objects.count()}"),
        theme=None,
        due_date=due,
        text="Ensure OST continuity in the cells",
    )


def upload(name: str = "mou.pdf", content: bytes = b"%PDF-1.4 memorandum") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def key_of(world: World, record: Any) -> bytes:
    """A record's data key, opened with the organisation key as a signed-in member would."""
    from vigil.vault import crypto

    return crypto.unseal(world.org_private, bytes(record.sealed_key))


def make_legal_action(world: World, body: OversightBody) -> Any:
    """A draft legal action on a fresh case, addressed to ``body``."""
    from vigil.cases import actions as case_actions
    from vigil.complaints.actions import Draft, create_action
    from vigil.incidents import actions as incident_actions

    user = world["lawyer"].user
    person = incident_actions.create_person(
        user, world.org, None, pseudonym="Lilia", sealed={"legal_name": "Лилия Осипова"}
    )
    opened = case_actions.open_case(user, person, [], [user])
    draft = Draft(action_type="complaint", body=body, acts=[], grounds=[], lawyer=user)
    return create_action(user, opened.case, opened.key, draft)


def raw(blob: bytes | memoryview | None) -> bytes:
    """The stored bytes of a sealed column."""
    return bytes(blob or b"")
