"""The URLconf of bench/bench_api.py: every production route, plus two bare Django views that pass through the same
middleware with no DRF, no authentication and no throttles. They are the floor the API is compared with, and are
mounted only here (bench/api_settings.py), never in config.urls.

- PUT /bench/bare/checkins/<id>: one INSERT into the check-in table, from the JSON body (patient id included);
- GET /bench/bare/recovery/<patient id>: one indexed read, the patient's latest check-in.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from config.urls import handler400, handler404, handler500  # noqa: F401 (the production error pages)
from config.urls import urlpatterns as production_urlpatterns
from recovery.models import CheckIn


@csrf_exempt
def bare_checkin_put(request: HttpRequest, checkin_id: uuid.UUID) -> HttpResponse:
    body = json.loads(request.body)
    now = timezone.now()
    CheckIn(
        id=checkin_id,
        patient_id=body["patient"],
        local_date=dt.date.fromisoformat(body["local_date"]),
        back_pain=body["back_pain"],
        leg_pain=body["leg_pain"],
        walking_minutes=body["walking_minutes"],
        standing_minutes=body["standing_minutes"],
        steps=body["steps"],
        medication=body["medication"],
        symptoms=body["symptoms"],
        red_flags=body["red_flags"],
        note=body["note"],
        recorded_at=now,
        received_at=now,
        updated_at=now,
        body_hash="",
    ).save(force_insert=True)
    return JsonResponse({"id": str(checkin_id)}, status=201)


def bare_recovery_get(request: HttpRequest, patient_id: uuid.UUID) -> HttpResponse:
    latest = (
        CheckIn.objects.filter(patient_id=patient_id)
        .order_by("-local_date")
        .values("id", "local_date", "back_pain", "leg_pain")
        .first()
    )
    return JsonResponse({"latest": latest}, json_dumps_params={"default": str})


urlpatterns = [
    path("bench/bare/checkins/<uuid:checkin_id>", bare_checkin_put),
    path("bench/bare/recovery/<uuid:patient_id>", bare_recovery_get),
    *production_urlpatterns,
]
