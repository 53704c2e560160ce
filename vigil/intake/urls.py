from django.urls import path

from vigil.intake import public, staff

urlpatterns = [
    path("report/", public.choose, name="choose"),
    path("report/exit/", public.quick_exit, name="exit"),
    path("report/receipt/", public.receipt, name="receipt"),
    path("report/status/", public.mailbox_login, name="mailbox_login"),
    path("report/status/thread/", public.mailbox, name="mailbox"),
    path("report/status/close/", public.mailbox_close, name="mailbox_close"),
    path("report/status/files/", public.mailbox_file, name="mailbox_file"),
    path("hotline/", staff.hotline, name="hotline"),
    path("inbox/", staff.inbox, name="inbox"),
    path("inbox/<int:pk>/", staff.submission_detail, name="submission"),
    path("inbox/<int:pk>/accept/", staff.accept, name="accept"),
    path("inbox/<int:pk>/files/<int:attachment_id>/", staff.attachment, name="attachment"),
    path("inbox/<int:pk>/merge/", staff.merge, name="merge"),
    path("inbox/<int:pk>/reject/", staff.reject, name="reject"),
    path("org/public-page/", staff.public_profile, name="public_profile"),
    path("org/public-languages/", staff.public_languages, name="public_languages"),
    path("report/<slug:slug>/", public.start, name="start"),
    path("report/<slug:slug>/review/", public.review, name="review"),
    path("report/<slug:slug>/<slug:step>/", public.step, name="step"),
]
