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
]
