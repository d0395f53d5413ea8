from django.contrib import admin

from holdspace.groups.models import GroupSession


@admin.register(GroupSession)
class GroupSessionAdmin(admin.ModelAdmin):
    list_display = ["title", "facilitator", "starts_at", "duration_minutes", "capacity", "ended_at"]
    search_fields = ["title", "topic"]
    # Sessions are scheduled by facilitators on the site; admins correct details here.
    readonly_fields = ["ended_at"]
