from holdspace.accounts.models import User
from holdspace.messaging.models import Thread
from holdspace.privacy.models import AccessLog


def record_view(viewer: User, thread: Thread | int, reason: str) -> None:
    thread_id = thread if isinstance(thread, int) else thread.pk
    AccessLog.objects.create(viewer=viewer, thread_id=thread_id, reason=reason[:200])
