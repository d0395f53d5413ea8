from django.contrib import admin
from django.http import HttpRequest

from holdspace.privacy.models import AccessLog


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Read-only: an access log nobody can edit or delete from the admin."""

    list_display = ["at", "viewer", "thread", "reason"]
    list_filter = ["reason"]
    search_fields = ["viewer__display_name", "reason"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
