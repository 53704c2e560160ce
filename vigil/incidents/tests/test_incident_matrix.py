"""Every incident page and action × every role, plus a coordinator of another organisation.

Objects of another organisation are missing (404), never forbidden; a hotline
operator sees only the incidents and people she recorded herself.
"""

from __future__ import annotations

from vigil.conftest import World
from vigil.incidents.tests.test_incident_views import make_event
from vigil.tests_matrix import COLUMNS, Row, run_matrix

STEPS = ("basics", "acts", "perpetrators", "victims", "evidence", "consent", "review")

# columns: anon coordinator caseworker lawyer hotline analyst referral police_liaison
#          network_analyst other_org
ROWS: list[Row] = [
    ("GET", "/incidents/", "302 200 200 200 200 403 403 403 403 200"),
    ("GET", "/search/", "302 200 200 200 200 403 403 403 403 200"),
    ("GET", "/search/?q=Olena", "302 200 200 200 200 403 403 403 403 200"),
    ("GET", "/incidents/{event}/evidence/", "302 200 200 200 404 403 403 403 403 404"),
    ("GET", "/incidents/{event}/evidence/new/", "302 200 200 200 404 403 403 403 403 404"),
    ("POST", "/incidents/{event}/evidence/new/", "302 200 200 200 404 403 403 403 403 404"),
    ("GET", "/incidents/{event}/evidence/999999/", "302 404 404 404 404 403 403 403 403 404"),
    ("GET", "/incidents/new/", "302 200 200 200 200 403 403 403 403 200"),
    ("POST", "/incidents/new/", "302 302 302 302 302 403 403 403 403 302"),
    ("GET", "/incidents/{event}/", "302 200 200 200 404 403 403 403 403 404"),
    ("GET", "/incidents/{hers}/", "302 200 200 200 200 403 403 403 403 404"),
    ("GET", "/incidents/999999/", "302 404 404 404 404 403 403 403 403 404"),
    ("GET", "/incidents/{event}/wizard/", "302 302 302 302 404 403 403 403 403 404"),
    ("GET", "/incidents/{hers}/wizard/", "302 302 302 302 302 403 403 403 403 404"),
    *[
        ("GET", f"/incidents/{{event}}/wizard/{step}/", "302 200 200 200 404 403 403 403 403 404")
        for step in STEPS
    ],
    *[
        ("GET", f"/incidents/{{hers}}/wizard/{step}/", "302 200 200 200 200 403 403 403 403 404")
        for step in STEPS
    ],
    ("GET", "/incidents/{event}/wizard/nonsense/", "302 404 404 404 404 403 403 403 403 404"),
    # An empty basics form is invalid (the title is required): shown again with errors.
    ("POST", "/incidents/{event}/wizard/basics/", "302 200 200 200 404 403 403 403 403 404"),
    # Nothing typed in the add form: "Save and continue" moves on.
    ("POST", "/incidents/{event}/wizard/acts/", "302 302 302 302 404 403 403 403 403 404"),
    ("POST", "/incidents/{hers}/wizard/acts/", "302 302 302 302 302 403 403 403 403 404"),
    ("GET", "/incidents/{event}/qualify/", "405 405 405 405 405 405 405 405 405 405"),
    # No status chosen: the incident page again, with the error beside the field.
    ("POST", "/incidents/{event}/qualify/", "302 200 403 200 403 403 403 403 403 404"),
    ("POST", "/incidents/{hers}/qualify/", "302 200 403 200 403 403 403 403 403 404"),
    ("GET", "/incidents/{event}/sources/", "405 405 405 405 405 405 405 405 405 405"),
    ("POST", "/incidents/{event}/sources/", "302 200 200 200 404 403 403 403 403 404"),
    ("POST", "/incidents/{hers}/sources/", "302 200 200 200 200 403 403 403 403 404"),
    ("GET", "/people/{person}/", "302 200 200 200 404 403 403 403 403 404"),
    ("GET", "/people/{her_person}/", "302 200 200 200 200 403 403 403 403 404"),
    ("GET", "/people/999999/", "302 404 404 404 404 403 403 403 403 404"),
    # Finishing (last: it records the event, which stays visible and editable).
    ("POST", "/incidents/{event}/wizard/review/", "302 302 302 302 404 403 403 403 403 404"),
    ("GET", "/incidents/{event}/", "302 200 200 200 404 403 403 403 403 404"),
]


def test_it_matches_the_incident_role_matrix(world: World) -> None:
    assert COLUMNS[-1] == "other_org"
    theirs = make_event(world, "caseworker")
    hers = make_event(world, "hotline")
    targets = {
        "event": theirs.event.pk,
        "hers": hers.event.pk,
        "person": theirs.victims[0].pk,
        "her_person": hers.victims[0].pk,
    }
    failures = run_matrix(world, ROWS, lambda: targets)
    assert failures == []
