from django.urls import include, path
from django.views.i18n import set_language

from vigil.accounts import views as account_views

urlpatterns = [
    path("", account_views.home, name="home"),
    path("accounts/", include("vigil.accounts.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
]
