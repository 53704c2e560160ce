"""Vigil's URLs plus two bench-only baseline views, answered with 204.

``POST /bench/insert/``: one raw-SQL row insert, the cheapest possible
database write through the same server, middleware stack and database as a
report (baseline of ``bench.intake``).

``POST /bench/sealed/``: the unavoidable cost of a report (baseline of
``bench.reportcpu``): one receipt Argon2id at the served settings
(``RECEIPT_KDF_*``, via ``receipts.derive``), a fresh thread key sealed to the
organisation's public key, ``seal_json`` of a report-sized payload under it,
and one raw-SQL ``INSERT``. The organisation key is read once per process.

The tables ``bench_row`` and ``bench_sealed`` are created by the benchmark
(``CREATE TABLE IF NOT EXISTS``), never by a migration.
"""

from __future__ import annotations

import functools
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


PAYLOAD = {
    "what": ["search", "children"],
    "story": "Меня остановили у метро и обыскали",
    "when": "this_week",
    "region": "UA-30",
    "place": "transport",
    "who": "police",
    "uniform": "yes",
    "badge": "КВ-4471",
    "needs": ["legal", "ost"],
    "consents": ["follow_up", "statistics", "matching"],
    "method": "phone",
    "contact": "+380 50 111 2233",
}


@functools.cache
def _organisation_key() -> bytes:
    from vigil.vault.models import OrganisationKey

    return bytes(OrganisationKey.objects.order_by("pk").values_list("public_key", flat=True)[0])


@csrf_exempt  # as above: bench only
@require_POST
def sealed(request: HttpRequest) -> HttpResponse:
    from vigil.intake import receipts
    from vigil.vault import crypto, sealing

    derived = receipts.derive(receipts.new_receipt())
    thread_key = crypto.new_key()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_sealed (created_at, lookup, sealed_key, wrapped, sealed)"
            " VALUES (%s, %s, %s, %s, %s)",
            [
                timezone.now().isoformat(),
                derived.lookup,
                crypto.seal_to(_organisation_key(), thread_key),
                crypto.encrypt(derived.wrap_key, thread_key),
                sealing.seal_json(thread_key, PAYLOAD),
            ],
        )
    return HttpResponse(status=204)


urlpatterns = [
    path("bench/sealed/", sealed, name="bench_sealed"),
    path("bench/insert/", insert, name="bench_insert"),
    path("", include("vigil.urls")),
]
