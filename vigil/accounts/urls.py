from django.urls import path

from vigil.accounts import views, views_stepup

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("2fa/", views.otp_verify, name="otp_verify"),
    path("2fa/setup/", views.otp_setup, name="otp_setup"),
    path("password/", views.password_change, name="password_change"),
    path("profile/", views.profile, name="profile"),
    path("org/members/", views.member_list, name="member_list"),
    path("org/members/new/", views.member_create, name="member_create"),
    path("org/members/<int:pk>/", views.member_detail, name="member_detail"),
    path("org/members/<int:pk>/<slug:action>/", views.member_action, name="member_action"),
    path("org/audit/", views.audit_list, name="audit_list"),
    path("org/recover/", views.recover, name="recover"),
    path("step-up/", views_stepup.step_up, name="step_up"),
]
