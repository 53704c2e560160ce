from django.urls import path

from vigil.api import views

urlpatterns = [
    path("api/tokens/", views.tokens, name="tokens"),
    path("api/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("api/kobo/new/", views.hook_create, name="hook_create"),
    path("api/kobo/<int:pk>/", views.hook_edit, name="hook_edit"),
    path("api/kobo/<int:pk>/revoke/", views.hook_revoke, name="hook_revoke"),
    path("api/kobo/<slug:slug>/<int:pk>/submissions/", views.kobo_receive, name="kobo_receive"),
]
