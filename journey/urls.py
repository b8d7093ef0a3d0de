"""Journey routes under /api/v1/: preparation before the procedure and education."""

from django.urls import path

from journey import api as api

urlpatterns = [
    path("me/preparation", api.MyPreparationApi.as_view(), name="me-preparation"),
    path("me/preparation/items/<str:item_key>", api.MyPreparationItemApi.as_view(), name="me-preparation-item"),
    path("me/education", api.MyEducationApi.as_view(), name="me-education"),
    path("me/education/<slug:article_key>/read", api.MyArticleReadApi.as_view(), name="me-article-read"),
    path(
        "patients/<uuid:patient_id>/procedures/<uuid:procedure_id>/preparation",
        api.PatientProcedurePreparationApi.as_view(),
        name="patient-procedure-preparation",
    ),
    path("patients/<uuid:patient_id>/education", api.PatientEducationApi.as_view(), name="patient-education"),
]
