from django.apps import AppConfig, apps
from django.contrib.auth.management import create_permissions
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "holdspace.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        from holdspace.accounts.consent import load_first_versions

        post_migrate.connect(_sync_role_groups, sender=self)
        post_migrate.connect(load_first_versions, sender=self)


def _sync_role_groups(using: str, **kwargs: object) -> None:
    from holdspace.accounts.actions import do_sync_role_groups

    # post_migrate reaches apps one at a time; make sure every app's permissions exist first.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    do_sync_role_groups()
