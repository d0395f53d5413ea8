from django.db import transaction

from holdspace.accounts.models import User
from holdspace.messaging.models import Message
from holdspace.moderation.models import Report

MAX_REASON_CHARS = 500


@transaction.atomic
def do_report_message(reporter: User, message: Message, reason: str) -> Report:
    """One report a person and message; reporting again updates the reason."""
    report, _ = Report.objects.update_or_create(
        message=message,
        reporter=reporter,
        defaults={"reason": " ".join(str(reason).split())[:MAX_REASON_CHARS]},
    )
    return report
