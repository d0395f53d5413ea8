from django.contrib import admin
from django.urls import include, path

from holdspace.core import views

urlpatterns = [
    path("", views.home, name="home"),
    path("help/", views.get_help, name="get_help"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("holdspace.accounts.urls")),
    path("rooms/", include("holdspace.community.urls")),
    path("support/", include("holdspace.support.urls")),
    path("sessions/", include("holdspace.groups.urls")),
    path("moderation/", include("holdspace.moderation.urls")),
    path("training/", include("holdspace.training.urls")),
    path("care/", include("holdspace.care.urls")),
    path("my-data/", include("holdspace.privacy.urls")),
    path("referrals/", include("holdspace.referrals.urls")),
    path("", include("holdspace.messaging.urls")),
    path("admin/", admin.site.urls),
]
