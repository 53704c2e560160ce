"""A seized database and media folder reveal no sealed contact name, board member,
minutes, agreement file or allegation."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from vigil.accounts import actions as account_actions
from vigil.complaints import actions as complaints_actions
from vigil.conftest import make_persona
from vigil.engagement import actions
from vigil.engagement.tests.helpers import CONTACT_NAME, MEMBER_NAME, MINUTES, activity_data
from vigil.vault.seizure import encodings, seized

AGREEMENT_TEXT = "Меморандум: старший инспектор Ахметов получает дела от фонда"
ALLEGATION = "Її били кийком у камері №3, черговий Сидоренко"
PHONE = "+7 701 555 1234"


def test_it_keeps_engagement_secrets_out_of_a_seized_server(
    transactional_db: None, tmp_path: Any, settings: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    created = account_actions.create_organisation(
        None, name="Dostyk", slug="dostyk", country="KZ", languages=["ru"]
    )
    org = created.organisation
    user = make_persona(org, "coordinator", created.private_key, "coord").user
    body = complaints_actions.create_local_body(
        user, org, names={"en": "Temirtau police"}, body_type="police_internal"
    )
    partner = actions.create_partner(
        acting_user=user, organisation=org, body=body, kind="police_unit", since=None
    )
    actions.add_contact(
        acting_user=user,
        partner=partner,
        rank_in_clear=False,
        rank="Senior inspector",
        unit="Women's safety",
        sealed={"name": CONTACT_NAME, "phone": PHONE},
    )
    actions.add_agreement(
        acting_user=user,
        partner=partner,
        kind="mou",
        signed_on=datetime.date(2026, 1, 1),
        valid_until=None,
        title="MoU",
        upload=SimpleUploadedFile("mou.txt", AGREEMENT_TEXT.encode() * 50),
    )
    board = actions.create_board(
        acting_user=user, organisation=org, region="KZ-35", district="Temirtau"
    )
    actions.add_board_member(
        acting_user=user, board=board, category="wud", sealed={"name": MEMBER_NAME}
    )
    actions.create_activity(
        acting_user=user,
        organisation=org,
        data=activity_data(
            activity_type="board_meeting", board=board, sealed={"minutes": MINUTES, "place": ""}
        ),
    )
    new = actions.create_visit(
        acting_user=user,
        organisation=org,
        data=actions.VisitData(
            "police_cells", "KZ-35", datetime.date(2026, 1, 5), None, None, [], {}
        ),
    )
    actions.add_allegation(
        acting_user=user, visit=new.visit, key=new.key, consent=False, summary=ALLEGATION
    )

    dump = seized()
    assert b"Temirtau police" in dump  # the dump is real: clear fields are there
    for planted in (
        CONTACT_NAME,
        MEMBER_NAME,
        MINUTES,
        AGREEMENT_TEXT,
        ALLEGATION,
        PHONE,
        "Senior inspector",
    ):
        for form in encodings(planted):
            assert form not in dump, planted
