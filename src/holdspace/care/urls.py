from django.urls import path

from holdspace.care import views

urlpatterns = [
    path("", views.care_home, name="care"),
    path("break", views.take_break, name="take_break"),
    path("debrief/<int:pk>", views.debrief, name="debrief"),
    path("check-in", views.check_in, name="check_in"),
    path("coordinators/", views.coordinators, name="care_coordinators"),
]
