from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from vigil.api import actions
from vigil.api.models import Scope
from vigil.conftest import World
from vigil.tests_matrix import Row, run_matrix

# columns: anon coordinator caseworker lawyer hotline analyst referral police_liaison
#          network_analyst other_org
ROWS: list[Row] = [
    ("GET", "/api/tokens/", "302 200 403 403 403 403 403 403 403 200"),
    ("POST", "/api/tokens/", "302 200 403 403 403 403 403 403 403 200"),
    ("POST", "/api/tokens/{token}/revoke/", "302 302 403 403 403 403 403 403 403 404"),
    ("POST", "/api/kobo/new/", "302 302 403 403 403 403 403 403 403 302"),
    ("GET", "/api/kobo/{hook}/", "302 200 403 403 403 403 403 403 403 404"),
    ("POST", "/api/kobo/{hook}/", "302 302 403 403 403 403 403 403 403 404"),
    ("POST", "/api/kobo/{hook}/revoke/", "302 302 403 403 403 403 403 403 403 404"),
    # Machine endpoints: a staff session is no credential, only their tokens are.
    ("POST", "/api/kobo/svitlo/{hook}/submissions/", "401 401 401 401 401 401 401 401 401 401"),
    ("GET", "/api/v1/openapi.json", "200 200 200 200 200 200 200 200 200 200"),
    ("GET", "/api/v1/stats/key-figures", "401 401 401 401 401 401 401 401 401 401"),
    ("GET", "/api/v1/stats/tables/region", "401 401 401 401 401 401 401 401 401 401"),
    ("POST", "/api/v1/reports", "401 401 401 401 401 401 401 401 401 401"),
    ("GET", "/api/v1/reports/abc123", "401 401 401 401 401 401 401 401 401 401"),
    ("POST", "/api/v1/imports", "401 401 401 401 401 401 401 401 401 401"),
    ("GET", "/api/v1/imports/1", "401 401 401 401 401 401 401 401 401 401"),
]


def test_it_matches_the_api_matrix(world: World) -> None:
    user = world["coordinator"].user

    def targets() -> dict[str, object]:
        token = actions.create_token(user, world.org, name="t", scopes=["stats:read"]).token
        hook = actions.create_hook(user, world.org, name="k").hook
        return {"token": token.pk, "hook": hook.pk}

    assert run_matrix(world, ROWS, targets) == []


# Each endpoint by token scope: (method, url, {scope: expected code}).
TOKEN_ROWS = [
    ("GET", "/api/v1/stats/key-figures", Scope.STATS_READ, 200),
    ("GET", "/api/v1/stats/tables/region", Scope.STATS_READ, 200),
    ("POST", "/api/v1/reports", Scope.REPORTS_SUBMIT, 201),
    ("GET", "/api/v1/reports/abc123", Scope.REPORTS_STATUS, 404),
    ("POST", "/api/v1/imports", Scope.IMPORTS_WRITE, 201),
    ("GET", "/api/v1/imports/1", Scope.IMPORTS_WRITE, 404),
]


@pytest.mark.parametrize(("method", "url", "needed", "allowed"), TOKEN_ROWS)
def test_it_lets_each_token_do_only_its_scopes(
    world: World, method: str, url: str, needed: str, allowed: int, settings, tmp_path
) -> None:
    settings.API_RATE_PER_MINUTE = 1000
    settings.MEDIA_ROOT = str(tmp_path / "media")
    cache.clear()
    for scope in Scope.values:
        secret = actions.create_token(
            world["coordinator"].user, world.org, name="t", scopes=[scope]
        ).secret
        client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
        if method == "GET":
            response = client.get(url)
        elif url.endswith("reports"):
            response = client.post(url, {"what": ["beaten"]}, content_type="application/json")
        else:
            response = client.post(url, {"file": SimpleUploadedFile("a.csv", b"a,b\n1,2\n")})
        expected = allowed if scope == needed else 403
        assert response.status_code == expected, (scope, response.content[:200])
