from django.urls import path

from vigil.incidents import views

urlpatterns = [
    path("incidents/new/", views.new, name="new"),
    path("incidents/<int:pk>/", views.detail, name="detail"),
    path("incidents/<int:pk>/wizard/", views.resume, name="resume"),
    path("incidents/<int:pk>/wizard/<slug:step>/", views.wizard_step, name="wizard"),
    path("incidents/<int:pk>/qualify/", views.qualify, name="qualify"),
    path("incidents/<int:pk>/sources/", views.add_source, name="add_source"),
    path("people/<int:pk>/", views.person, name="person"),
]
