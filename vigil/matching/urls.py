from django.urls import path

from vigil.matching import views

urlpatterns = [
    path("matching/counsel/", views.counsel_home, name="counsel_home"),
    path("matching/counsel/<int:pk>/", views.counsel_matches, name="counsel_matches"),
]
