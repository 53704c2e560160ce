"""Vigil's URLs plus ``POST /bench/insert/``: one raw-SQL row insert, answered with 204.

The baseline of ``bench.intake``: the cheapest possible database write that
goes through the same server, middleware stack and database as a report.
The table ``bench_row`` is created by the benchmark (``CREATE TABLE IF NOT
EXISTS``), never by a migration.
"""

from __future__ import annotations

import secrets

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST


@csrf_exempt  # the load generator posts without a form; this view exists only in the bench
@require_POST
def insert(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_row (created_at, payload) VALUES (%s, %s)",
            [timezone.now().isoformat(), secrets.token_hex(16)],
        )
    return HttpResponse(status=204)


urlpatterns = [
    path("bench/insert/", insert, name="bench_insert"),
    path("", include("vigil.urls")),
]
