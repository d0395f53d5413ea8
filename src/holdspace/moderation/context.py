from collections.abc import Callable

from django.http import HttpRequest

from holdspace.moderation.models import ModerationAction


def moderation_notices(request: HttpRequest) -> dict[str, Callable[[], int]]:
    """How many moderation decisions concern the signed-in person: the nav links to them.

    A callable, so that nothing is read unless a page shows it: the crisis page must render
    with the database down.
    """

    def count() -> int:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return 0
        return ModerationAction.objects.filter(subject=user).count()

    return {"moderation_notices": count}
