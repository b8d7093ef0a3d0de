from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest

from accounts.models import CareTeamMember, Clinic, Invitation, PatientProfile, PHIAccess, User


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin[Clinic]):
    list_display = ("name", "phone", "time_zone")
    search_fields = ("name",)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ("email",)
    list_display = ("email", "full_name", "role", "clinic", "is_active")
    list_filter = ("role", "clinic", "is_active")
    search_fields = ("email", "full_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("full_name", "role", "clinic")}),
        ("Status", {"fields": ("is_active", "deactivated_at", "is_staff", "is_superuser", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "role", "clinic", "password1", "password2")}),
    )
    readonly_fields = ("date_joined", "deactivated_at")


class CareTeamInline(admin.TabularInline[CareTeamMember, PatientProfile]):
    model = CareTeamMember
    extra = 0
    raw_id_fields = ("clinician",)


@admin.register(PatientProfile)
class PatientProfileAdmin(admin.ModelAdmin[PatientProfile]):
    list_display = ("user", "date_of_birth", "time_zone", "enrolled_at")
    search_fields = ("user__full_name", "user__email")
    raw_id_fields = ("user", "enrolled_by")
    inlines = (CareTeamInline,)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin[Invitation]):
    list_display = ("user", "clinic", "created_at", "expires_at", "accepted_at", "revoked_at")
    exclude = ("token_hash",)
    readonly_fields = (
        "user",
        "clinic",
        "created_by",
        "expires_at",
        "last_sent_at",
        "send_count",
        "accepted_at",
        "revoked_at",
    )


@admin.register(PHIAccess)
class PHIAccessAdmin(admin.ModelAdmin[PHIAccess]):
    list_display = ("at", "actor", "patient", "resource", "ip", "request_id")
    list_filter = ("resource",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
