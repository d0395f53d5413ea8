from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "holdspace.referrals"
    label = "referrals"
    verbose_name = "Professional help and referrals"
