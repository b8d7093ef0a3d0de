from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from accounts.management.commands.seed_demo import demo_seeded
        from notifications import receivers
        from notifications.demo import demo_notifications_seed
        from recovery import signals

        signals.alert_recorded.connect(receivers.on_alert_recorded, dispatch_uid="notifications-alert-recorded")
        signals.alert_raised.connect(receivers.on_alert_raised, dispatch_uid="notifications-alert-raised")
        signals.milestone_opened.connect(receivers.on_milestone_opened, dispatch_uid="notifications-milestone-opened")
        # No receiver for checkin_recorded: a reminder made pointless by a check-in is skipped when it is sent
        # (notifications.wanted.no_longer_wanted), which spares every check-in an UPDATE of the deliveries.

        # After recovery's and exercises' demo receivers (INSTALLED_APPS order): the plans exist by then.
        demo_seeded.connect(demo_notifications_seed, dispatch_uid="notifications-demo")
