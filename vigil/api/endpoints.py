"""The REST API (django-ninja), version 1, for partner programs.

Authentication: ``Authorization: Bearer <token>``, a per-organisation token
made by a coordinator, limited to its scopes and to ``API_RATE_PER_MINUTE``
requests a minute. The schema is at ``/api/v1/openapi.json``. Nothing here
returns sealed content: statistics pass the dashboard's disclosure control,
reports go in sealed and only their status comes back, imports return counts.
"""

from __future__ import annotations

import datetime
from enum import Enum, StrEnum
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Form, NinjaAPI, Path, Query, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.files import UploadedFile
from ninja.security import HttpBearer
from pydantic import Field

from vigil import policy
from vigil.api import actions
from vigil.api.kobo import REPORT_FIELDS
from vigil.api.models import ApiToken, Scope
from vigil.imports import actions as import_actions
from vigil.imports.models import ImportJob, ImportMapping
from vigil.incidents import evidence, regions
from vigil.stats import aggregate
from vigil.stats.aggregate import Dim, Filters, Group, Unit
from vigil.stats.aggregate import Scope as StatsScope


class RateLimited(Exception):
    pass


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = actions.find_token(token)
        if found is None:
            return None
        if actions.over_rate("token", found.pk):
            raise RateLimited
        # Uploads are read after authentication: bytes go to the encrypted spool only.
        request.upload_handlers = [evidence.SpoolUploadHandler(request, import_actions.max_bytes())]
        return found


api = NinjaAPI(
    title="Vigil API",
    version="1",
    urls_namespace="v1",
    docs_url=None,  # the interactive page loads scripts from a CDN; the schema is enough
    openapi_url="/openapi.json",
    auth=TokenAuth(),
)


class Error(Schema):
    detail: Any


ERRORS: dict[int, Any] = {400: Error, 401: Error, 403: Error, 404: Error, 422: Error, 429: Error}


@api.exception_handler(RateLimited)
def _rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    return api.create_response(request, {"detail": "rate limit exceeded"}, status=429)


