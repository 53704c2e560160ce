from django.urls import path

from vigil.incidents import views_evidence as views

urlpatterns = [
    path("incidents/<int:pk>/evidence/", views.evidence_list, name="list"),
    path("incidents/<int:pk>/evidence/new/", views.upload, name="upload"),
    path(
        "incidents/<int:pk>/evidence/<int:evidence_id>/",
        views.download,
        name="download",
    ),
]
