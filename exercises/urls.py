"""Physical therapy routes under /api/v1/ (the public calendar feed, /calendar/<token>.ics, is in config/urls.py)."""

from django.urls import path

from exercises import api as api

urlpatterns = [
    path("exercises", api.ExerciseListApi.as_view(), name="exercise-list"),
    path("exercises/<uuid:exercise_id>", api.ExerciseDetailApi.as_view(), name="exercise-detail"),
    path("me/exercises/today", api.MyExercisesTodayApi.as_view(), name="me-exercises-today"),
    path(
        "me/exercises/occurrences/<str:occurrence_key>",
        api.MyExerciseOccurrenceApi.as_view(),
        name="me-exercise-occurrence",
    ),
    path("me/exercises/plan", api.MyExercisePlanApi.as_view(), name="me-exercise-plan"),
    path("me/exercises/adherence", api.MyExerciseAdherenceApi.as_view(), name="me-exercise-adherence"),
    path("me/calendar-feed", api.MyCalendarFeedApi.as_view(), name="me-calendar-feed"),
    path(
        "patients/<uuid:patient_id>/exercise-plan", api.PatientExercisePlanApi.as_view(), name="patient-exercise-plan"
    ),
    path(
        "patients/<uuid:patient_id>/exercise-plan/prescriptions",
        api.PatientPrescriptionListApi.as_view(),
        name="patient-prescription-list",
    ),
    path(
        "patients/<uuid:patient_id>/exercise-plan/prescriptions/<uuid:prescription_id>",
        api.PatientPrescriptionDetailApi.as_view(),
        name="patient-prescription-detail",
    ),
    path(
        "patients/<uuid:patient_id>/exercise-adherence",
        api.PatientExerciseAdherenceApi.as_view(),
        name="patient-exercise-adherence",
    ),
]
