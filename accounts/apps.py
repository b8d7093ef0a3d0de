from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and clinics"

    def ready(self) -> None:
        from accounts import schema  # noqa: F401  (OpenAPI extensions register on import)
