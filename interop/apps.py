from django.apps import AppConfig


class InteropConfig(AppConfig):
    """FHIR R4: a read-only API and bulk export over what the other apps record. Nothing imports interop."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "interop"
    verbose_name = "FHIR interoperability"
