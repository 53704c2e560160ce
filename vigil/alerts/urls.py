from django.urls import path

from vigil.alerts import views, views_members, views_police

urlpatterns = [
    path("alerts/", views.alert_list, name="list"),
    path("alerts/new/", views.alert_new, name="new"),
    path("alerts/<int:pk>/", views.alert_detail, name="detail"),
    path("alerts/<int:pk>/edit/", views.alert_edit, name="edit"),
    path("alerts/<int:pk>/submit/", views.alert_submit, name="submit"),
    path("alerts/<int:pk>/approve/", views.alert_approve, name="approve"),
    path("alerts/<int:pk>/return/", views.alert_return, name="return"),
    path("alerts/<int:pk>/publish/", views.alert_publish, name="publish"),
    path("alerts/<int:pk>/withdraw/", views.alert_withdraw, name="withdraw"),
    path("alerts/<int:pk>/source/", views.alert_source, name="source"),
    path("alerts/<int:pk>/send/", views.alert_send, name="send"),
    path("alerts/dispatches/<int:pk>/", views.dispatch_detail, name="dispatch"),
    path("alerts/members/", views_members.subscriber_list, name="subscribers"),
    path(
        "alerts/members/<int:pk>/remove/",
        views_members.subscriber_remove,
        name="subscriber_remove",
    ),
    path("alerts/police/digest/", views_police.digest_page, name="police_digest"),
    path("alerts/police/requests/", views_police.request_list, name="police_requests"),
    path("alerts/police/requests/<int:pk>/", views_police.request_detail, name="police_request"),
    path(
        "alerts/police/requests/<int:pk>/decision/",
        views_police.request_decision,
        name="police_decision",
    ),
    path(
        "alerts/police/requests/<int:pk>/answer/",
        views_police.request_answer,
        name="police_answer",
    ),
    # The members' page: subscribers (emailed link) and staff with their own account.
    path("members/", views_members.member_page, name="members"),
    path("members/check/", views_members.member_checker, name="member_check"),
    path("members/sign-in/", views_members.member_signin, name="member_signin"),
    path("members/enter/<str:token>/", views_members.member_enter, name="member_enter"),
    path("members/sign-out/", views_members.member_signout, name="member_signout"),
]
