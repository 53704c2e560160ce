from django.urls import path

from vigil.vocab import views

# Included with namespace "vocab" and prefix "" by vigil/urls.py.
urlpatterns = [
    path("vocab/", views.index, name="index"),
    path("vocab/terms/<int:pk>/", views.edit, name="edit"),
    path("vocab/<slug:term_list>/", views.term_list, name="list"),
    path("vocab/<slug:term_list>/new/", views.add, name="add"),
]
