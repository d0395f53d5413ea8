from django.urls import path

from holdspace.community import views

urlpatterns = [
    path("<slug:slug>/", views.room, name="room"),
    path("<slug:slug>/join", views.join, name="join_room"),
]
