"""The patient's progress in words: GET /api/v1/me/progress (recovery.progress)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.access import PatientOrCaregiverApi, access_own_patient
from accounts.models import Grant
from recovery.models import CheckIn
from recovery.progress import RECENT_DAYS, patient_progress

# The answer's shape, for the schema (the view hands the selector's dict to the JSON renderer as it is).
ProgressOut = inline_serializer(
    "PatientProgressOut",
    {
        "today": serializers.DateField(),
        "day": serializers.IntegerField(allow_null=True, help_text="Day N after the current procedure."),
        "procedure_date": serializers.DateField(allow_null=True),
        "measures": inline_serializer(
            "PatientProgressMeasureOut",
            {
                "key": serializers.ChoiceField(choices=["back_pain", "leg_pain", "walking_minutes"]),
                "label": serializers.CharField(),
                "unit": serializers.CharField(),
                "baseline": serializers.IntegerField(allow_null=True, help_text="Before the procedure."),
                "recent": inline_serializer(
                    "PatientProgressRecentOut",
                    {
                        "date_from": serializers.DateField(),
                        "date_to": serializers.DateField(),
                        "checkins": serializers.IntegerField(),
                        "mean_exact": serializers.CharField(
                            allow_null=True, help_text='The exact mean as a fraction, e.g. "27/7".'
                        ),
                        "mean": serializers.FloatField(allow_null=True, help_text="Rounded for display (halves up)."),
                    },
                    help_text=f"The check-ins of the last {RECENT_DAYS} days, today included.",
                ),
                "change_exact": serializers.CharField(
                    allow_null=True, help_text="Recent mean minus baseline, exact (a fraction)."
                ),
                "change": serializers.FloatField(allow_null=True, help_text="Rounded for display (halves up)."),
                "better": serializers.BooleanField(allow_null=True, help_text="Judged on the exact change."),
                "sentence": serializers.CharField(),
                "expected": inline_serializer(
                    "PatientProgressExpectedOut",
                    {
                        "improvement": serializers.FloatField(help_text="The trial's mean improvement at 2 years."),
                        "level": serializers.FloatField(help_text="The baseline minus it, not below the floor."),
                        "day": serializers.IntegerField(help_text="The trial visit (day after the procedure)."),
                        "source": serializers.CharField(),
                        "sentence": serializers.CharField(),
                    },
                    allow_null=True,
                ),
            },
            many=True,
        ),
        "course": inline_serializer(
            "PatientProgressCourseOut",
            {
                "sentence": serializers.CharField(),
                "from_day": serializers.IntegerField(),
                "to_day": serializers.IntegerField(),
                "label": serializers.CharField(),
                "version": serializers.IntegerField(),
            },
            allow_null=True,
        ),
    },
)


class MyProgressApi(PatientOrCaregiverApi[CheckIn]):
    """Back pain, leg pain and walking over the last days against the patient's level before the procedure, and the
    expected course, in words for the progress screen. Empty measures without a done procedure."""

    @extend_schema(responses=ProgressOut)
    def get(self, request: Request) -> Response:
        return Response(patient_progress(access_own_patient(request, caregiver=Grant.VIEW)))
