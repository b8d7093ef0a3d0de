"""The authorization matrix's rows for the clinic's own preparation checklist and education library (journey's
editing routes), the same rules as the recovery protocol's rows. Read the top of tests/access_matrix.py first: the
same actors, presets, World and rules; tests/test_access_matrix.py runs these rows with the others.

Path ids: the shipped default version (`shared`: library content every clinic's staff see) and Riverside's own copy,
made by Frank (`clinic_wide`: Riverside's, no patient's).
"""

from __future__ import annotations

from typing import Any

from journey import editing
from journey.editing_serializers import ChecklistOut, LibraryDefinitionOut
from journey.models import EducationLibrary, PreparationProtocol
from tests.access_matrix import Entry, Expect, Kwargs, World, staff_only


def _memo(world: World, key: str, make: Any) -> Any:
    if key not in world.__dict__:
        world.__dict__[key] = make()
    return world.__dict__[key]


def _riverside_checklist(world: World) -> PreparationProtocol:
    return _memo(
        world,
        "riverside_checklist",
        lambda: editing.preparation_copy_for_clinic(
            clinic=world.cast.riverside,
            source=PreparationProtocol.objects.get(clinic__isnull=True, version=1),
            by=world.cast.frank,
        ),
    )


def _riverside_library(world: World) -> EducationLibrary:
    return _memo(
        world,
        "riverside_library",
        lambda: editing.education_copy_for_clinic(
            clinic=world.cast.riverside,
            source=EducationLibrary.objects.get(clinic__isnull=True, version=1),
            by=world.cast.frank,
        ),
    )


def riversides_checklist(world: World) -> Kwargs:
    return {"checklist_id": _riverside_checklist(world).pk}


def the_default_checklist(world: World) -> Kwargs:
    return {"checklist_id": PreparationProtocol.objects.get(clinic__isnull=True, version=1).pk}


def riversides_library(world: World) -> Kwargs:
    return {"library_id": _riverside_library(world).pk}


def the_default_library(world: World) -> Kwargs:
    return {"library_id": EducationLibrary.objects.get(clinic__isnull=True, version=1).pk}


def checklist_definition(world: World) -> Kwargs:
    """Riverside's checklist as the API shows it, sent back as its next version."""
    shown = ChecklistOut(editing.checklist_definition(_riverside_checklist(world))).data
    return {"name": shown["name"], "change_note": "Same again.", "items": shown["items"],
            "medicine_item": shown["medicine_item"]}  # fmt: skip


def library_definition(world: World) -> Kwargs:
    """Riverside's library as the API shows it, sent back as its next version."""
    library = _riverside_library(world)
    shown = LibraryDefinitionOut(editing.library_definition(library)).data
    return {"name": shown["name"], "change_note": "Same again.", "articles": shown["articles"]}


EDITING_MATRIX: list[Entry] = []
for _kind, _own, _default, _body in (
    ("preparation-checklist", riversides_checklist, the_default_checklist, checklist_definition),
    ("education-library", riversides_library, the_default_library, library_definition),
):
    EDITING_MATRIX += [
        # The shipped default's versions and the staff's own clinic's; patients and caregivers: role gate.
        Entry(f"{_kind}-list", "GET", staff_only(200)),
        # Riverside's own version: Riverside's staff read it; the other clinic's staff get 404 (not theirs);
        # Riverside's patients 403 after the lookup (a staff tool).
        Entry(f"{_kind}-detail", "GET", Expect(401, 403, 403, 200, 200, 404, 200, 404), path=_own, clinic_wide=True),
        # Clinic admins copy the shipped default for their own clinic (library content, so shared); others 403.
        Entry(f"{_kind}-copy", "POST", Expect(401, 403, 403, 403, 403, 403, 201, 201), path=_default, shared=True),
        # Riverside's admin saves the next version of Riverside's own; the other clinic's staff 404; Riverside's
        # clinicians and patients 403 after the lookup.
        Entry(
            f"{_kind}-revise",
            "POST",
            Expect(401, 403, 403, 403, 403, 404, 201, 404),
            path=_own,
            body=_body,
            clinic_wide=True,
        ),
    ]
