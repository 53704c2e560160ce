"""Process pools: a server process that serves only the anonymous reporter.

Analysts opening heavy staff pages must not slow a woman sending her report,
so production runs the public report and mailbox in their own gunicorn
process group (``VIGIL_POOL=intake``, docs/deployment.md, "A pool of its own
for the public report"), behind a reverse proxy that routes by path. A
process of that pool refuses every other path before any session, database
or template work: if the proxy is misconfigured, staff pages fail loudly
instead of quietly sharing the reporters' workers.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound

# What a reporter's browser asks for: the report flow and her mailbox (both under
# /report/), the language switcher and static files.
INTAKE_PREFIXES = ("/report/", "/i18n/setlang/")
POOLS = ("all", "intake")


def serves(pool: str, path: str) -> bool:
    if pool == "all":
        return True
    return path.startswith((*INTAKE_PREFIXES, settings.STATIC_URL))


class PoolMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not serves(settings.VIGIL_POOL, request.path):
            return HttpResponseNotFound(b"", content_type="text/plain")
        return self.get_response(request)
