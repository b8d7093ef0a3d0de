"""The authorization matrix of the FHIR API (interop): every route under /fhir/r4/ and /api/v1/me/export.fhir.

Read the top of tests/access_matrix.py first: the same actors, presets, World and rules. Alice's FHIR record is her
procedure (with its milestones and exercise plan), today's check-in, a baseline pain rating and her open alert.
Resource ids of other kinds than hers: the Practitioner and Organization of her clinic (`clinic_wide`: Riverside's,
no patient's), and the shipped Questionnaires and CodeSystem (`shared`: nobody's data).
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from interop import services as interop_services
from interop.models import ExportJob
from interop.registry import FINDERS
from tests.access_matrix import (
    Entry,
    Expect,
    Kwargs,
    World,
    admins_only,
    alice,
    alices_record,
    path_patient,
    patients_only,
    signed_in,
)
from tests.factories import AssessmentFactory


def _memo(world: World, key: str, make: Any) -> Any:
    if key not in world.__dict__:
        world.__dict__[key] = make()
    return world.__dict__[key]


def alices_fhir_ids(world: World) -> dict[str, str]:
    """Alice's record, made once per test, and the FHIR id of one resource of hers of each kind."""

    def make() -> dict[str, str]:
        procedure = world.alice_procedure
        checkin = world.alice_checkin
        assessment = AssessmentFactory(procedure=procedure, local_date=procedure.procedure_date)
        alert = world.alice_alert
        adverse_event = world.alice_adverse_event
        return {
            "Patient": str(world.cast.alice.pk),
            "CareTeam": str(world.cast.alice.pk),
            "Procedure": str(procedure.pk),
            "Observation": f"ci-{checkin.pk}-back-pain",
            "QuestionnaireResponse": f"as-{assessment.pk}",
            "CarePlan": f"exercise-{procedure.exercise_plan.pk}",
            "Goal": str(procedure.milestones.order_by("opens_on").first().pk),
            "Flag": str(alert.pk),
            "AdverseEvent": str(adverse_event.pk),
            "Practitioner": str(world.cast.carol.pk),
            "Organization": str(world.cast.riverside.pk),
            "Questionnaire": "odi",
            "CodeSystem": "mild-recovery",
        }

    return _memo(world, "_fhir_ids", make)


def with_alices_record(world: World) -> Kwargs:
    alices_fhir_ids(world)
    return {}


def alices_resource(resource_type: str) -> Any:
    return lambda world: {"resource_id": alices_fhir_ids(world)[resource_type]}


def riverside_export(world: World) -> ExportJob:
    """A finished export of Riverside (Alice and Bob), started by Frank."""

    def make() -> ExportJob:
        alices_fhir_ids(world)
        job = interop_services.export_kickoff(
            by=world.cast.frank, clinic=world.cast.riverside, types=["Patient", "Observation"], since=None,
            request_url="https://app.test/fhir/r4/$export",
        )  # fmt: skip
        interop_services.export_run(job.pk)
        return job

    return _memo(world, "_fhir_export", make)


def the_export(world: World) -> Kwargs:
    return {"job_id": riverside_export(world).pk}


def the_exported_patients_file(world: World) -> Kwargs:
    return {"job_id": riverside_export(world).pk, "name": "Patient.ndjson"}


def bundle_patients(world: World, body: Any) -> set[uuid.UUID] | None:
    """The patients whose data is in a searchset Bundle (a Patient by id, anything else by its subject); None when
    the page holds nobody's data (a clinician whose patients have none of this kind)."""
    found = set()
    for item in body.get("entry", []):
        resource = item["resource"]
        if resource["resourceType"] == "Patient":
            found.add(uuid.UUID(resource["id"]))
        elif "subject" in resource:
            found.add(uuid.UUID(resource["subject"]["reference"].removeprefix("Patient/")))
    return found or None


