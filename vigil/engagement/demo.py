"""Demo engagement records for the demo organisations (`make run`). Never in production.

Dostyk: a Temirtau-style partnership with a named senior inspector who receives
the NGO's cases. Svitlo: a police academy course, a district community board with
suggestions, and a detention monitoring visit with recommendations. Written
through the action functions, sealed to each organisation's public key.
"""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from vigil import policy
from vigil.accounts.models import Membership, Organisation, User
from vigil.complaints import actions as complaints_actions
from vigil.complaints.models import OversightBody
from vigil.engagement import actions
from vigil.engagement.models import THEME_LIST, TOPIC_LIST, Partner
from vigil.vocab.models import Term


def _member(organisation: Organisation, role: str) -> Membership | None:
    return (
        Membership.objects.filter(organisation=organisation, role=role)
        .select_related("user")
        .first()
    )


def _body(user: User, organisation: Organisation, name: str, body_type: str) -> OversightBody:
    return complaints_actions.create_local_body(
        user, organisation, names={"en": name}, country=organisation.country, body_type=body_type
    )


def _dostyk(organisation: Organisation, user: User, liaison: Membership | None) -> None:
    today = timezone.localdate()
    body = _body(
        user,
        organisation,
        "Temirtau city police department: inspector for violence against women",
        "police_internal",
    )
    partner = actions.create_partner(
        acting_user=user,
        organisation=organisation,
        body=body,
        kind="police_unit",
        since=datetime.date(today.year - 1, 9, 1),
        participants=[liaison] if liaison else [],
    )
    contact = actions.add_contact(
        acting_user=user,
        partner=partner,
        rank_in_clear=True,
        rank="Senior inspector",
        unit="Women's safety",
        sealed={"name": "Айгерим Демо-Инспектор", "phone": "+7 700 000 0000"},
    )
    actions.log_contact(
        acting_user=user,
        partner=partner,
        kind="meeting",
        date=today - datetime.timedelta(days=20),
        contact=contact,
        response="acted",
        response_on=today - datetime.timedelta(days=5),
        sealed={"notes": "Agreed to receive cases from our street lawyers (demo)."},
    )
    actions.add_agreement(
        acting_user=user,
        partner=partner,
        kind="letter",
        signed_on=datetime.date(today.year - 1, 9, 1),
        valid_until=None,
        title="Letter of cooperation (demo)",
        upload=SimpleUploadedFile("cooperation-demo.txt", b"Letter of cooperation (demo)\n"),
    )
    actions.create_activity(
        acting_user=user,
        organisation=organisation,
        data=actions.ActivityData(
            activity_type="joint_meeting",
            date=today + datetime.timedelta(days=14),
            hours=2,
            region="KZ-35",
            board=None,
            partners=[partner],
            topics=list(Term.objects.of(TOPIC_LIST).filter(code="ENG.TOPIC.GBV")),
            participants=[liaison] if liaison else [],
            counts={"police_middle": 6, "community_members": 9, "wud_speakers": 2},
            pre_test_avg=None,
            post_test_avg=None,
            sealed={"place": "Community centre (demo)", "notes": "", "minutes": ""},
        ),
    )


