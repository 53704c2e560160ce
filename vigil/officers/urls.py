from django.urls import path

from vigil.officers import views

app_name = "officers"

urlpatterns = [
    path("officers/", views.repeat_list, name="repeat_list"),
    path("officers/o/<str:token>/", views.profile, name="profile"),
    path("officers/settings/", views.settings_page, name="settings"),
    path("officers/settings/reindex/", views.reindex_now, name="reindex"),
    path("officers/registers/", views.registers, name="registers"),
    path("officers/registers/<int:pk>/", views.register_detail, name="register"),
    path("officers/registers/<int:pk>/delete/", views.register_delete, name="register_delete"),
]
