"""The brief's story, end to end.

An OST client is stopped and searched without grounds at a metro station,
insulted about being on methadone and threatened with losing her child. With
her consent the NGO's lawyer complains to the internal security of the police
covering the metro. Within weeks the answer says the officer was found guilty,
lost his bonus and was transferred. The case closes as resolved, and the
outcome appears in the accountability figures.
"""

from __future__ import annotations

import datetime
import io
import re

from django.utils import timezone
from docx import Document

from vigil.cases import actions as case_actions
from vigil.cases import consent
from vigil.cases.models import CaseStatus, ConsentPurpose
from vigil.complaints import deadlines
from vigil.complaints.figures import Timeliness, accountability_figures
from vigil.complaints.models import ActionStatus, GeneratedLetter, LegalAction, LegalGround
from vigil.complaints.tests.helpers import KYIV_INTERNAL, body
from vigil.conftest import World
from vigil.incidents import actions as incident_actions
from vigil.vault import crypto
from vigil.vocab.models import Term


def term(code: str) -> Term:
    return Term.objects.get(code=code)


def test_the_metro_complaint_gets_the_officer_disciplined_and_transferred(
    world: World, signed_in, settings
) -> None:
    settings.STATS_MIN_CELL = 1  # one case must show in the figures
    today = timezone.localdate()
    caseworker = world["caseworker"].user
    index_key = crypto.blind_index_key(world.org_private)

    # 1. The outreach worker documents the incident.
    new = incident_actions.start_event(
        caseworker,
        world.org,
        start_date=today - datetime.timedelta(days=50),
        country="UA",
        region="UA-30",
        place_type=term("PLACE.TRANSPORT"),
    )
    incident_actions.save_event(
        caseworker,
        new.event,
        new.key,
        {
            "title": "Metro stop",
            "summary": "Остановили на станции метро без оснований, обыскали сумку и одежду.",
            "narrative": "Сотрудник громко называл её «метадонщицей» при людях "
            "и пригрозил, что добьётся, чтобы у неё забрали ребёнка.",
            "place_detail": "станция метро",
        },
    )
    client_person = incident_actions.create_person(
        caseworker,
        world.org,
        index_key,
        pseudonym="Marta",
        sealed={"legal_name": "Марта Іваненко", "phone": "+380 50 000 00 00"},
        characteristics=[term("CHAR.OST_CLIENT"), term("CHAR.MOTHER")],
        primary_group=term("CHAR.OST_CLIENT"),
    )
    acts = [
        incident_actions.add_act(caseworker, new.event, victim=client_person, act_type=term(code))
        for code in ("ACT.DET.SEARCH", "ACT.PRIV.STIGMA_INSULTS", "ACT.PSY.THREAT_CHILDREN")
    ]
    incident_actions.add_perpetrator(
        caseworker,
        new.event,
        new.key,
        index_key,
        perpetrator_type=term("PERP.POLICE.TRANSPORT"),
        sealed={"unit": "поліція метрополітену", "badge": "1187"},
        acts=acts,
    )
    incident_actions.finish_event(caseworker, new.event)
    consent.record_consent(caseworker, client_person, ConsentPurpose.STATISTICS, True)

    # 2. A case is opened for her, with the NGO's lawyer on it.
    lawyer_persona = world["lawyer"]
    opened = case_actions.open_case(
        caseworker, client_person, [new.event], [caseworker, lawyer_persona.user]
    )
    case = opened.case
    case_actions.transition(caseworker, case, CaseStatus.TRIAGED)
    case_actions.transition(caseworker, case, CaseStatus.ACTIVE)

    # 3. The lawyer drafts the complaint to the internal security covering the metro.
    lawyer = signed_in("lawyer")
    internal = body(KYIV_INTERNAL)
    grounds = LegalGround.objects.filter(code__in=["ECHR.3", "ECHR.8", "ECHR.14", "UA.CC.365"])
    response = lawyer.post(
        f"/cases/{case.pk}/legal-actions/new/",
        {
            "action_type": "complaint",
            "body": internal.pk,
            "acts": [a.pk for a in acts],
            "rights": [g.pk for g in grounds if g.kind == "right"],
            "provisions": [g.pk for g in grounds if g.kind == "provision"],
            "lawyer": lawyer_persona.user.pk,
        },
    )
    assert response.status_code == 302
    action = LegalAction.objects.get(case=case)
    url = f"/complaints/actions/{action.pk}/"

    # Without her consent to share with this body, it cannot be filed.
    submitted_on = today - datetime.timedelta(days=40)
    refused = lawyer.post(
        url + "file/", {"submitted_on": submitted_on.isoformat(), "channel": "in_person"}
    )
    assert refused.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.DRAFT

    # She agrees; the lawyer records it and prepares the letter in Russian.
    assert lawyer.post(url + "consent/", {"decision": "granted"}).status_code == 302
    assert lawyer.post(url + "letters/", {"language": "ru", "formats": ["docx"]}).status_code == 302
    letter = GeneratedLetter.objects.get(action=action)
    content = b"".join(lawyer.get(f"/complaints/letters/{letter.pk}/").streaming_content)
    text = "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
    assert "Марта Іваненко" in text  # her name, with her consent for this body
    for fact in (
        "Киев",
        "Досмотр или обыск без оснований",
        "Оскорбления из-за употребления, ОЗТ, ВИЧ или секс-работы",
        "Угрозы отобрать детей",
        "Транспортная полиция, полиция метро",
        "ЕКПЧ ст. 14",
    ):
        assert fact in text, fact

    # 4. Filed in person; the 30-day period gives the due date.
    filed = lawyer.post(
        url + "file/",
        {"submitted_on": submitted_on.isoformat(), "channel": "in_person", "reference": "В-118"},
    )
    assert filed.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.SUBMITTED
    assert action.due_date == deadlines.due_date(submitted_on, 30, "calendar", "UA")

    # 5. Within weeks: the officer was found guilty, lost his bonus and was transferred.
    answered_on = submitted_on + datetime.timedelta(days=19)
    assert answered_on <= action.due_date
    response = lawyer.post(
        url + "response/",
        {
            "response": "favourable",
            "response_on": answered_on.isoformat(),
            "outcomes": ["disciplined", "transferred"],
            "summary": "Служебная проверка подтвердила нарушение; сотрудник лишён премии "
            "и переведён в другое подразделение.",
        },
    )
    assert response.status_code == 302
    assert lawyer.post(url + "close/").status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.CLOSED
    assert action.response == "favourable" and action.response_days == 19
    page = lawyer.get(url).content.decode()
    assert "Officer disciplined" in page and "Officer transferred" in page
    assert "лишён премии" in page

    # 6. The case closes as resolved.
    case_actions.request_closure(
        lawyer_persona.user,
        case,
        {
            "client_informed": True,
            "tasks_done": True,
            "evidence_stored": True,
            "consents_current": True,
            "referrals_followed": True,
        },
        term("OUTC.RESOLVED_FULLY"),
    )
    coordinator = world["coordinator"]
    case_actions.approve_closure(coordinator.user, coordinator.membership, case)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.outcome.code == "OUTC.RESOLVED_FULLY"

    # 7. The outcome appears in the accountability figures.
    figures = accountability_figures([world.org.pk], today=today)
    assert figures.filed == 1 and figures.answered == 1 and figures.answered_on_time == 1
    assert figures.median_days == 19
    assert figures.timeliness_by_body_type.cell("police_internal", Timeliness.ON_TIME) == 1
    assert figures.outcomes_by_body_type.cell("police_internal", "disciplined") == 1
    assert figures.outcomes_by_body_type.cell("police_internal", "transferred") == 1
    assert figures.outcomes_by_region.cell("UA-30", "transferred") == 1

    analyst_page = signed_in("analyst").get("/complaints/figures/").content.decode()
    row = re.search(r"<tr><th scope=\"row\">Kyiv</th>(.*?)</tr>", analyst_page, re.S)
    assert row is not None and ">1<" in row.group(1)
    assert "Officer transferred" in analyst_page
    for private in ("Marta", "Марта", "1187", case.code, action.code):
        assert private not in analyst_page