def _svitlo(organisation: Organisation, user: User, liaison: Membership | None) -> None:
    today = timezone.localdate()
    academy = actions.create_partner(
        acting_user=user,
        organisation=organisation,
        body=_body(user, organisation, "National Academy of Internal Affairs", "other"),
        kind="police_unit",
        since=datetime.date(today.year - 2, 1, 15),
        participants=[],
    )
    topics = Term.objects.of(TOPIC_LIST).filter(
        code__in=["ENG.TOPIC.HIV", "ENG.TOPIC.OST", "ENG.TOPIC.STIGMA", "ENG.TOPIC.RIGHTS"]
    )
    actions.create_activity(
        acting_user=user,
        organisation=organisation,
        data=actions.ActivityData(
            activity_type="academy_course",
            date=today - datetime.timedelta(days=40),
            hours=36,
            region="UA-30",
            board=None,
            partners=[academy],
            topics=list(topics),
            participants=[],
            counts={
                "police_senior": 2,
                "police_middle": 11,
                "police_junior": 19,
                "wud_speakers": 2,
            },
            pre_test_avg=42,
            post_test_avg=81,
            sealed={"place": "Academy, room 214 (demo)", "notes": "", "minutes": ""},
        ),
    )
    board = actions.create_board(
        acting_user=user, organisation=organisation, region="UA-30", district="Podilskyi"
    )
    for category, name in (
        ("wud", "Олена Демо"),
        ("police", "Ігор Демо"),
        ("community", "Марія Демо"),
    ):
        actions.add_board_member(
            acting_user=user, board=board, category=category, sealed={"name": name}
        )
    meeting = actions.create_activity(
        acting_user=user,
        organisation=organisation,
        data=actions.ActivityData(
            activity_type="board_meeting",
            date=today - datetime.timedelta(days=10),
            hours=2,
            region="UA-30",
            board=board,
            partners=[],
            topics=[],
            participants=[liaison] if liaison else [],
            counts={"police_junior": 2, "community_members": 8, "wud_speakers": 3},
            pre_test_avg=None,
            post_test_avg=None,
            sealed={"place": "", "notes": "", "minutes": "Minutes of the board meeting (demo)."},
        ),
    )
    actions.submit_suggestion(
        acting_user=user,
        board=board,
        meeting=meeting,
        text="Patrols should not wait outside the OST site in the morning.",
        submitted_on=meeting.date,
        due_date=today + datetime.timedelta(days=10),
        addressed_to=liaison,
    )
    answered = actions.submit_suggestion(
        acting_user=user,
        board=board,
        meeting=meeting,
        text="Officers should carry naloxone on night patrols.",
        submitted_on=meeting.date,
        due_date=today - datetime.timedelta(days=2),
        addressed_to=liaison,
    )
    actions.move_suggestion(
        acting_user=user,
        suggestion=answered,
        to_status="answered",
        answer="Naloxone kits ordered for two patrol cars.",
    )
    _visit(organisation, user, academy)


def _visit(organisation: Organisation, user: User, partner: Partner) -> None:
    today = timezone.localdate()
    team = [m.user for m in policy.engagement_staff(organisation.pk)[:2]]
    new = actions.create_visit(
        acting_user=user,
        organisation=organisation,
        data=actions.VisitData(
            facility_type="police_cells",
            region="UA-30",
            date=today - datetime.timedelta(days=30),
            follow_up_of=None,
            partner=None,
            team=team,
            sealed={"facility": "District police holding cells (demo)", "notes": ""},
        ),
    )
    visit, key = new.visit, new.key
    themes = {t.code: t for t in Term.objects.of(THEME_LIST)}
    actions.save_findings(
        acting_user=user,
        visit=visit,
        key=key,
        findings={
            themes["DET.OST"]: ("serious", "No OST for detainees on methadone (demo)."),
            themes["DET.LAWYER"]: ("some", ""),
            themes["DET.WOMEN"]: ("some", ""),
        },
    )
    authority = _body(user, organisation, "Kyiv regional police headquarters", "police_internal")
    first = actions.add_recommendation(
        acting_user=user,
        visit=visit,
        key=key,
        authority=authority,
        theme=themes["DET.OST"],
        due_date=today - datetime.timedelta(days=3),
        text="Guarantee OST continuity for everyone held in the cells.",
    )
    actions.move_recommendation(acting_user=user, item=first, to_status="in_progress")
    actions.add_recommendation(
        acting_user=user,
        visit=visit,
        key=key,
        authority=authority,
        theme=themes["DET.WOMEN"],
        due_date=today + datetime.timedelta(days=30),
        text="Hold women separately and with female staff present.",
    )


