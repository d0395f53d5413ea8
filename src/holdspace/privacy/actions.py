from django.db import transaction

from holdspace.accounts.models import User
from holdspace.messaging.models import Message
from holdspace.moderation.models import Escalation


@transaction.atomic
def do_delete_account(user: User) -> int:
    """Delete the account and what it wrote, except the safety record, kept without a name.

    Returns how many messages were kept pseudonymised (those an escalation points at; the
    retention period for escalations decides when they go).
    """
    safety = Escalation.objects.filter(message__author=user).values("message_id")
    Message.objects.filter(author=user).exclude(pk__in=safety).delete()
    kept = Message.objects.filter(author=user).update(author=None)
    user.delete()  # escalations keep their level and evidence; their member becomes nobody
    return kept
