from django.urls import path

from holdspace.moderation import views

urlpatterns = [
    path("alerts/", views.alerts, name="alerts"),
    path("claim-next", views.claim, name="claim_next"),
    path("cases/<int:pk>/", views.case, name="case"),
    path("cases/<int:pk>/claim", views.claim, name="claim"),
    path("cases/<int:pk>/note", views.add_note, name="add_note"),
    path("cases/<int:pk>/close", views.close, name="close_case"),
    path("response-times/", views.response_times, name="response_times"),
    path("reports/", views.reports, name="reports"),
    path("reports/<int:pk>/act", views.act_on_report, name="act_on_report"),
    path("appeals/", views.appeals, name="appeals"),
    path("appeals/<int:pk>/decide", views.decide_appeal, name="decide_appeal"),
    path("mine/", views.my_notices, name="my_notices"),
    path("mine/<int:pk>/appeal", views.appeal, name="appeal"),
]
