from datetime import timedelta

from django.tasks import task
from django.utils import timezone

from holdspace.privacy.retention import purge

PURGE_EVERY = timedelta(days=1)


@task()
def purge_expired() -> int:
    """Runs once a day: deletes what is past its retention, then schedules the next run."""
    deleted = sum(item.count for item in purge())
    schedule_purge(timezone.now() + PURGE_EVERY)
    return deleted


def schedule_purge(at: object = None) -> None:
    from django_tasks_db.models import DBTaskResult

    name = f"{purge_expired.module_path}"
    if DBTaskResult.objects.filter(task_path=name, status="READY").exists():
        return  # one scheduled purge is enough
    purge_expired.using(run_after=at or timezone.now()).enqueue()
