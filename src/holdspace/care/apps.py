from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "holdspace.care"
    label = "care"
    verbose_name = "Supporter self-care"
