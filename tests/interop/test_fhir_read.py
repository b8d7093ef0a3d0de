"""The FHIR R4 read API: every resource type validates with fhir.resources and round-trips; reads equal search
entries; codes, search parameters and paging; scoping (404) and the PHI access log."""

from __future__ import annotations

import pytest

from accounts.models import PHIAccess
from interop.registry import FINDERS
from tests.interop.support import FHIR, all_pages, fhir_valid, get, record_of, signed_in_just_now

pytestmark = pytest.mark.django_db

LOINC = "http://loinc.org"


@pytest.fixture
def alice_record(cast):
    return record_of(cast.alice_profile, cast.carol)


def test_every_resource_type_is_valid_fhir_and_reads_back_the_same(cast, client_for, alice_record) -> None:
    # Given Alice's record, read by her primary clinician
    carol = client_for(cast.carol)
    seen = {}
    for resource_type in FINDERS:
        # When Carol searches each type
        resources = all_pages(carol, f"{FHIR}/{resource_type}")
        assert resources, f"no {resource_type} in Alice's record"
        for resource in resources:
            # Then every resource is valid FHIR and round-trips, and reading it by id gives the same resource
            assert resource["resourceType"] == resource_type
            fhir_valid(resource)
            read = get(carol, f"{FHIR}/{resource_type}/{resource['id']}")
            assert read.status_code == 200, read.content
            assert read["Content-Type"].startswith("application/fhir+json")
            assert read.json() == resource
        seen[resource_type] = resources
    observations = seen["Observation"]
    # 5 check-ins x (back, leg, walking, standing, medication) + 3 with steps; pain 2, ODI 1, ZCQ 2 (no satisfaction
    # at baseline), tolerance 2
    assert len(observations) == 5 * 5 + 3 + 2 + 1 + 2 + 2
    assert {r["id"] for r in seen["QuestionnaireResponse"]} >= {o["derivedFrom"][0]["reference"].split("/")[1]
                                                               for o in observations}  # fmt: skip
    assert {r["id"] for r in seen["Questionnaire"]} == {"odi", "zcq", "pain", "tolerance", "daily-check-in"}


def test_observations_carry_loinc_codes_and_utc_times(cast, client_for, alice_record) -> None:
    carol = client_for(cast.carol)
    pain = all_pages(carol, f"{FHIR}/Observation", code=f"{LOINC}|72514-3", patient=str(cast.alice.pk))
    # back and leg pain of 5 check-ins and of the baseline pain rating
    assert len(pain) == 12
    assert {o["bodySite"]["text"] for o in pain} == {"Lower back", "Legs"}
    assert all(o["effectiveDateTime"].endswith("Z") for o in pain)
    steps = all_pages(carol, f"{FHIR}/Observation", category="activity")
    assert [o["code"]["coding"][0]["code"] for o in steps] == ["41950-7"] * 3
    assert [o["valueQuantity"]["value"] for o in steps] == [2000, 2200, 2400]
    (odi,) = all_pages(carol, f"{FHIR}/Observation", code="97909-6")
    assert odi["valueQuantity"] == {"value": 51.1, "unit": "%", "system": "http://unitsofmeasure.org", "code": "%"}
    zcq = all_pages(carol, f"{FHIR}/Observation", code="zcq-symptom-severity,zcq-physical-function")
    assert sorted(o["valueQuantity"]["value"] for o in zcq) == [3.0, 3.9]


def test_date_and_last_updated_narrow_the_search(cast, client_for, alice_record) -> None:
    carol = client_for(cast.carol)
    # Check-ins on Sept 2-6 2026 (19:00 New York = 23:00 UTC)
    between = all_pages(carol, f"{FHIR}/QuestionnaireResponse", date=["ge2026-09-03", "le2026-09-04"])
    assert [r["authored"][:10] for r in between] == ["2026-09-03", "2026-09-04"]
    none_later = all_pages(carol, f"{FHIR}/QuestionnaireResponse", _lastUpdated="gt2026-09-07")
    assert none_later == []
    procedures = all_pages(carol, f"{FHIR}/Procedure", date="2026-09-01", code="http://www.ama-assn.org/go/cpt|0275T")
    assert [p["performedDateTime"] for p in procedures] == ["2026-09-01"]
    assert all_pages(carol, f"{FHIR}/Procedure", code="http://loinc.org|0275T") == []


def test_paging_walks_every_result_once(cast, client_for, alice_record) -> None:
    carol = client_for(cast.carol)
    everything = all_pages(carol, f"{FHIR}/Observation")
    paged = all_pages(carol, f"{FHIR}/Observation", _count=7)
    assert [o["id"] for o in paged] == [o["id"] for o in everything]
    second = get(carol, f"{FHIR}/Observation", _count=7, _offset=7).json()
    links = {link["relation"]: link["url"] for link in second["link"]}
    assert set(links) == {"self", "next", "previous"}
    assert "_offset=0" in links["previous"] and "_offset=14" in links["next"]
    assert second["total"] == len(everything)
    count_only = get(carol, f"{FHIR}/Observation", _count=0).json()
    assert count_only["total"] == len(everything) and "entry" not in count_only


