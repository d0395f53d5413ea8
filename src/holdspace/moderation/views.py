from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from holdspace.moderation.access import receives_alerts
from holdspace.moderation.models import Escalation
from holdspace.safety import Level


def alerts(request: HttpRequest) -> HttpResponse:
    """Open escalations, most urgent first; the live socket refreshes the list."""
    if not receives_alerts(request.user):
        raise PermissionDenied
    open_cases = (
        Escalation.objects.filter(status=Escalation.Status.OPEN)
        .select_related("message", "member", "thread")
        .order_by("-level", "-score", "created_at")
    )
    rows = [
        {"case": case, "level": Level(case.level).label, "body": _marked(case)}
        for case in open_cases
    ]
    template = "moderation/_alert_list.html" if request.htmx else "moderation/alerts.html"  # type: ignore[attr-defined]
    return render(request, template, {"rows": rows})


def _marked(case: Escalation) -> list[tuple[str, bool]]:
    """The message as (text, is_evidence) pieces, so the template can mark the words."""
    body = case.message.body
    spans = sorted(
        {tuple(span) for category in case.categories for span in category.get("evidence", [])}
    )
    pieces: list[tuple[str, bool]] = []
    at = 0
    for start, end in spans:
        if start < at:
            continue
        pieces += [(body[at:start], False), (body[start:end], True)]
        at = end
    pieces.append((body[at:], False))
    return [piece for piece in pieces if piece[0]]
