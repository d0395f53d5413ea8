import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from holdspace.accounts.models import User
from holdspace.privacy.actions import do_delete_account
from holdspace.privacy.export import export_of


def my_data(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/my_data.html", {"days": settings.HOLDSPACE_RETENTION_DAYS})


def export(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    body = json.dumps(export_of(user), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="holdspace-my-data.json"'
    return response


@sensitive_post_parameters("password")
def delete_account(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if request.method == "POST":
        if request.POST.get("confirm") != "yes" or not user.check_password(
            request.POST.get("password", "")
        ):
            messages.error(request, _("Tick the box and give your password to delete the account."))
            return redirect("my_data")
        do_delete_account(user)
        logout(request)
        return render(request, "privacy/deleted.html")
    return redirect("my_data")
