from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "holdspace.groups"
    label = "groups"
    verbose_name = "Group sessions"
