"""The preparation checklist and the education library over HTTP, for the care team: the shipped default's versions
and the clinic's own; clinic admins copy a version for their clinic (once) and save edits as new versions. Mirrors
recovery/api/protocols.py."""

from __future__ import annotations

import uuid

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.access import StaffApi
from accounts.authentication import signed_in
from accounts.models import Clinic, User
from accounts.permissions import IsClinicAdmin, IsClinicStaff
from journey import editing
from journey.editing_serializers import ChecklistOut, ChecklistRevisionIn, LibraryDefinitionOut, LibraryRevisionIn
from journey.models import EducationLibrary, PreparationProtocol


def _clinic_of(user: User) -> Clinic:
    assert user.clinic is not None  # noqa: S101 (clinic admins always have a clinic)
    return user.clinic


# --- Preparation checklists -------------------------------------------------------------------------------------------


class PreparationChecklistListApi(StaffApi[PreparationProtocol]):
    """Every version of the shipped default checklist and of the clinic's own, newest first."""

    pagination_class = None  # a short list, returned whole

    @extend_schema(responses=ChecklistOut(many=True))
    def get(self, request: Request) -> Response:
        versions = editing.preparation_protocols_listed(signed_in(request))
        return Response(ChecklistOut([editing.checklist_definition(v) for v in versions], many=True).data)


class PreparationChecklistDetailApi(GenericAPIView[PreparationProtocol]):
    @extend_schema(responses=ChecklistOut)
    def get(self, request: Request, checklist_id: uuid.UUID) -> Response:
        protocol = editing.access_preparation_protocol(request, checklist_id, role=IsClinicStaff)
        return Response(ChecklistOut(editing.checklist_definition(protocol)).data)


class PreparationChecklistCopyApi(GenericAPIView[PreparationProtocol]):
    """Make the clinic's own editable copy of a checklist version, with its translations (once: 409 after)."""

    @extend_schema(request=None, responses={201: ChecklistOut})
    def post(self, request: Request, checklist_id: uuid.UUID) -> Response:
        source = editing.access_preparation_protocol(request, checklist_id, role=IsClinicAdmin)
        copy = editing.preparation_copy_for_clinic(
            clinic=_clinic_of(signed_in(request)), source=source, by=signed_in(request)
        )
        return Response(ChecklistOut(editing.checklist_definition(copy)).data, status=status.HTTP_201_CREATED)


class PreparationChecklistReviseApi(GenericAPIView[PreparationProtocol]):
    """Save an edited checklist as the clinic's next version (send the whole definition, as a version shows it).
    Procedures whose preparation has begun (the clinic entered its plan, or the patient ticked an item) keep their
    version; the others follow this one."""

    @extend_schema(request=ChecklistRevisionIn, responses={201: ChecklistOut})
    def post(self, request: Request, checklist_id: uuid.UUID) -> Response:
        protocol = editing.access_preparation_protocol(request, checklist_id, role=IsClinicAdmin)
        data = ChecklistRevisionIn(data=request.data)
        data.is_valid(raise_exception=True)
        revised = editing.preparation_revise(protocol=protocol, by=signed_in(request), **data.validated_data)
        return Response(ChecklistOut(editing.checklist_definition(revised)).data, status=status.HTTP_201_CREATED)


# --- Education libraries ----------------------------------------------------------------------------------------------


class EducationLibraryListApi(StaffApi[EducationLibrary]):
    """Every version of the shipped default library and of the clinic's own, newest first, with their articles."""

    pagination_class = None

    @extend_schema(responses=LibraryDefinitionOut(many=True))
    def get(self, request: Request) -> Response:
        versions = editing.education_libraries_listed(signed_in(request))
        return Response(LibraryDefinitionOut([editing.library_definition(v) for v in versions], many=True).data)


class EducationLibraryDetailApi(GenericAPIView[EducationLibrary]):
    @extend_schema(responses=LibraryDefinitionOut)
    def get(self, request: Request, library_id: uuid.UUID) -> Response:
        library = editing.access_education_library(request, library_id, role=IsClinicStaff)
        return Response(LibraryDefinitionOut(editing.library_definition(library)).data)


class EducationLibraryCopyApi(GenericAPIView[EducationLibrary]):
    """Make the clinic's own editable copy of a library version, articles and translations too (once: 409 after)."""

    @extend_schema(request=None, responses={201: LibraryDefinitionOut})
    def post(self, request: Request, library_id: uuid.UUID) -> Response:
        source = editing.access_education_library(request, library_id, role=IsClinicAdmin)
        copy = editing.education_copy_for_clinic(
            clinic=_clinic_of(signed_in(request)), source=source, by=signed_in(request)
        )
        return Response(LibraryDefinitionOut(editing.library_definition(copy)).data, status=status.HTTP_201_CREATED)


class EducationLibraryReviseApi(GenericAPIView[EducationLibrary]):
    """Save an edited library (every article, in order) as the clinic's next version: what its patients are offered
    from now on."""

    @extend_schema(request=LibraryRevisionIn, responses={201: LibraryDefinitionOut})
    def post(self, request: Request, library_id: uuid.UUID) -> Response:
        library = editing.access_education_library(request, library_id, role=IsClinicAdmin)
        data = LibraryRevisionIn(data=request.data)
        data.is_valid(raise_exception=True)
        revised = editing.education_revise(library=library, by=signed_in(request), **data.validated_data)
        return Response(LibraryDefinitionOut(editing.library_definition(revised)).data, status=status.HTTP_201_CREATED)
