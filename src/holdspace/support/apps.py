from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "holdspace.support"
    label = "support"
    verbose_name = "One-to-one support"
