from django.urls import path

from vigil.cases import views, views_conversation

urlpatterns = [
    path("cases/new/", views.open_case, name="open"),
    path("cases/<int:pk>/", views.detail, name="detail"),
    path("cases/<int:pk>/status/", views.transition, name="transition"),
    path("cases/<int:pk>/closure/", views.closure, name="closure"),
    path("cases/<int:pk>/closure/approve/", views.approve_closure, name="approve_closure"),
    path("cases/<int:pk>/closure/reject/", views.reject_closure, name="reject_closure"),
    path("cases/<int:pk>/reopen/", views.reopen, name="reopen"),
    path(
        "cases/<int:pk>/conversation/<int:submission_pk>/reply/",
        views_conversation.reply,
        name="conversation_reply",
    ),
    path("cases/<int:pk>/assign/", views.assign, name="assign"),
    path("cases/<int:pk>/assessment/", views.assessment, name="assessment"),
    path("cases/<int:pk>/tasks/", views.add_task, name="add_task"),
    path("tasks/<int:pk>/done/", views.task_done, name="task_done"),
    path("cases/<int:pk>/notes/", views.add_note, name="add_note"),
    path("cases/<int:pk>/interventions/", views.add_intervention, name="add_intervention"),
    path("cases/<int:pk>/consent/", views.consent_page, name="consent"),
    path("cases/<int:pk>/contact/", views.contact, name="contact"),
    path("my-work/", views.my_work, name="my_work"),
]
