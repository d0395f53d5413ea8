from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "holdspace.core"
    label = "core"
    verbose_name = "Holdspace"
