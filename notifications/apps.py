from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from notifications import receivers
        from recovery import signals

        signals.alert_raised.connect(receivers.on_alert_raised, dispatch_uid="notifications-alert-raised")
        signals.milestone_opened.connect(receivers.on_milestone_opened, dispatch_uid="notifications-milestone-opened")
        signals.checkin_recorded.connect(receivers.on_checkin_recorded, dispatch_uid="notifications-checkin-recorded")
