from django.urls import path

from vigil.stats import views

app_name = "stats"

urlpatterns = [
    path("stats/", views.dashboard, name="dashboard"),
    path("stats/export.csv", views.export_csv, name="export_csv"),
    path("stats/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("stats/network/", views.network_settings, name="network_settings"),
]
