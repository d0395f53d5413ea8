from django.contrib import admin

from holdspace.moderation.models import DutyShift


@admin.register(DutyShift)
class DutyShiftAdmin(admin.ModelAdmin):
    """The on-duty roster. Position orders who is alerted first, and who next if nobody answers."""

    list_display = ["person", "role", "starts_at", "ends_at", "position"]
    list_filter = ["role"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["person"]
