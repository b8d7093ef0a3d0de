from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and clinics"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from accounts import schema  # noqa: F401  (OpenAPI extensions register on import)
        from accounts.middleware import session_start_idle_clock

        user_logged_in.connect(session_start_idle_clock, dispatch_uid="accounts.session_start_idle_clock")
