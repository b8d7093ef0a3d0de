"""The authorization matrix's rows for the records around a procedure: the clinicians' screening and adverse events,
and the patient's preparation and education. Read the top of tests/access_matrix.py first: the same actors, presets,
World and rules; tests/test_access_matrix.py runs these rows with the others.
"""

from __future__ import annotations

import datetime as dt

from tests.access_matrix_paths import (
    alice,
    alice_and_her_adverse_event,
    alice_and_her_adverse_event_draft,
    alice_and_her_procedure,
    alice_and_her_scheduled_procedure,
    alices_checklist_item,
    an_article,
)
from tests.access_matrix_world import Entry, Expect, alice_only, alices_record, path_patient, patients_and_caregivers
from tests.support import adverse_event_body, json_ready, screening_body

PROCEDURE_MATRIX: list[Entry] = [
    # --- Recovery: screening and adverse events (the clinicians' records of Alice) ------------------------------------
    # Her care team and clinic admins read them (logged); only clinicians write them (a clinic admin: 403); Alice is
    # refused by role after the lookup (she gets them in her data export); outsiders 404.
    Entry(
        "patient-procedure-screening",
        "GET",
        alices_record(200, alice=403),
        path=alice_and_her_procedure,
        phi=path_patient,
    ),
    Entry(
        "patient-procedure-screening-history",
        "GET",
        alices_record(200, alice=403),
        path=alice_and_her_procedure,
        phi=path_patient,
    ),
    Entry(
        "patient-procedure-screening",
        "PUT",
        Expect(401, 403, 404, 200, 404, 404, 403, 404),
        path=alice_and_her_scheduled_procedure,
        body=lambda w: screening_body(imaging_date=(w.alice_profile.local_today() - dt.timedelta(days=30)).isoformat()),
        phi=path_patient,
    ),
    Entry("patient-adverse-event-list", "GET", alices_record(200, alice=403), path=alice, phi=path_patient),
    Entry(
        "patient-adverse-event-list",
        "POST",
        Expect(401, 403, 404, 201, 404, 404, 403, 404),
        path=alice,
        body=lambda w: {
            "procedure": str(w.alice_procedure.pk),
            **json_ready(adverse_event_body(w.alice_procedure.procedure_date)),
        },
        phi=path_patient,
    ),
    Entry(
        "patient-adverse-event-detail",
        "GET",
        alices_record(200, alice=403),
        path=alice_and_her_adverse_event,
        phi=path_patient,
    ),
    Entry(
        "patient-adverse-event-detail",
        "PATCH",
        Expect(401, 403, 404, 200, 404, 404, 403, 404),
        path=alice_and_her_adverse_event,
        body=lambda w: {"outcome": "resolved", "resolved_date": w.alice_profile.local_today().isoformat()},
        phi=path_patient,
    ),
    Entry(
        "patient-adverse-event-dismiss",
        "POST",
        Expect(401, 403, 404, 200, 404, 404, 403, 404),
        path=alice_and_her_adverse_event_draft,
        body=lambda w: {"reason": "A visit for her eyes, unrelated to the procedure."},
        phi=path_patient,
    ),
    # --- Before the procedure: preparation and education (journey) --------------------------------------------------
    # Each patient's own countdown, checklist and library; staff have none (role gate).
    Entry("me-preparation", "GET", patients_and_caregivers(200)),
    Entry("me-education", "GET", patients_and_caregivers(200)),
    # Alice ticks an item of her own checklist (her blood thinner); it is on nobody else's list: 404.
    # A caregiver ticks it for her with her "log" grant.
    Entry(
        "me-preparation-item",
        "PUT",
        alice_only(201, caregiver=201),
        path=alices_checklist_item,
        body=lambda w: {"done": True},
    ),
    # Reading an article of the library (every clinic's patients have the shipped default); staff have no reads: 404.
    # Reading is the patient's own act: a caregiver reading an article records nothing for her (404, like staff).
    Entry(
        "me-article-read",
        "PUT",
        Expect(401, 201, 201, 404, 404, 404, 404, 404, caregiver_a=404, revoked_caregiver=404, caregiver_b=404),
        path=an_article,
        shared=True,
    ),
    # Her procedure's preparation: Alice, her care team, her clinic's admins; staff reads logged.
    Entry(
        "patient-procedure-preparation",
        "GET",
        alices_record(200),
        path=alice_and_her_scheduled_procedure,
        phi=path_patient,
    ),
    # Entering blood thinners and the arrival time is a clinician's decision: Alice and Frank 403 after the lookup.
    Entry(
        "patient-procedure-preparation",
        "PUT",
        Expect(401, 403, 404, 200, 404, 404, 403, 404),
        path=alice_and_her_scheduled_procedure,
        body=lambda w: {
            "arrival_time": "07:30",
            "blood_thinners": [
                {"medicine": "Clopidogrel", "stop_on": w.scheduled_procedure.procedure_date.isoformat()}
            ],
        },
        phi=path_patient,
    ),
    # Which articles she was offered and read: Alice, her care team, her clinic's admins; staff reads logged.
    Entry("patient-education", "GET", alices_record(200), path=alice, phi=path_patient),
]
