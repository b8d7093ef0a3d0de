"""The real URLs plus one view that fails while holding patient data, for the log and error-report tests."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as real_urlpatterns
from recovery.models import CheckIn


class ClinicalDataError(Exception):
    pass


def fail_with_patient_data(request: HttpRequest) -> HttpResponse:
    # The locals and the exception's message hold a patient's name, email and check-in note, as real bugs do.
    checkin = CheckIn.objects.select_related("patient__user").latest("received_at")
    name, email, note = checkin.patient.user.full_name, checkin.patient.user.email, checkin.note
    raise ClinicalDataError(f"could not file {name} <{email}>: {note}")


urlpatterns = [*real_urlpatterns, path("test-only/fail", fail_with_patient_data, name="test-fail")]
