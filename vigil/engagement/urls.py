from django.urls import path

from vigil.engagement.views import activities, boards, overview, partners, visits

urlpatterns = [
    path("engagement/", overview.index, name="index"),
    path("engagement/dashboard/", overview.dashboard, name="dashboard"),
    path("engagement/dashboard/export.<str:fmt>", overview.export, name="export"),
    path("engagement/calendar/", overview.calendar_settings, name="calendar"),
    path("engagement/calendar/revoke/", overview.calendar_revoke, name="calendar_revoke"),
    path("engagement/calendar/<str:token>.ics", overview.calendar_feed, name="calendar_feed"),
    path("engagement/partners/", partners.partner_list, name="partner_list"),
    path("engagement/partners/new/", partners.partner_create, name="partner_create"),
    path("engagement/partners/<int:pk>/", partners.partner_detail, name="partner_detail"),
    path("engagement/partners/<int:pk>/edit/", partners.partner_edit, name="partner_edit"),
    path(
        "engagement/partners/<int:pk>/contacts/new/", partners.contact_create, name="contact_create"
    ),
    path("engagement/contacts/<int:pk>/edit/", partners.contact_edit, name="contact_edit"),
    path("engagement/partners/<int:pk>/history/new/", partners.log_create, name="log_create"),
    path("engagement/history/<int:pk>/edit/", partners.log_edit, name="log_edit"),
    path(
        "engagement/partners/<int:pk>/agreements/new/",
        partners.agreement_create,
        name="agreement_create",
    ),
    path("engagement/agreements/<int:pk>/", partners.agreement_download, name="agreement_download"),
    path("engagement/activities/", activities.activity_list, name="activity_list"),
    path("engagement/activities/new/", activities.activity_create, name="activity_create"),
    path("engagement/activities/<int:pk>/", activities.activity_detail, name="activity_detail"),
    path("engagement/activities/<int:pk>/edit/", activities.activity_edit, name="activity_edit"),
    path(
        "engagement/activities/<int:pk>/materials/new/",
        activities.material_create,
        name="material_create",
    ),
    path("engagement/materials/<int:pk>/", activities.material_download, name="material_download"),
    path("engagement/boards/", boards.board_list, name="board_list"),
    path("engagement/boards/new/", boards.board_create, name="board_create"),
    path("engagement/boards/<int:pk>/", boards.board_detail, name="board_detail"),
    path("engagement/boards/<int:pk>/edit/", boards.board_edit, name="board_edit"),
    path("engagement/boards/<int:pk>/members/new/", boards.member_create, name="member_create"),
    path("engagement/members/<int:pk>/edit/", boards.member_edit, name="member_edit"),
    path(
        "engagement/boards/<int:pk>/suggestions/new/",
        boards.suggestion_create,
        name="suggestion_create",
    ),
    path("engagement/suggestions/", boards.suggestion_list, name="suggestion_list"),
    path("engagement/suggestions/<int:pk>/", boards.suggestion_detail, name="suggestion_detail"),
    path("engagement/suggestions/<int:pk>/edit/", boards.suggestion_edit, name="suggestion_edit"),
    path(
        "engagement/suggestions/<int:pk>/answer/",
        boards.suggestion_answer,
        name="suggestion_answer",
    ),
    path("engagement/suggestions/<int:pk>/move/", boards.suggestion_move, name="suggestion_move"),
    path("engagement/visits/", visits.visit_list, name="visit_list"),
    path("engagement/visits/new/", visits.visit_create, name="visit_create"),
    path("engagement/visits/<int:pk>/", visits.visit_detail, name="visit_detail"),
    path("engagement/visits/<int:pk>/edit/", visits.visit_edit, name="visit_edit"),
    path("engagement/visits/<int:pk>/checklist/", visits.findings_edit, name="findings_edit"),
    path(
        "engagement/visits/<int:pk>/allegations/new/",
        visits.allegation_create,
        name="allegation_create",
    ),
    path("engagement/allegations/<int:pk>/edit/", visits.allegation_edit, name="allegation_edit"),
    path(
        "engagement/visits/<int:pk>/recommendations/new/",
        visits.recommendation_create,
        name="recommendation_create",
    ),
    path(
        "engagement/recommendations/<int:pk>/edit/",
        visits.recommendation_edit,
        name="recommendation_edit",
    ),
    path(
        "engagement/recommendations/<int:pk>/move/",
        visits.recommendation_move,
        name="recommendation_move",
    ),
]
