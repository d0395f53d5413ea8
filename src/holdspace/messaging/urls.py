from django.urls import path

from holdspace.messaging import views

urlpatterns = [
    path("threads/<int:thread_id>/history", views.history, name="thread_history"),
    path("threads/<int:thread_id>/coach", views.coach_preview, name="thread_coach"),
    path("messages/<int:message_id>/report", views.report_message, name="report_message"),
]
