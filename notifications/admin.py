from django.contrib import admin

from notifications.models import Delivery, Notification, NotificationPreference, PushSubscription


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin[Delivery]):
    list_display = ("due_at", "recipient", "kind", "occurrence", "channel", "status", "attempts", "last_error")
    list_filter = ("status", "channel", "kind")
    search_fields = ("recipient__email", "occurrence")
    raw_id_fields = ("recipient",)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    list_display = ("created_at", "recipient", "kind", "title", "read_at")
    list_filter = ("kind",)
    raw_id_fields = ("recipient",)


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin[NotificationPreference]):
    list_display = ("user", "checkin_reminder_time", "paused", "quiet_hours_start", "quiet_hours_end")
    raw_id_fields = ("user",)


@admin.register(PushSubscription)
class PushSubscriptionAdmin(admin.ModelAdmin[PushSubscription]):
    list_display = ("user", "created_at", "last_success_at")
    raw_id_fields = ("user",)
