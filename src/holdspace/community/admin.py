from django.contrib import admin

from holdspace.community.models import Room


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "description", "created_at"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "description"]
