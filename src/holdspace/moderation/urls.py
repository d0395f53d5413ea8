from django.urls import path

from holdspace.moderation import views

urlpatterns = [
    path("alerts/", views.alerts, name="alerts"),
]