def create_demo_engagement() -> int:
    """Create the demo records once per demo organisation; return how many were filled."""
    filled = 0
    builders = {"dostyk": _dostyk, "svitlo": _svitlo}
    for organisation in Organisation.objects.filter(slug__in=builders):
        if Partner.objects.filter(organisation=organisation).exists():
            continue
        coordinator = _member(organisation, "coordinator")
        if coordinator is None:
            continue
        with transaction.atomic():
            builders[organisation.slug](
                organisation, coordinator.user, _member(organisation, "police_liaison")
            )
        filled += 1
    return filled


# The demo year (full `make run` only): an in-service training most months and a
# community board meeting every other month with two suggestions, so the engagement
# figures of the dashboard and the report are not all hidden.
TRAINING_MONTHS_AGO = (1, 2, 3, 5, 6, 7, 9, 10, 11)
BOARD_MONTHS_AGO = (2, 4, 6, 8, 10)
SUGGESTIONS = (
    "Officers should not check documents at the entrance of the harm-reduction site.",
    "Women should be searched by female officers only.",
    "Detained OST patients should get their dose within the day.",
    "The district officer should hold office hours at the community centre.",
)


def create_demo_engagement_year(organisation: Organisation) -> int:
    """Trainings and board meetings over the last year; returns how many activities."""
    coordinator = _member(organisation, "coordinator")
    if coordinator is None:
        return 0
    user, liaison = coordinator.user, _member(organisation, "police_liaison")
    region = {"UA": "UA-30", "KZ": "KZ-75"}.get(organisation.country, "")
    today = timezone.localdate()
    made = 0
    with transaction.atomic():
        for i, months in enumerate(TRAINING_MONTHS_AGO):
            actions.create_activity(
                acting_user=user,
                organisation=organisation,
                data=actions.ActivityData(
                    activity_type="in_service",
                    date=today - datetime.timedelta(days=30 * months + i),
                    hours=4 + i % 3 * 2,
                    region=region,
                    board=None,
                    partners=[],
                    topics=[],
                    participants=[liaison] if liaison else [],
                    counts={"police_middle": 3 + i % 4, "police_junior": 8 + i % 5 * 2},
                    pre_test_avg=40 + i,
                    post_test_avg=75 + i,
                    sealed={"place": "", "notes": "", "minutes": ""},
                ),
            )
            made += 1
        board = actions.create_board(
            acting_user=user, organisation=organisation, region=region, district="Centre"
        )
        for j, months in enumerate(BOARD_MONTHS_AGO):
            day = today - datetime.timedelta(days=30 * months)
            meeting = actions.create_activity(
                acting_user=user,
                organisation=organisation,
                data=actions.ActivityData(
                    activity_type="board_meeting",
                    date=day,
                    hours=2,
                    region=region,
                    board=board,
                    partners=[],
                    topics=[],
                    participants=[liaison] if liaison else [],
                    counts={"police_junior": 2, "community_members": 6 + j, "wud_speakers": 2},
                    pre_test_avg=None,
                    post_test_avg=None,
                    sealed={"place": "", "notes": "", "minutes": ""},
                ),
            )
            made += 1
            for k in range(2):
                suggestion = actions.submit_suggestion(
                    acting_user=user,
                    board=board,
                    meeting=meeting,
                    text=SUGGESTIONS[(j + k) % len(SUGGESTIONS)],
                    submitted_on=day,
                    due_date=day + datetime.timedelta(days=30),
                    addressed_to=liaison,
                )
                if k == 0:
                    actions.move_suggestion(
                        acting_user=user,
                        suggestion=suggestion,
                        to_status="answered",
                        answer="The district police agreed to discuss it at the next meeting.",
                    )
                    actions.move_suggestion(
                        acting_user=user, suggestion=suggestion, to_status="implemented"
                    )
    return made