@api.exception_handler(AuthenticationError)
def _unauthorised(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": "Unauthorized"}, status=401)


def _token(request: HttpRequest, scope: str) -> ApiToken:
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    if not policy.token_allows(token, scope):
        raise HttpError(403, "this token lacks the scope " + scope)
    return token


# --- statistics -------------------------------------------------------------------


class KeyFigures(Schema):
    incidents: int | None = Field(description="null when suppressed (small count)")
    acts: int | None
    victims: int | None
    threshold: int


class Cell(Schema):
    code: str
    label: str
    value: int | None


class Table(Schema):
    dimension: str
    unit: str
    threshold: int
    rows: list[Cell]
    total: int | None


class TableDim(StrEnum):
    month = "month"
    year = "year"
    region = "region"
    act_type = "act_type"
    perpetrator_type = "perpetrator_type"
    place_type = "place_type"
    primary_group = "primary_group"
    age_band = "age_band"


class TableUnit(StrEnum):
    incidents = "incidents"
    acts = "acts"
    victims = "victims"


# Real calendar dates only (years 1900-2099), so the schema says what is accepted.
ISO_DATE = (
    r"^(19|20)\d\d-((0[1-9]|1[0-2])-(0[1-9]|1\d|2[0-9])|(0[13-9]|1[0-2])-30"
    r"|(0[13578]|1[02])-31)$"
)
DateQuery = Query(None, pattern=ISO_DATE, description="yyyy-mm-dd", format="date")


def _date(value: str | None) -> datetime.date | None:
    # A string with a pattern rather than a date: pydantic would take 0 as 1970-01-01.
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:  # 29 February of a common year: the month's last day
        return datetime.date.fromisoformat(value[:8] + "28")


def _filters(date_from: str | None, date_to: str | None) -> Filters:
    return Filters(date_from=_date(date_from), date_to=_date(date_to))


@api.get("/stats/key-figures", response={200: KeyFigures, **ERRORS}, tags=["statistics"])
def key_figures(
    request: HttpRequest,
    date_from: str | None = DateQuery,
    date_to: str | None = DateQuery,
) -> Any:
    """Incidents, acts and distinct victims; small counts are suppressed (null)."""
    token = _token(request, Scope.STATS_READ)
    scope = StatsScope.for_organisation(token.organisation)
    figures = aggregate.key_figures(scope, _filters(date_from, date_to))
    return {
        "incidents": figures.get(Unit.INCIDENTS),
        "acts": figures.get(Unit.ACTS),
        "victims": figures.get(Unit.VICTIMS),
        "threshold": aggregate.disclosure.min_cell(),
    }


@api.get("/stats/tables/{dimension}", response={200: Table, **ERRORS}, tags=["statistics"])
def stats_table(
    request: HttpRequest,
    dimension: TableDim,
    unit: TableUnit = TableUnit.acts,
    date_from: str | None = DateQuery,
    date_to: str | None = DateQuery,
) -> Any:
    """One published table, after disclosure control (hidden cells are null)."""
    token = _token(request, Scope.STATS_READ)
    scope = StatsScope.for_organisation(token.organisation)
    table = aggregate.table(
        scope, Unit(unit.value), Group(Dim(dimension.value)), None, _filters(date_from, date_to)
    )
    return {
        "dimension": dimension.value,
        "unit": unit.value,
        "threshold": table.threshold,
        "rows": [{"code": h.code, "label": h.label, "value": v} for h, v in table.series()],
        "total": table.total,
    }


# --- reports --------------------------------------------------------------------

_OPTIONS = {f.name: [k for k, _label in f.options] for f in REPORT_FIELDS}
What = Enum("What", {k: k for k in _OPTIONS["what"]}, type=str)  # type: ignore[misc]
When = Enum("When", {k: k for k in _OPTIONS["when"]}, type=str)  # type: ignore[misc]
Place = Enum("Place", {k: k for k in _OPTIONS["place"]}, type=str)  # type: ignore[misc]
Who = Enum("Who", {k: k for k in _OPTIONS["who"]}, type=str)  # type: ignore[misc]
Uniform = Enum("Uniform", {k: k for k in _OPTIONS["uniform"]}, type=str)  # type: ignore[misc]
Need = Enum("Need", {k: k for k in _OPTIONS["needs"]}, type=str)  # type: ignore[misc]
ConsentChoice = Enum("ConsentChoice", {k: k for k in _OPTIONS["consents"]}, type=str)  # type: ignore[misc]
Method = Enum("Method", {k: k for k in _OPTIONS["method"]}, type=str)  # type: ignore[misc]
Region = Enum("Region", {k: k for k in sorted(regions.all_regions())}, type=str)  # type: ignore[misc]


class ReportIn(Schema):
    """The public form's questions; see its wording in the user guide."""

    what: list[What] = Field(min_length=1, max_length=20)
    story: str = Field("", max_length=20000)
    when: When | None = None
    date: datetime.date | None = None
    region: Region | None = None
    place: Place | None = None
    place_detail: str = Field("", max_length=500)
    who: Who | None = None
    uniform: Uniform | None = None
    badge: str = Field("", max_length=100)
    name: str = Field("", max_length=200)
    vehicle: str = Field("", max_length=50)
    unit: str = Field("", max_length=200)
    needs: list[Need] = Field(default_factory=list, max_length=20)
    consents: list[ConsentChoice] = Field(default_factory=list, max_length=20)
    method: Method | None = None
    contact: str = Field("", max_length=200)


class ReportOut(Schema):
    reference: str = Field(description="for GET /reports/{reference}")
    receipt: str = Field(description="the reporter's receipt code, shown once")


class ReportStatus(Schema):
    reference: str
    status: str
    received_on: datetime.date


def _report_dict(body: ReportIn) -> dict[str, Any]:
    data = body.model_dump(mode="json", exclude_none=True)
    if data.get("date"):
        data.setdefault("when", "date")
    return {k: v for k, v in data.items() if v not in ("", [])}


@api.post("/reports", response={201: ReportOut, **ERRORS}, tags=["reports"])
def submit_report(request: HttpRequest, body: ReportIn) -> Any:
    """Submit a report; it is sealed at once and lands in the organisation's inbox."""
    token = _token(request, Scope.REPORTS_SUBMIT)
    sent = actions.submit_report(token, _report_dict(body))
    return Status(201, {"reference": sent.reference, "receipt": sent.receipt})


@api.get("/reports/{reference}", response={200: ReportStatus, **ERRORS}, tags=["reports"])
def report_status(
    request: HttpRequest, reference: str = Path(..., pattern="^[0-9a-f]{1,32}$")
) -> Any:
    """The triage status of a report this token sent (others are 404)."""
    token = _token(request, Scope.REPORTS_STATUS)
    submission = actions.status_of(token, reference)
    if submission is None:
        raise HttpError(404, "no such report")
    return {
        "reference": reference,
        "status": submission.status,
        "received_on": submission.created_at.date(),
    }


# --- imports --------------------------------------------------------------------


class ImportOut(Schema):
    id: int
    status: str
    total_rows: int
    imported: int
    skipped: int
    rejected: int
    problems: int


def _job_out(job: ImportJob) -> dict[str, Any]:
    return {
        "id": job.pk,
        "status": job.status,
        "total_rows": job.total_rows,
        "imported": job.imported,
        "skipped": job.skipped,
        "rejected": job.rejected,
        "problems": len(job.problems),
    }


@api.post("/imports", response={201: ImportOut, **ERRORS}, tags=["imports"])
def upload_import(
    request: HttpRequest,
    file: UploadedFile = File(...),  # noqa: B008 - ninja declares parameters this way
    mapping: str = Form("", max_length=80, pattern=r"^[^\x00-\x1f]*$"),
) -> Any:
    """Send a CSV or XLSX file. It is sealed at once; a coordinator checks and runs it
    from the import page, since blind indexes need the organisation key."""
    token = _token(request, Scope.IMPORTS_WRITE)
    if not isinstance(file, evidence.SpooledUpload):
        raise HttpError(422, "the file did not arrive")
    saved = ImportMapping.objects.filter(organisation=token.organisation, name=mapping).first()
    if mapping and saved is None:
        raise HttpError(404, "no saved mapping of that name")
    try:
        job = import_actions.upload(
            None, token.organisation, file.chunks(), mapping=saved, api_token=token
        )
    finally:
        file.close()
    return Status(201, _job_out(job))


@api.get("/imports/{job_id}", response={200: ImportOut, **ERRORS}, tags=["imports"])
def import_status(request: HttpRequest, job_id: int = Path(..., ge=1, le=2**31 - 1)) -> Any:
    """Counts of an import this token sent."""
    token = _token(request, Scope.IMPORTS_WRITE)
    job = ImportJob.objects.filter(pk=job_id, api_token=token).first()
    if job is None:
        raise HttpError(404, "no such import")
    return _job_out(job)
