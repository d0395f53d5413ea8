from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "holdspace.privacy"
    label = "privacy"
    verbose_name = "Privacy: retention, export, deletion, access log"
