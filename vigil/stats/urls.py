from django.urls import path

from vigil.stats import views, views_network, views_report

app_name = "stats"

urlpatterns = [
    path("stats/", views.dashboard, name="dashboard"),
    path("stats/export.csv", views.export_csv, name="export_csv"),
    path("stats/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("stats/network/", views.network_settings, name="network_settings"),
    path("stats/network/create/", views_network.create, name="network_create"),
    path("stats/network/<int:pk>/invite/", views_network.invite, name="network_invite"),
    path("stats/network/invitations/<int:pk>/", views_network.answer, name="network_invitation"),
    path("stats/report/", views_report.report_new, name="report_new"),
    path("stats/report/<int:pk>/", views_report.report_status, name="report_status"),
    path("stats/report/<int:pk>/report.docx", views_report.report_docx, name="report_docx"),
    path("stats/report/<int:pk>/report.pdf", views_report.report_pdf, name="report_pdf"),
]
