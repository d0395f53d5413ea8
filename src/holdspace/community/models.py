from django.db import models
from django.utils.translation import gettext_lazy as _


class Room(models.Model):
    """A topic room (anxiety, grief, ...) that members join for peer support."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.CharField(_("description"), max_length=200)
    guidelines = models.TextField(_("guidelines"), help_text=_("Shown when someone first joins."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
