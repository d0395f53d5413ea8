from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from holdspace.referrals.forms import ServiceAdminForm
from holdspace.referrals.models import Service


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    form = ServiceAdminForm
    list_display = ["name", "kind", "region", "cost", "phone", "active", "updated_at"]
    list_filter = ["active", "kind", "cost", "region"]
    search_fields = ["name", "description"]
    fieldsets = [
        (None, {"fields": ["name", "kind", "description", "active"]}),
        (_("Who it is for"), {"fields": ["topics", "languages", "region", "cost"]}),
        (_("How to reach it"), {"fields": ["phone", "website", "email", "address", "hours"]}),
    ]
