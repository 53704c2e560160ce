"""API tokens (shown once, hashed, scoped, rate-limited) and the endpoints."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from vigil.api import actions
from vigil.api.models import ApiToken, Scope
from vigil.conftest import World
from vigil.intake.models import Submission
from vigil.vault import crypto, sealing

ALL = list(Scope.values)
STORY = "Секретная история из API"


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.API_RATE_PER_MINUTE = 1000
    cache.clear()  # token ids repeat between tests; their counters must not


def _token(world: World, scopes: list[str], org: str = "org") -> str:
    organisation = world.org if org == "org" else world.other_org
    people = world.people if org == "org" else world.others
    made = actions.create_token(
        people["coordinator"].user, organisation, name="partner", scopes=scopes
    )
    return made.secret


def _auth(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def test_it_shows_a_new_token_once_and_stores_only_its_hash(world: World, signed_in) -> None:
    coordinator = signed_in("coordinator")
    response = coordinator.post(
        "/api/tokens/", {"name": "Hotline app", "scopes": ["stats:read", "reports:submit"]}
    )
    page = response.content.decode()
    secret = re.search(r"<code>(vgl_[\w-]+)</code>", page).group(1)  # type: ignore[union-attr]
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get()
    assert token.token_hash == actions.hash_token(secret) and secret not in str(token.__dict__)
    assert token.scopes == ["stats:read", "reports:submit"]
    assert secret not in coordinator.get("/api/tokens/").content.decode()
    assert Client().get("/api/v1/stats/key-figures", headers=_auth(secret)).status_code == 200


def test_it_refuses_missing_revoked_and_wrongly_scoped_tokens(world: World) -> None:
    client = Client()
    assert client.get("/api/v1/stats/key-figures").status_code == 401
    assert client.get("/api/v1/stats/key-figures", headers=_auth("vgl_nope")).status_code == 401
    reporter = _token(world, ["reports:submit"])
    assert client.get("/api/v1/stats/key-figures", headers=_auth(reporter)).status_code == 403
    reader = _token(world, ["stats:read"])
    assert client.get("/api/v1/stats/key-figures", headers=_auth(reader)).status_code == 200
    actions.revoke_token(world["coordinator"].user, ApiToken.objects.get(scopes=["stats:read"]))
    assert client.get("/api/v1/stats/key-figures", headers=_auth(reader)).status_code == 401


def test_it_limits_the_rate_per_token(world: World, settings) -> None:
    settings.API_RATE_PER_MINUTE = 3
    first, second = _token(world, ["stats:read"]), _token(world, ["stats:read"])
    client = Client()
    codes = [
        client.get("/api/v1/stats/key-figures", headers=_auth(first)).status_code for _ in range(5)
    ]
    assert codes == [200, 200, 200, 429, 429]
    assert client.get("/api/v1/stats/key-figures", headers=_auth(second)).status_code == 200


def test_it_takes_a_report_sealed_with_a_receipt_and_shows_only_its_status(world: World) -> None:
    secret = _token(world, ["reports:submit", "reports:status"])
    client = Client()
    body = {"what": ["beaten", "money"], "story": STORY, "region": "UA-30", "badge": "4471"}
    response = client.post(
        "/api/v1/reports", body, content_type="application/json", headers=_auth(secret)
    )
    assert response.status_code == 201, response.content
    answer = response.json()
    submission = Submission.objects.get()
    assert submission.channel == "api"  # the inbox says where it came from
    assert submission.organisation == world.org and STORY.encode() not in bytes(
        submission.sealed or b""
    )
    thread_key = crypto.unseal(world.org_private, bytes(submission.sealed_key or b""))
    assert sealing.open_json(thread_key, submission.sealed)["story"] == STORY
    # The receipt opens the reporter's mailbox, as for the public form.
    assert actions.intake_actions.open_mailbox(answer["receipt"])[0] == submission  # type: ignore[index]
    status = client.get(f"/api/v1/reports/{answer['reference']}", headers=_auth(secret))
    assert status.json()["status"] == "new" and STORY not in status.content.decode()
    # Another token, even of the same organisation, does not see it.
    other = _token(world, ["reports:status"])
    assert (
        client.get(f"/api/v1/reports/{answer['reference']}", headers=_auth(other)).status_code
        == 404
    )
    bad = client.post(
        "/api/v1/reports",
        {"what": ["nonsense"]},
        content_type="application/json",
        headers=_auth(secret),
    )
    assert bad.status_code == 422 and Submission.objects.count() == 1


def test_it_publishes_statistics_through_disclosure_control(world: World) -> None:
    secret = _token(world, ["stats:read"])
    response = Client().get("/api/v1/stats/tables/act_type?unit=acts", headers=_auth(secret))
    assert response.status_code == 200
    data = response.json()
    assert data["unit"] == "acts" and data["threshold"] >= 3 and data["rows"] == []


def test_it_accepts_a_file_to_import_sealed(world: World, settings) -> None:
    from pathlib import Path

    secret = _token(world, ["imports:write"])
    data = "external_id,date,act_type\nEXT-1,01.02.2024,Избиение\n".encode()
    response = Client().post(
        "/api/v1/imports", {"file": SimpleUploadedFile("a.csv", data)}, headers=_auth(secret)
    )
    assert response.status_code == 201, response.content
    job_id = response.json()["id"]
    from vigil.imports.models import ImportJob

    job = ImportJob.objects.get(pk=job_id)
    assert job.organisation == world.org and job.api_token is not None
    assert "Избиение".encode() not in (Path(settings.MEDIA_ROOT) / job.stored_name).read_bytes()
    status = Client().get(f"/api/v1/imports/{job_id}", headers=_auth(secret))
    assert status.json()["status"] == "uploaded"
    other = _token(world, ["imports:write"], org="other")
    assert Client().get(f"/api/v1/imports/{job_id}", headers=_auth(other)).status_code == 404


def test_it_serves_the_openapi_schema(world: World) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    assert {"/api/v1/reports", "/api/v1/stats/key-figures", "/api/v1/imports"} <= set(
        schema["paths"]
    )
