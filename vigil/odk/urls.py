from django.urls import path

from vigil.odk import server, views

urlpatterns = [
    path("odk/devices/", views.devices, name="devices"),
    path("odk/devices/<int:pk>/revoke/", views.revoke, name="revoke"),
    path("odk/key/rotate/", views.rotate_key, name="rotate_key"),
    path("odk/records/", views.records, name="records"),
    path("odk/records/<int:pk>/open/", views.open_record, name="open"),
    # OpenRosa, for phones (HTTP Basic with a device's credentials).
    path("odk/<slug:slug>/formList", server.form_list, name="form_list"),
    path("odk/<slug:slug>/forms/vigil_report.xml", server.form, name="form"),
    path("odk/<slug:slug>/forms/vigil_report/manifest", server.manifest, name="manifest"),
    path("odk/<slug:slug>/submission", server.submission, name="submission"),
]
