from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "holdspace.moderation"
    label = "moderation"
    verbose_name = "Moderation"
