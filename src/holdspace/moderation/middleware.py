from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from holdspace.moderation.actions import restriction_of
from holdspace.moderation.models import ModerationAction

# A suspended or banned person can still get help, read why, appeal, and leave.
OPEN_PREFIXES = ("/help/", "/healthz", "/static/", "/accounts/logout", "/moderation/mine/")


class RestrictionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(OPEN_PREFIXES) and request.user.is_authenticated:
            action = restriction_of(request.user)  # type: ignore[arg-type]
            if action is not None and action.kind != ModerationAction.Kind.MUTE:
                return render(request, "moderation/restricted.html", {"action": action}, status=403)
        return self.get_response(request)
