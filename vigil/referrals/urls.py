from django.urls import path

from vigil.referrals import views, views_funnel, views_police

urlpatterns = [
    path("referrals/police/new/", views_police.new, name="police_new"),
    path("referrals/police/received/", views_police.card, name="police_card"),
    path("referrals/police/figures/", views_police.figures, name="police_figures"),
    path("referrals/", views.queue, name="queue"),
    path("referrals/code/", views.find_code, name="find_code"),
    path("referrals/<int:pk>/", views.detail, name="detail"),
    path("referrals/<int:pk>/claim/", views.claim, name="claim"),
    path("referrals/<int:pk>/arrival/", views.arrival, name="arrival"),
    path("referrals/<int:pk>/contact/", views.contact, name="contact"),
    path("referrals/<int:pk>/assessment/", views.assessment, name="assessment"),
    path("referrals/<int:pk>/person/find/", views.find_person, name="find_person"),
    path("referrals/<int:pk>/person/link/", views.link_person, name="link_person"),
    path("referrals/<int:pk>/person/new/", views.new_person, name="new_person"),
    path("referrals/<int:pk>/case/", views.open_case, name="open_case"),
    path("referrals/<int:pk>/service/", views.service, name="service"),
    path("referrals/<int:pk>/admission/", views.admission, name="admission"),
    path("referrals/<int:pk>/retention/", views.retention, name="retention"),
    path("referrals/<int:pk>/close/", views.close, name="close"),
    path("cases/<int:pk>/referral/", views.from_case, name="from_case"),
    path("referrals/programmes/", views.programmes, name="programmes"),
    path("referrals/programmes/new/", views.programme_new, name="programme_new"),
    path("referrals/programmes/<int:pk>/", views.programme_edit, name="programme_edit"),
    path("referrals/programmes/units/", views.unit_add, name="unit_add"),
    path("referrals/programmes/services/", views.service_add, name="service_add"),
    path("referrals/funnel/", views_funnel.page, name="funnel"),
    path("referrals/funnel.csv", views_funnel.export_csv, name="funnel_csv"),
    path("referrals/funnel.xlsx", views_funnel.export_xlsx, name="funnel_xlsx"),
]
