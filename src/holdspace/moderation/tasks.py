from django.tasks import task

from holdspace.moderation.queue import escalate_if_unacknowledged


@task()
def check_acknowledgement(escalation_id: int) -> bool:
    """Enqueued to run at a case's due time; a worker (`holdspace worker`) runs it."""
    return escalate_if_unacknowledged(escalation_id)
