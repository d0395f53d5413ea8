from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.debug import sensitive_post_parameters

from holdspace.accounts.actions import do_create_user
from holdspace.accounts.consent import current_texts, do_give_consent, missing_consents
from holdspace.accounts.forms import SignUpForm
from holdspace.accounts.roles import Role
from holdspace.core.ratelimit import allow
from holdspace.training.markdown import render_markdown


@login_not_required
@sensitive_post_parameters("password1", "password2")
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    member_text = current_texts().get("member")
    if request.method == "POST" and not allow(
        "signup", request.META.get("REMOTE_ADDR", ""), settings.HOLDSPACE_SIGNUPS_PER_HOUR, 3600
    ):
        return render(request, "registration/locked.html", status=429)
    if request.method == "POST" and form.is_valid():
        volunteer = form.cleaned_data["volunteer"]
        user = do_create_user(
            username=form.cleaned_data["username"],
            display_name=form.cleaned_data["display_name"],
            password=form.cleaned_data["password1"],
            country=form.cleaned_data["country"],
            # A volunteer trains first: matching only offers chats once they are certified.
            roles=[Role.SUPPORTER] if volunteer else [Role.MEMBER],
        )
        if member_text is not None:
            do_give_consent(user, [member_text])
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("training" if volunteer else "home")
    terms = render_markdown(member_text.body) if member_text else ""
    return render(request, "registration/signup.html", {"form": form, "terms": terms})


def consent(request: HttpRequest) -> HttpResponse:
    user = request.user
    pending = missing_consents(user)  # type: ignore[arg-type]
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    agreed = all(request.POST.get(f"agree-{text.pk}") == "yes" for text in pending)
    if request.method == "POST" and pending and agreed:
        do_give_consent(user, pending)  # type: ignore[arg-type]
        return redirect(next_url or "home")
    texts = [{"text": text, "body": render_markdown(text.body)} for text in pending]
    status = 400 if request.method == "POST" else 200
    return render(
        request, "registration/consent.html", {"texts": texts, "next": next_url}, status=status
    )
