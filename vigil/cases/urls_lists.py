from django.urls import path

from vigil.cases import views_lists

urlpatterns = [
    path("cases/", views_lists.case_list, name="cases"),
]
