"""The recovery protocol over HTTP: the shipped default and the clinic's own versions."""

from __future__ import annotations

import uuid

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.access import StaffApi
from accounts.authentication import signed_in
from accounts.permissions import IsClinicAdmin, IsClinicStaff
from recovery import selectors, services
from recovery.access import access_protocol
from recovery.models import (
    Protocol,
)
from recovery.protocol_serializers import (
    ProtocolOut,
    ProtocolRevisionIn,
)


class ProtocolListApi(StaffApi[Protocol]):
    """Every version of the shipped default and of the clinic's own protocol, newest first."""

    pagination_class = None  # a short list, returned whole

    @extend_schema(responses=ProtocolOut(many=True))
    def get(self, request: Request) -> Response:
        return Response(ProtocolOut(selectors.protocols_listed(signed_in(request)), many=True).data)


class ProtocolDetailApi(GenericAPIView[Protocol]):
    @extend_schema(responses=ProtocolOut)
    def get(self, request: Request, protocol_id: uuid.UUID) -> Response:
        return Response(ProtocolOut(access_protocol(request, protocol_id, role=IsClinicStaff)).data)


class ProtocolCopyApi(GenericAPIView[Protocol]):
    """Make the clinic's own editable copy of a protocol (once)."""

    @extend_schema(request=None, responses={201: ProtocolOut})
    def post(self, request: Request, protocol_id: uuid.UUID) -> Response:
        source = access_protocol(request, protocol_id, role=IsClinicAdmin)
        user = signed_in(request)
        assert user.clinic is not None  # noqa: S101 (clinic admins always have a clinic)
        copy = services.protocol_copy_for_clinic(clinic=user.clinic, by=user, source=source)
        return Response(ProtocolOut(selectors.protocol_visible(user, copy.pk)).data, status=status.HTTP_201_CREATED)


class ProtocolReviseApi(GenericAPIView[Protocol]):
    """Save an edited protocol as its next version (send the whole definition). Procedures already started keep
    their version; new ones start on this one."""

    @extend_schema(request=ProtocolRevisionIn, responses={201: ProtocolOut})
    def post(self, request: Request, protocol_id: uuid.UUID) -> Response:
        protocol = access_protocol(request, protocol_id, role=IsClinicAdmin)
        data = ProtocolRevisionIn(data=request.data)
        data.is_valid(raise_exception=True)
        user = signed_in(request)
        revised = services.protocol_revise(protocol=protocol, by=user, **data.validated_data)
        return Response(ProtocolOut(selectors.protocol_visible(user, revised.pk)).data, status=status.HTTP_201_CREATED)
