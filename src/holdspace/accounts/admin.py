from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from holdspace.accounts.models import ConsentText, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "display_name", "is_active", "is_staff", "date_joined"]
    search_fields = ["username", "display_name"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("In the community"), {"fields": ["display_name"]}),
        (_("Roles and permissions"), {"fields": ["is_active", "is_staff", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {"classes": ["wide"], "fields": ["username", "display_name", "password1", "password2"]},
        ),
    ]
    filter_horizontal = ["groups"]


@admin.register(ConsentText)
class ConsentTextAdmin(admin.ModelAdmin):
    """A changed text is a new version (a new row): everyone concerned is asked again."""

    list_display = ["kind", "version", "published_at"]
    list_filter = ["kind"]

    def get_readonly_fields(
        self, request: HttpRequest, obj: ConsentText | None = None
    ) -> list[str]:
        # What people agreed to must stay what they read: a published text is never edited.
        return ["kind", "version", "body"] if obj is not None else []
