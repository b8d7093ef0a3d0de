"""Demo preparation for `seed_demo`: Edith's procedure is a week away, with light sedation; Dr Chen entered her blood
thinner and arrival time, and she has ticked half of her checklist. Her baseline questions are not answered yet, so
the roster flags them. Skipped when she already has a procedure, so seeding twice changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from accounts.models import Clinic, PatientProfile, User
from journey import selectors, services
from recovery import services as recovery_services
from recovery.models import Anaesthesia, Procedure

DEMO_PREPARING = "edith@patients.example"
DAYS_TO_GO = 7


def demo_journey_seed(sender: Any, *, clinic: Clinic, patients: dict[str, PatientProfile], **kwargs: Any) -> None:
    patient = patients.get(DEMO_PREPARING)
    if patient is None or Procedure.objects.filter(patient=patient).exists():
        return
    now = timezone.now()
    today = patient.local_today(now)
    clinician = User.objects.get(care_team_memberships__patient=patient, care_team_memberships__is_primary=True)
    procedure_date = today + dt.timedelta(days=DAYS_TO_GO)
    procedure = recovery_services.procedure_schedule(
        patient=patient, by=clinician, procedure_date=procedure_date, levels=["L4-L5"], side="bilateral",
        anaesthesia=Anaesthesia.LOCAL_SEDATION, performed_by=clinician.pk,
    )  # fmt: skip
    services.preparation_plan_set(
        procedure=procedure,
        by=clinician,
        arrival_time=dt.time(7, 30),
        blood_thinners=[
            {
                "medicine": "Clopidogrel",
                "stop_on": procedure_date - dt.timedelta(days=5),
                "restart_on": procedure_date + dt.timedelta(days=1),
            }
        ],
        now=now,
    )
    items = selectors.checklist(procedure)
    for item in items[: len(items) // 2]:
        services.preparation_tick(patient=patient, item_key=item["key"], done=True, now=now)
