from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "holdspace.community"
    label = "community"
    verbose_name = "Community rooms"