def test_bad_search_input_is_an_operation_outcome(cast, client_for, alice_record) -> None:
    carol = client_for(cast.carol)
    unknown = get(carol, f"{FHIR}/Observation", subject="x", **{"code:text": "pain"})
    assert unknown.status_code == 400
    outcome = fhir_valid(unknown.json())
    assert outcome["resourceType"] == "OperationOutcome"
    assert "code:text, subject" in outcome["issue"][0]["diagnostics"]
    lenient = carol.get(f"{FHIR}/Observation", {"subject": "x", "_count": 2}, HTTP_PREFER="handling=lenient")
    assert lenient.status_code == 200
    assert "subject" not in lenient.json()["link"][0]["url"]
    too_many = get(carol, f"{FHIR}/Observation", _count=201)
    assert too_many.status_code == 400
    assert "over the maximum of 200" in too_many.json()["issue"][0]["diagnostics"]
    for params in ({"date": "2026-13-01"}, {"date": "ap2026"}, {"date": "2026-09-01T10:00"}, {"patient": "nobody"}):
        response = get(carol, f"{FHIR}/Observation", **params)
        assert response.status_code == 400, params
        fhir_valid(response.json())
    unknown_type = get(carol, f"{FHIR}/Device")
    assert unknown_type.status_code == 400
    assert "'Device'" in unknown_type.json()["issue"][0]["diagnostics"]
    assert get(carol, f"{FHIR}/Patient/{cast.alice.pk}/_history").status_code == 404


def test_other_clinics_and_other_patients_get_404(cast, client_for, alice_record) -> None:
    carol = client_for(cast.carol)
    ids = {t: all_pages(carol, f"{FHIR}/{t}", _count=1)[0]["id"] for t in FINDERS if FINDERS[t].patient_data}
    for actor in (cast.bob, cast.dave, cast.erin, cast.grace):
        client = client_for(actor)
        for resource_type, resource_id in ids.items():
            response = get(client, f"{FHIR}/{resource_type}/{resource_id}")
            assert response.status_code == 404, (actor, resource_type)
            assert response.json()["issue"][0]["code"] == "not-found"
        assert get(client, f"{FHIR}/Observation", patient=str(cast.alice.pk)).json()["total"] == 0
    assert get(client_for(cast.erin), f"{FHIR}/Organization/{cast.riverside.pk}").status_code == 404
    assert not PHIAccess.objects.exclude(actor=cast.carol).exists()


def test_staff_reads_are_logged_once_per_patient(cast, client_for, alice_record) -> None:
    carol, frank = client_for(cast.carol), client_for(cast.frank)
    get(carol, f"{FHIR}/Observation", _count=50)
    get(frank, f"{FHIR}/Patient")
    get(carol, f"{FHIR}/Practitioner")
    get(client_for(cast.alice), f"{FHIR}/Observation")
    rows = set(PHIAccess.objects.values_list("actor", "patient", "resource"))
    assert PHIAccess.objects.count() == 3
    assert rows == {
        (cast.carol.pk, cast.alice.pk, "fhir.Observation.search"),
        (cast.frank.pk, cast.alice.pk, "fhir.Patient.search"),
        (cast.frank.pk, cast.bob.pk, "fhir.Patient.search"),
    }


def test_patient_everything_is_the_whole_record_in_one_logged_read(cast, client_for, alice_record) -> None:
    response = get(client_for(cast.carol), f"{FHIR}/Patient/{cast.alice.pk}/$everything")
    assert response.status_code == 200
    bundle = fhir_valid(response.json())
    types = {item["resource"]["resourceType"] for item in bundle["entry"]}
    assert types == set(FINDERS) - {"CodeSystem", "Questionnaire"}
    assert PHIAccess.objects.filter(actor=cast.carol, patient=cast.alice.pk).count() == 1
    assert get(client_for(cast.erin), f"{FHIR}/Patient/{cast.alice.pk}/$everything").status_code == 404


def test_patient_downloads_their_own_record_as_a_fhir_bundle(cast, client_for, alice_record) -> None:
    response = signed_in_just_now(client_for(cast.alice), cast.alice).get("/api/v1/me/export.fhir")
    assert response.status_code == 200
    bundle = fhir_valid(response.json())
    assert bundle["type"] == "collection"
    patients = [i["resource"] for i in bundle["entry"] if i["resource"]["resourceType"] == "Patient"]
    assert [p["id"] for p in patients] == [str(cast.alice.pk)]
    assert client_for(cast.carol).get("/api/v1/me/export.fhir").status_code == 403
