from django.urls import path

from vigil.incidents import views_lists

urlpatterns = [
    path("incidents/", views_lists.incident_list, name="incidents"),
    path("search/", views_lists.search, name="search"),
]
