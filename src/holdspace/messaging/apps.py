from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "holdspace.messaging"
    label = "messaging"
    verbose_name = "Messages"
