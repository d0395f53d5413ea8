from django.urls import path

from holdspace.support import views

urlpatterns = [
    path("", views.support_home, name="support_home"),
    path("request", views.request_support, name="request_support"),
    path("feedback/", views.my_feedback, name="my_feedback"),
    path("boundaries/", views.boundaries, name="boundaries"),
    path("not-today", views.not_today, name="not_today"),
    path("<int:pk>/", views.conversation, name="conversation"),
    path("<int:pk>/accept", views.accept, name="accept_request"),
    path("<int:pk>/withdraw", views.withdraw, name="withdraw_request"),
    path("<int:pk>/end", views.end, name="end_conversation"),
    path("<int:pk>/hand-over", views.hand_over, name="hand_over"),
    path("<int:pk>/block", views.block, name="block"),
    path("<int:pk>/report", views.report_person, name="report_person"),
    path("<int:pk>/invite", views.invite_sharing, name="invite_sharing"),
    path("<int:pk>/rate", views.feedback, name="give_feedback"),
]
