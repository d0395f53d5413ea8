from django.urls import path

from holdspace.privacy import views

urlpatterns = [
    path("", views.my_data, name="my_data"),
    path("export.json", views.export, name="export_my_data"),
    path("delete", views.delete_account, name="delete_account"),
]
