from django.urls import path

from . import evidence_views, language, report_views, send_views, spread_views, views

app_name = "help"
urlpatterns = [
    path("", views.start, name="start"),
    path("questions/<slug:slug>/", views.question, name="question"),
    path("plan/", views.plan, name="plan"),
    path("staying-safe/", views.staying_safe, name="staying_safe"),
    path("exit/", views.exit_page, name="exit"),
    path("language/", language.choose_language, name="language"),
    path("report/", report_views.report_start, name="report_start"),
    path("report/saved/", report_views.report_saved, name="report_saved"),
    path("report/sign-in/", report_views.report_sign_in, name="report_sign_in"),
    path("report/keep-open/", report_views.report_keep_open, name="report_keep_open"),
    path("report/send/", send_views.report_send, name="report_send"),
    path("report/withdraw/", send_views.report_withdraw, name="report_withdraw"),
    path("report/linking/", send_views.report_linking, name="report_linking"),
    path(
        "report/fingerprints/<int:pk>/withdraw/",
        send_views.report_fingerprints_withdraw,
        name="report_fingerprints_withdraw",
    ),
    path("report/sign-out/", report_views.report_sign_out, name="report_sign_out"),
    path("report/record/", report_views.report_overview, name="report_overview"),
    path("report/record/<slug:slug>/", report_views.report_section, name="report_section"),
    path("report/evidence/", evidence_views.report_evidence, name="report_evidence"),
    path(
        "report/evidence/<int:pk>/thumbnail/",
        evidence_views.evidence_thumbnail,
        name="evidence_thumbnail",
    ),
    path("report/download/", report_views.report_download, name="report_download"),
    path("report/delete/", report_views.report_delete, name="report_delete"),
    path("protect/", spread_views.protect_start, name="protect_start"),
    path("protect/under-18/", spread_views.protect_under_18, name="protect_under_18"),
    path("protect/choose/", spread_views.protect_choose, name="protect_choose"),
    path("protect/done/", spread_views.protect_done, name="protect_done"),
    path("protect/check/", spread_views.protect_check, name="protect_check"),
    path("protect/withdraw/", spread_views.protect_withdraw, name="protect_withdraw"),
]
