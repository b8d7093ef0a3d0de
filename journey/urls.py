"""Journey routes under /api/v1/: preparation before the procedure and education."""

from django.urls import path

from journey import api as api
from journey import api_editing as editing

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
    # The care team's versions of the checklist and the library (clinic admins copy and revise).
    path("preparation-checklists", editing.PreparationChecklistListApi.as_view(), name="preparation-checklist-list"),
    path(
        "preparation-checklists/<uuid:checklist_id>",
        editing.PreparationChecklistDetailApi.as_view(),
        name="preparation-checklist-detail",
    ),
    path(
        "preparation-checklists/<uuid:checklist_id>/copy",
        editing.PreparationChecklistCopyApi.as_view(),
        name="preparation-checklist-copy",
    ),
    path(
        "preparation-checklists/<uuid:checklist_id>/revisions",
        editing.PreparationChecklistReviseApi.as_view(),
        name="preparation-checklist-revise",
    ),
    path("education-libraries", editing.EducationLibraryListApi.as_view(), name="education-library-list"),
    path(
        "education-libraries/<uuid:library_id>",
        editing.EducationLibraryDetailApi.as_view(),
        name="education-library-detail",
    ),
    path(
        "education-libraries/<uuid:library_id>/copy",
        editing.EducationLibraryCopyApi.as_view(),
        name="education-library-copy",
    ),
    path(
        "education-libraries/<uuid:library_id>/revisions",
        editing.EducationLibraryReviseApi.as_view(),
        name="education-library-revise",
    ),
]
