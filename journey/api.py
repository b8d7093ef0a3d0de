"""Journey API: the patient's preparation (/me/preparation), education (/me/education) and the care team's view of
both (/patients/{id}/procedures/{pid}/preparation, /patients/{id}/education)."""

from __future__ import annotations

import uuid

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.access import (
    IsClinician,
    PatientOrCaregiverApi,
    PatientOrCaregiverRecordApi,
    PatientRecordApi,
    access_own_patient,
    access_patient,
    patient_read_log,
    role_require,
)
from accounts.authentication import signed_in
from accounts.models import Grant
from journey import selectors, services
from journey.models import ArticleRead, EducationArticle, PreparationTick, ProcedurePreparation
from journey.serializers import (
    ArticleOut,
    EducationOut,
    PatientEducationOut,
    PreparationOut,
    PreparationPlanIn,
    ProcedurePreparationOut,
    TickIn,
    TickOut,
)
from recovery import selectors as recovery_selectors
from recovery.access import access_procedure
from recovery.models import Procedure

# --- The patient's own ------------------------------------------------------------------------------------------------


class MyPreparationApi(PatientOrCaregiverApi[ProcedurePreparation]):
    """When your next procedure is scheduled: the countdown ("Your procedure is in 6 days"), your preparation checklist
    (from your clinic's checklist, with the blood thinners and arrival time your clinic entered) and the baseline
    questions still to answer. `procedure` is null when no procedure is scheduled."""

    @extend_schema(responses=PreparationOut)
    def get(self, request: Request) -> Response:
        return Response(
            PreparationOut(selectors.my_preparation(access_own_patient(request, caregiver=Grant.VIEW))).data
        )


class MyPreparationItemApi(PatientOrCaregiverRecordApi[PreparationTick]):
    """Tick (`{"done": true}`) or untick an item of your checklist, by its key. Safe to send again: a ticked item keeps
    the time it was first ticked. 201 when it changed, 200 when it was already so. An item that is not on your
    checklist is 404."""

    @extend_schema(request=TickIn, responses={200: TickOut, 201: TickOut})
    def put(self, request: Request, item_key: str) -> Response:
        patient = access_own_patient(request, caregiver=Grant.LOG)
        data = TickIn(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            result = services.preparation_tick(patient=patient, item_key=item_key, done=data.validated_data["done"])
        except services.NotOnChecklist as exc:
            raise NotFound(_("This item is not on your preparation checklist.")) from exc
        return Response(TickOut(result).data, status=status.HTTP_201_CREATED if result.changed else status.HTTP_200_OK)


class MyEducationApi(PatientOrCaregiverApi[EducationArticle]):
    """Your clinic's articles: those for where you are in your journey now (`due`), then the rest, each with when you
    read it. Every article's full text is here, so the app can keep them readable offline."""

    @extend_schema(responses=EducationOut)
    def get(self, request: Request) -> Response:
        return Response(EducationOut(selectors.education_for(access_own_patient(request, caregiver=Grant.VIEW))).data)


class MyArticleReadApi(PatientRecordApi[ArticleRead]):
    """Record that you read an article (by its key). Reading it again keeps the first time: 201 the first time, 200
    after."""

    @extend_schema(request=None, responses={200: ArticleOut, 201: ArticleOut})
    def put(self, request: Request, article_key: str) -> Response:
        read, created = services.article_read(patient=access_own_patient(request), key=article_key)
        return Response(
            ArticleOut({"article": read.article, "read_at": read.read_at, "earlier_version_read_at": None}).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


# --- The care team's view ---------------------------------------------------------------------------------------------


def _procedure_preparation(procedure: Procedure) -> Response:
    body = selectors.preparation_of(procedure, procedure.patient.local_today())
    body["blood_thinners"] = selectors.blood_thinner_plans_of(procedure)
    body["protocol_version"] = selectors.preparation_protocol_of(procedure).version
    return Response(ProcedurePreparationOut(body).data)


class PatientProcedurePreparationApi(GenericAPIView[ProcedurePreparation]):
    """A procedure's preparation: the checklist with what the patient has and has not done (`open`), the baseline
    measures still missing, and the clinic's plan. PUT (clinicians): the arrival time and the whole list of blood
    thinners with their stop and restart dates (a stop date after the procedure date is refused); send a medicine's
    `id` back to keep it (and the patient's tick), leave it out to remove it."""

    @extend_schema(responses=ProcedurePreparationOut)
    def get(self, request: Request, patient_id: uuid.UUID, procedure_id: uuid.UUID) -> Response:
        return _procedure_preparation(access_procedure(request, patient_id, procedure_id))

    @extend_schema(request=PreparationPlanIn, responses=ProcedurePreparationOut)
    def put(self, request: Request, patient_id: uuid.UUID, procedure_id: uuid.UUID) -> Response:
        # Scope (404), then role (403); the read is logged once the plan is stored and answered with.
        patient = access_patient(request, patient_id, resource=None)
        procedure = recovery_selectors.procedure_of(patient, procedure_id)
        role_require(request, IsClinician)
        data = PreparationPlanIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.preparation_plan_set(procedure=procedure, by=signed_in(request), **data.validated_data)
        patient_read_log(request, [patient.pk], resource="journey.preparation")
        return _procedure_preparation(procedure)


class PatientEducationApi(GenericAPIView[ArticleRead]):
    """The articles offered to a patient now and the rest, with which ones the patient has read, and every read."""

    @extend_schema(responses=PatientEducationOut)
    def get(self, request: Request, patient_id: uuid.UUID) -> Response:
        patient = access_patient(request, patient_id, resource="journey.education")
        body = selectors.education_for(patient)
        body["reads"] = selectors.education_reads_of(patient)
        return Response(PatientEducationOut(body).data)
