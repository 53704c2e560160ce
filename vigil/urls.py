from django.urls import include, path
from django.views.i18n import set_language

from vigil.accounts import views as account_views
from vigil.api.endpoints import api as api_v1

urlpatterns = [
    path("", account_views.home, name="home"),
    path("accounts/", include("vigil.accounts.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("", include(("vigil.incidents.urls", "incidents"))),
    path("", include(("vigil.incidents.urls_evidence", "evidence"))),
    path("", include(("vigil.incidents.urls_lists", "lists"))),
    path("", include(("vigil.cases.urls", "cases"))),
    path("", include(("vigil.cases.urls_lists", "caselists"))),
    path("", include(("vigil.vocab.urls", "vocab"))),
    path("", include(("vigil.intake.urls", "intake"))),
    path("", include(("vigil.stats.urls", "stats"))),
    path("", include(("vigil.complaints.urls", "complaints"))),
    path("", include(("vigil.matching.urls", "matching"))),
    path("", include(("vigil.referrals.urls", "referrals"))),
    path("", include(("vigil.alerts.urls", "alerts"))),
    path("", include(("vigil.engagement.urls", "engagement"))),
    path("", include(("vigil.imports.urls", "imports"))),
    path("", include(("vigil.api.urls", "api"))),
    path("api/v1/", api_v1.urls),
    path("", include(("vigil.officers.urls", "officers"))),
    path("", include(("vigil.odk.urls", "odk"))),
]

# Designed error pages (vigil/lib/errors.py): staff menu or the neutral public layout.
handler400 = "vigil.lib.errors.bad_request"
handler403 = "vigil.lib.errors.permission_denied"
handler404 = "vigil.lib.errors.page_not_found"
handler500 = "vigil.lib.errors.server_error"
