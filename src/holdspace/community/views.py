from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from holdspace.community.actions import do_join_room
from holdspace.community.models import Membership, Room
from holdspace.messaging.access import participation
from holdspace.messaging.views import thread_context


@permission_required("community.view_room", raise_exception=True)
def room(request: HttpRequest, slug: str) -> HttpResponse:
    room = get_object_or_404(Room.objects.select_related("thread"), slug=slug)
    joined = Membership.objects.filter(room=room, user=request.user).exists()
    if not joined and request.user.has_perm("accounts.seek_support"):
        # The guidelines come first, once: people join knowing how the room works.
        return render(request, "community/guidelines.html", {"room": room})
    where = participation(request.user, room.thread)  # type: ignore[arg-type]
    context = thread_context(room.thread, where)  # type: ignore[arg-type]
    return render(request, "community/room.html", {"room": room, **context})


@require_POST
@permission_required("accounts.seek_support", raise_exception=True)
def join(request: HttpRequest, slug: str) -> HttpResponse:
    room = get_object_or_404(Room, slug=slug)
    do_join_room(request.user, room)  # type: ignore[arg-type]
    return redirect("room", slug=room.slug)