def ndjson_patients(world: World, body: Any) -> set[uuid.UUID]:
    """The patients of an exported Patient file: each download is a read of each of them."""
    return {uuid.UUID(json.loads(line)["id"]) for line in body.decode().splitlines()}


# Riverside's own records: Riverside's people (patients and staff) see them, Hillside's staff get 404.
RIVERSIDE = Expect(401, 200, 200, 200, 200, 404, 200, 404)
# Alice's care team's clinician (Carol): Alice and Riverside's staff; Bob (not his care team) and Hillside 404.
ALICES_CLINICIAN = Expect(401, 200, 404, 200, 200, 404, 200, 404)
# Riverside's export, addressed by id: only Riverside's clinic admin (Frank); anyone else 404.
FRANK_ONLY = Expect(401, 404, 404, 404, 404, 404, 200, 404)
ASYNC = {"Prefer": "respond-async"}

FHIR_MATRIX: list[Entry] = [
    # The CapabilityStatement: public, as FHIR clients read it before signing in.
    Entry("fhir-metadata", "GET", Expect(200, 200, 200, 200, 200, 200, 200, 200)),
    # Anything else under /fhir/r4/ ("Foo" here): 400 naming the unknown type, for anyone signed in.
    Entry("fhir-unknown", "GET", signed_in(400), path=lambda w: {"path": "Foo"}, shared=True),
    # Everything about Alice at once: Alice, Carol, Frank; one logged read for staff.
    Entry("fhir-patient-everything", "GET", alices_record(200), path=alice, phi=path_patient),
    # Bulk export of the actor's clinic: clinic admins only (each their own clinic).
    Entry("fhir-export", "GET", admins_only(202), headers=ASYNC),
    # Riverside's group: its admin; Riverside's patients and clinicians are refused by role; Hillside's staff 404.
    Entry(
        "fhir-group-export",
        "GET",
        Expect(401, 403, 403, 403, 403, 404, 202, 404),
        path=lambda w: {"group_id": w.cast.riverside.pk},
        headers=ASYNC,
        clinic_wide=True,
    ),
    # Frank's finished export: its manifest, its cancellation, a file (a logged read of each patient in it).
    Entry("fhir-export-status", "GET", FRANK_ONLY, path=the_export, clinic_wide=True),
    Entry(
        "fhir-export-status",
        "DELETE",
        Expect(401, 404, 404, 404, 404, 404, 202, 404),
        path=the_export,
        clinic_wide=True,
    ),
    Entry(
        "fhir-export-file", "GET", FRANK_ONLY, path=the_exported_patients_file, phi=ndjson_patients, clinic_wide=True
    ),
    # The patient's own record as a FHIR Bundle; staff have none (role gate). Needs a recent sign-in.
    Entry("me-export-fhir", "GET", patients_only(200)),
]

for _name, _finder in FINDERS.items():
    _route = f"fhir-{_name.lower()}"
    if _finder.patient_data:
        # Search: everyone signed in sees the resources of the patients they may see; staff reads logged per patient.
        FHIR_MATRIX.append(
            Entry(f"{_route}-search", "GET", signed_in(200), path=with_alices_record, phi=bundle_patients)
        )
        # Read by id: Alice's resource: Alice, Carol, Frank; everyone else 404; staff reads logged.
        FHIR_MATRIX.append(
            Entry(f"{_route}-read", "GET", alices_record(200), path=alices_resource(_name), phi=path_patient)
        )
        continue
    # Nobody's data: staff of the clinic, the shipped questionnaires and code system.
    FHIR_MATRIX.append(Entry(f"{_route}-search", "GET", signed_in(200), path=with_alices_record))
    if _name == "Practitioner":
        expect, kinds = ALICES_CLINICIAN, {"clinic_wide": True}
    elif _name == "Organization":
        expect, kinds = RIVERSIDE, {"clinic_wide": True}
    else:
        expect, kinds = signed_in(200), {"shared": True}
    FHIR_MATRIX.append(Entry(f"{_route}-read", "GET", expect, path=alices_resource(_name), **kinds))
