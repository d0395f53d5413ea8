from django.contrib import admin
from django.urls import include, path

from holdspace.core import views

urlpatterns = [
    path("", views.home, name="home"),
    path("help/", views.get_help, name="get_help"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("holdspace.accounts.urls")),
    path("admin/", admin.site.urls),
]
