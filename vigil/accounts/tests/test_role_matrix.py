from __future__ import annotations

from vigil.accounts import actions
from vigil.conftest import World
from vigil.tests_matrix import COLUMNS, Row, run_matrix

# columns: anon coordinator caseworker lawyer hotline analyst referral police_liaison
#          network_analyst other_org
ROWS: list[Row] = [
    ("GET", "/", "302 200 200 200 200 200 200 200 200 200"),
    ("GET", "/accounts/password/", "302 200 200 200 200 200 200 200 200 200"),
    ("GET", "/accounts/profile/", "302 200 200 200 200 200 200 200 200 200"),
    (
        "POST",
        "/accounts/profile/",
        "302 302 302 302 302 302 302 302 302 302",
        {"first_name": "Olena", "last_name": "Koval", "position": "Lawyer"},
    ),
    ("GET", "/accounts/org/members/", "302 200 403 403 403 403 403 403 403 200"),
    ("GET", "/accounts/org/members/new/", "302 200 403 403 403 403 403 403 403 200"),
    # A valid form: the account is made and its temporary password shown once.
    (
        "POST",
        "/accounts/org/members/new/",
        "302 200 403 403 403 403 403 403 403 200",
        {"username": "newcomer", "role": "caseworker"},
    ),
    ("GET", "/accounts/org/members/{member}/", "302 200 403 403 403 403 403 403 403 404"),
    (
        "POST",
        "/accounts/org/members/{member}/reset-2fa/",
        "302 302 403 403 403 403 403 403 403 404",
    ),
    ("POST", "/accounts/org/members/{member}/revoke/", "302 302 403 403 403 403 403 403 403 404"),
    ("POST", "/accounts/org/members/{member}/nonsense/", "302 404 403 403 403 403 403 403 403 404"),
    ("GET", "/accounts/org/audit/", "302 200 403 403 403 403 403 403 403 200"),
    ("GET", "/accounts/org/recover/", "302 200 403 403 403 403 403 403 403 200"),
    # Any member may confirm herself; a wrong password re-shows the form (200).
    ("GET", "/accounts/step-up/", "302 200 200 200 200 200 200 200 200 200"),
    ("POST", "/accounts/step-up/", "302 200 200 200 200 200 200 200 200 200"),
    ("GET", "/accounts/login/", "200 200 200 200 200 200 200 200 200 200"),
    ("GET", "/accounts/2fa/", "302 200 200 200 200 200 200 200 200 200"),
    ("GET", "/accounts/2fa/setup/", "302 302 302 302 302 302 302 302 302 302"),
    ("GET", "/accounts/logout/", "405 405 405 405 405 405 405 405 405 405"),
    ("POST", "/accounts/logout/", "302 302 302 302 302 302 302 302 302 302"),
]


def test_it_matches_the_role_matrix(world: World) -> None:
    assert COLUMNS[-1] == "other_org"
    # A member who is nobody's persona, since rows reset and revoke it.
    target = actions.add_member(None, world.org, username="target", role="caseworker")
    failures = run_matrix(world, ROWS, lambda: {"member": target.membership.pk})
    assert failures == []
