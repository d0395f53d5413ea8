from django.apps import AppConfig
from django.db.models.signals import post_migrate


class TrainingConfig(AppConfig):
    name = "holdspace.training"
    label = "training"
    verbose_name = "Training and certification"

    def ready(self) -> None:
        from holdspace.training.curriculum import load_missing_modules

        # A fresh install gets the shipped curriculum; modules an admin has edited are left alone.
        post_migrate.connect(load_missing_modules, sender=self)
