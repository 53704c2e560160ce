from django.urls import path

from vigil.intake import public

urlpatterns = [
    path("report/", public.choose, name="choose"),
    path("report/exit/", public.quick_exit, name="exit"),
    path("report/receipt/", public.receipt, name="receipt"),
    path("report/status/", public.mailbox_login, name="mailbox_login"),
    path("report/status/thread/", public.mailbox, name="mailbox"),
    path("report/status/close/", public.mailbox_close, name="mailbox_close"),
    path("report/<slug:slug>/", public.start, name="start"),
    path("report/<slug:slug>/review/", public.review, name="review"),
    path("report/<slug:slug>/<slug:step>/", public.step, name="step"),
]
