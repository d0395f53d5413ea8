from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from holdspace.accounts.consent import missing_consents

# Reachable without agreeing first: the crisis page above all, and the way out.
OPEN_PREFIXES = ("/help/", "/healthz", "/static/", "/accounts/", "/admin/")


class ConsentRequiredMiddleware:
    """Someone signed in who has not agreed to the current consent texts is asked to first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The path first: the crisis page must render with the database down, and looking at
        # the user reads the session from the database.
        if (
            not request.path.startswith(OPEN_PREFIXES)
            and request.user.is_authenticated
            and missing_consents(request.user)  # type: ignore[arg-type]
        ):
            return redirect(f"{reverse('consent')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
