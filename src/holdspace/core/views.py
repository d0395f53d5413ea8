import asyncio

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from holdspace.community.models import Room
from holdspace.core.health import channel_layer_is_up, database_is_up


@login_not_required
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "core/welcome.html")
    rooms = (
        Room.objects.all() if request.user.has_perm("community.view_room") else Room.objects.none()
    )
    return render(request, "core/home.html", {"rooms": rooms})


@login_not_required
def get_help(request: HttpRequest) -> HttpResponse:
    # Must render with the database down: the template reads nothing from it, not even the user.
    return render(request, "core/help.html")


@login_not_required
@never_cache
async def healthz(request: HttpRequest) -> JsonResponse:
    database, channel_layer = await asyncio.gather(database_is_up(), channel_layer_is_up())
    parts = {"database": database, "channel_layer": channel_layer}
    body = {"status": "ok" if all(parts.values()) else "unavailable"}
    body |= {part: "ok" if up else "unavailable" for part, up in parts.items()}
    return JsonResponse(body, status=200 if all(parts.values()) else 503)
