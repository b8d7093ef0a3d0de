"""Alerts over HTTP: the triage list and every alert action (acknowledge, resolve, assign)."""

from __future__ import annotations

import uuid

from drf_spectacular.utils import extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.access import StaffApi, patient_read_log
from accounts.authentication import signed_in
from recovery import selectors, services
from recovery.access import access_alert, alert_read_log
from recovery.models import (
    Alert,
)
from recovery.serializers import (
    AlertAssignIn,
    AlertDetailOut,
    AlertFilterIn,
    AlertNoteIn,
    AlertOut,
    AlertResolveIn,
)


class AlertListApi(StaffApi[Alert]):
    """Alerts on the signed-in clinician's patients (a clinic admin: the clinic's), most serious and newest first."""

    @extend_schema(
        parameters=[AlertFilterIn],
        responses=AlertOut(many=True),
    )
    def get(self, request: Request) -> Response:
        filters = AlertFilterIn(data=request.query_params)
        filters.is_valid(raise_exception=True)
        given = filters.validated_data
        alerts = selectors.alerts_filtered(
            signed_in(request),
            tiers=given.get("tier", ()),
            states=given.get("state", ()),
            patient_id=given.get("patient"),
            assigned_to=given.get("assigned_to"),
        )
        page = self.paginate_queryset(alerts)
        assert page is not None  # noqa: S101
        patient_read_log(request, [a.patient_id for a in page], resource="recovery.alerts")
        return self.get_paginated_response(AlertOut(page, many=True).data)


class AlertDetailApi(GenericAPIView[Alert]):
    @extend_schema(responses=AlertDetailOut)
    def get(self, request: Request, alert_id: uuid.UUID) -> Response:
        return Response(AlertDetailOut(access_alert(request, alert_id)).data)


class AlertAcknowledgeApi(GenericAPIView[Alert]):
    @extend_schema(request=AlertNoteIn, responses=AlertDetailOut)
    def post(self, request: Request, alert_id: uuid.UUID) -> Response:
        alert = access_alert(request, alert_id)
        data = AlertNoteIn(data=request.data)
        data.is_valid(raise_exception=True)
        alert = services.alert_acknowledge(alert=alert, by=signed_in(request), note=data.validated_data["note"])
        return Response(AlertDetailOut(selectors.alert_detail(signed_in(request), alert.pk)).data)


class AlertResolveApi(GenericAPIView[Alert]):
    @extend_schema(request=AlertResolveIn, responses=AlertDetailOut)
    def post(self, request: Request, alert_id: uuid.UUID) -> Response:
        alert = access_alert(request, alert_id)
        data = AlertResolveIn(data=request.data)
        data.is_valid(raise_exception=True)
        alert = services.alert_resolve(alert=alert, by=signed_in(request), note=data.validated_data["note"])
        return Response(AlertDetailOut(selectors.alert_detail(signed_in(request), alert.pk)).data)


class AlertAssignApi(GenericAPIView[Alert]):
    """Assign an unresolved alert to a clinician on the patient's care team (`assignee: null` gives it back to the
    team). Recorded as an "assigned" or "unassigned" event. A colleague not on the care team is refused (400)."""

    @extend_schema(request=AlertAssignIn, responses=AlertDetailOut)
    def post(self, request: Request, alert_id: uuid.UUID) -> Response:
        alert = access_alert(request, alert_id, logged=False)
        data = AlertAssignIn(data=request.data)
        data.is_valid(raise_exception=True)
        alert_read_log(request, alert)
        user = signed_in(request)
        services.alert_assign(
            alert=alert, by=user, assignee_id=data.validated_data["assignee"], note=data.validated_data["note"]
        )
        return Response(AlertDetailOut(selectors.alert_detail(user, alert.pk)).data)
