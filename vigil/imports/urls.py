from django.urls import path

from vigil.imports import views

urlpatterns = [
    path("imports/", views.index, name="index"),
    path("imports/<int:pk>/", views.job, name="job"),
    path("imports/<int:pk>/mapping/", views.mapping, name="mapping"),
    path("imports/<int:pk>/dry-run/", views.dry_run, name="dry_run"),
    path("imports/<int:pk>/start/", views.start, name="start"),
    path("imports/<int:pk>/resume/", views.resume, name="resume"),
    path("imports/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("imports/export.<str:file_format>", views.export, name="export"),
    path("imports/exports/<int:pk>/", views.export_job, name="export_job"),
    path("imports/exports/<int:pk>/cancel/", views.export_cancel, name="export_cancel"),
    path("imports/exports/<int:pk>/delete/", views.export_delete, name="export_delete"),
    path("imports/exports/<int:pk>/download/", views.export_download, name="export_download"),
]
