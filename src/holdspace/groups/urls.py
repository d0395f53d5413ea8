from django.urls import path

from holdspace.groups import views

urlpatterns = [
    path("", views.session_list, name="group_sessions"),
    path("new", views.schedule, name="schedule_session"),
    path("<int:pk>/", views.session_detail, name="group_session"),
    path("<int:pk>/book", views.book, name="book_session"),
    path("<int:pk>/cancel", views.cancel, name="cancel_booking"),
    path("<int:pk>/calendar.ics", views.calendar_file, name="session_calendar"),
    path("<int:pk>/mute/<int:member_id>", views.mute, name="mute_participant"),
    path("<int:pk>/round", views.start_round, name="start_round"),
    path("<int:pk>/end", views.end, name="end_session"),
]
