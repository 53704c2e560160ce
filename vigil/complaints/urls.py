from django.urls import path

from vigil.complaints import views, views_directory

urlpatterns = [
    path("cases/<int:pk>/legal-actions/", views.case_actions, name="case_actions"),
    path("cases/<int:pk>/legal-actions/new/", views.action_create, name="action_create"),
    path("complaints/agenda/", views.agenda, name="agenda"),
    path("complaints/actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("complaints/actions/<int:pk>/edit/", views.action_edit, name="action_edit"),
    path("complaints/actions/<int:pk>/file/", views.action_file, name="action_file"),
    path("complaints/actions/<int:pk>/consent/", views.share_consent, name="share_consent"),
    path("complaints/actions/<int:pk>/override/", views.override, name="override"),
    path("complaints/actions/<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("complaints/actions/<int:pk>/response/", views.response, name="response"),
    path("complaints/actions/<int:pk>/appeal/", views.appeal, name="appeal"),
    path("complaints/actions/<int:pk>/close/", views.close, name="close"),
    path("complaints/actions/<int:pk>/letters/", views.generate_letter, name="generate_letter"),
    path("complaints/letters/<int:pk>/", views.download_letter, name="download_letter"),
    path("complaints/bodies/", views_directory.body_list, name="body_list"),
    path("complaints/bodies/new/", views_directory.body_create, name="body_create"),
    path("complaints/bodies/<int:pk>/", views_directory.body_detail, name="body_detail"),
    path("complaints/bodies/<int:pk>/edit/", views_directory.body_edit, name="body_edit"),
    path(
        "complaints/bodies/<int:pk>/liaisons/new/",
        views_directory.liaison_create,
        name="liaison_create",
    ),
    path("complaints/liaisons/<int:pk>/edit/", views_directory.liaison_edit, name="liaison_edit"),
    path("complaints/templates/", views_directory.template_list, name="template_list"),
    path(
        "complaints/templates/<str:body_type>/<str:language>/",
        views_directory.template_upload,
        name="template_upload",
    ),
    path(
        "complaints/templates/<str:body_type>/<str:language>/download/",
        views_directory.template_download,
        name="template_download",
    ),
    path(
        "complaints/templates/<str:body_type>/<str:language>/reset/",
        views_directory.template_reset,
        name="template_reset",
    ),
    path("complaints/figures/", views_directory.figures_page, name="figures"),
]
