from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from holdspace.messaging.models import Thread


class Room(models.Model):
    """A topic room (anxiety, grief, ...) that members join for peer support."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.CharField(_("description"), max_length=200)
    guidelines = models.TextField(_("guidelines"), help_text=_("Shown when someone first joins."))
    thread = models.OneToOneField(Thread, on_delete=models.PROTECT, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        # Rooms are made in the admin too: each gets its thread however it is created.
        if self.thread_id is None:
            self.thread = Thread.objects.create(kind=Thread.Kind.ROOM)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Membership(models.Model):
    """Someone who has read a room's guidelines and joined it."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["room", "user"], name="join_a_room_once")]

    def __str__(self) -> str:
        return f"{self.user} in {self.room}"
