"""The authorization matrix: every API endpoint x eleven actors -> the exact status each one gets.

tests/test_access_matrix.py walks the URL configuration and fails for any endpoint (route name, HTTP method) that has
no entry here, then makes every request as every actor and checks the status, the body and the PHI access log.

The actors come from the `cast` fixture (tests/conftest.py):

    anonymous                    nobody signed in
    patient_a                    Alice, Riverside patient; her care team is Dr Carol
    patient_b                    Bob, Riverside patient; his care team is Dr Dave
    a_clinician                  Dr Carol, Alice's primary clinician
    same_clinic_other_clinician  Dr Dave, Riverside, not on Alice's team
    other_clinic_clinician       Dr Erin, Hillside
    a_clinic_admin               Frank, Riverside's clinic admin
    other_clinic_admin           Grace, Hillside's clinic admin
    caregiver_a                  Anna, Alice's daughter and caregiver, with every grant; sends X-Patient: Alice
    revoked_caregiver            Rita, Alice's niece, whom Alice removed; still sends X-Patient: Alice
    caregiver_b                  Ben, Bob's son and caregiver, with every grant; sends X-Patient: Bob

Every id in a path is Alice's, or something of hers, or of her care team's (see `World`, in
tests/access_matrix_world.py with the presets and the path and PHI functions): so Bob, Dave, Erin, Grace, Rita
and Ben must get 404 from every route with a path id, exactly as for an id that does not exist (ARCHITECTURE.md:
"Not-yours is 404, never 403 and never data"). test_outsiders_get_404_from_every_path_with_an_id enforces that.
Role gates on collections (a patient asking for the staff list) are 403; anonymous callers get 401. On a path with an
id the lookup comes first (404 for whoever may not see the record) and the role gate after it (403 for, say, Alice
asking for her own alert, a clinicians' tool). Under /me/, an id names one of the signed-in patient's own records:
for anyone else, staff included (they have no such records), it is 404.

Two kinds of path id are not Alice's: `shared=True` marks library content every clinic sees (the shipped default
protocol); `clinic_wide=True` marks Riverside's own records that belong to no patient (Riverside's protocol), which
Riverside's people see according to their role and the other clinic's staff (Erin, Grace) must get 404 for.

How to add an endpoint (say `GET /api/v1/patients/<patient_id>/checkins`, named "patient-checkin-list")
--------------------------------------------------------------------------------------------------------------------
1. Name the route in the app's urls.py (with the app's namespace, if it has one: "recovery:patient-checkin-list").
2. Add one Entry per HTTP method the view allows to MATRIX below (OPTIONS and HEAD excepted), with a one-line
   comment saying why:

       # A patient's check-ins: the patient, her care team, her clinic's admins; staff reads are logged.
       Entry("patient-checkin-list", "GET", alices_record(200), path=alice, phi=path_patient),

   - `expect`: pick a preset (alices_record, alice_only, signed_in, patients_only, patients_and_caregivers,
     caregivers_only, staff_only, admins_only, everyone) or write Expect(...) naming the first eight actors; the
     caregivers then get what the patient they act for gets, Rita what Bob gets (see Expect), unless named too.
   - `path`: World -> URL kwargs. Objects the request needs (a check-in, an alert, a push subscription under /me/)
     get a cached property on World, built for Alice (or her care team), never for anyone else. Only a list that
     must not be empty for any actor holds one record per patient (World.alerts, World.accepted_invitations); a
     list route's path function makes them and returns {}.
   - `body`: World -> JSON for writes; make it valid, so the allowed actors really get their 2xx.
   - `phi`: for clinician/admin/caregiver reads of a patient's data: which patients the request read (`path_patient`, or
     `listed_patients` for lists of patients, or your own function of (World, response body: JSON, else bytes)).
     The test then demands exactly one PHIAccess row per patient read; without `phi`, it demands that none was
     written. A function may answer None for an actor whose answer reads no patient (a de-identified aggregate).
   - `shared=True` only for path ids that are nobody's data (library content all actors may see);
     `clinic_wide=True` for path ids that are Riverside's, not any patient's (see above).
   - `headers` for requests that need one (a FHIR bulk export kick-off needs `Prefer: respond-async`).
3. Run `.venv/bin/pytest tests/test_access_matrix.py`.

The FHIR API's routes (/fhir/r4/..., and /api/v1/me/export.fhir) have their entries in tests/access_matrix_fhir.py;
screening, adverse events, preparation and education theirs in tests/access_matrix_procedure.py; the clinic's own
preparation checklist and education library versions (copy, revisions) theirs in tests/access_matrix_editing.py.
Its refusals are OperationOutcomes (issue code login, forbidden, not-found for 401, 403, 404).
"""

from __future__ import annotations

import datetime as dt

from tests.access_matrix_paths import (
    alice,
    alice_and_her_checkin,
    alice_and_her_prescription,
    alice_and_her_procedure,
    alice_and_her_scheduled_procedure,
    alice_with_a_plan,
    alices_alert,
    alices_caregiver,
    alices_checkin,
    alices_notification,
    alices_occurrence,
    alices_push_subscription,
    baseline_pain,
    inbox_about,
    new_prescription,
    pending_invitation,
    riversides_protocol,
    the_default_protocol,
    with_accepted_invitations,
    with_alerts,
    with_an_inbox_item,
)

# The machinery is in tests/access_matrix_world.py; the names other modules import stay importable from here (`X as X`).
from tests.access_matrix_world import ACTORS as ACTORS
from tests.access_matrix_world import CLINIC_OUTSIDERS as CLINIC_OUTSIDERS
from tests.access_matrix_world import OUTSIDERS as OUTSIDERS
from tests.access_matrix_world import (
    Entry,
    Expect,
    admins_only,
    alice_only,
    alices_record,
    care_team_cohort,
    caregivers_only,
    caring_for_patients,
    checkin_body,
    everyone,
    invitee,
    listed_alert_patients,
    listed_patient_invitations,
    listed_patients,
    path_patient,
    patients_and_caregivers,
    patients_only,
    protocol_definition,
    push_subscription_body,
    signed_in,
    staff_only,
)
from tests.access_matrix_world import Kwargs as Kwargs
from tests.access_matrix_world import World as World
from tests.access_matrix_world import actor_user as actor_user

MATRIX: list[Entry] = [
    # --- The signed-in person ---------------------------------------------------------------------------------------
    # Everyone signed in reads their own account.
    Entry("me", "GET", signed_in(200)),
    # Everyone may rename themself (patients may also change contact details).
    Entry("me", "PATCH", signed_in(200), body=lambda w: {"full_name": "Sam Renamed"}),
    # A patient's own data export; staff have nothing to export (role gate). Needs a recent sign-in, which the test
    # client has.
    Entry("me-export", "GET", patients_only(200)),
    # Patients close their own account; staff accounts are closed by their clinic (role gate).
    Entry("me-deactivate", "POST", patients_only(204)),
    # Public: whether the caller is signed in (the app's start), 200 for everyone so a signed-out start logs no error.
    Entry("session-state", "GET", everyone(200)),
    # Everyone signed in sees their own clinic's name and phone number.
    Entry("me-clinic", "GET", signed_in(200)),
    # Clinic admins change their own clinic's phone, emergency number and country (no id: always their own clinic).
    Entry("me-clinic", "PATCH", admins_only(200), body=lambda world: {"phone": "+1 555 010 2031"}),
    # --- Patients ---------------------------------------------------------------------------------------------------
    # Everyone signed in lists the patients they may see (test_patient_list_shows_exactly_the_visible_patients
    # checks which); staff reads are logged for each patient listed.
    Entry("patient-list", "GET", signed_in(200), phi=listed_patients),
    # Clinicians and clinic admins enrol patients into their own clinic; patients cannot (role gate).
    Entry(
        "patient-list",
        "POST",
        staff_only(201),
        body=lambda w: {
            "full_name": "Nina Newcomer",
            "email": "nina@patients.example",
            "date_of_birth": "1950-03-04",
            "time_zone": "America/Chicago",
            "primary_clinician": str(w.clinician_of_my_clinic.pk),
        },
    ),
    # Alice's record: Alice, Carol, Frank; a logged read for the staff.
    Entry("patient-detail", "GET", alices_record(200), path=alice, phi=path_patient),
    # Alice edits her contact details; Carol and Frank may too (and more); Anna, her caregiver, may not (403). The
    # read-back is logged for staff.
    Entry(
        "patient-detail",
        "PATCH",
        alices_record(200, caregiver=403),
        path=alice,
        body=lambda w: {"phone": "+1 555 010 7777"},
        phi=path_patient,
    ),
    # Alice's care team is changed by her clinic's staff; Alice sees herself but may not change it (403).
    Entry(
        "patient-care-team",
        "PUT",
        alices_record(200, alice=403),
        path=alice,
        body=lambda w: {"primary_clinician": str(w.cast.carol.pk), "care_team": [str(w.cast.dave.pk)]},
        phi=path_patient,
    ),
    # --- Staff ------------------------------------------------------------------------------------------------------
    # The clinic's clinicians and admins, for staff of that clinic.
    Entry("staff-list", "GET", staff_only(200)),
    # Only clinic admins invite staff.
    Entry(
        "staff-list",
        "POST",
        admins_only(201),
        body=lambda w: {"full_name": "Dr Nora Newhire", "email": "nora@clinic.example", "role": "clinician"},
    ),
    # --- Invitations ------------------------------------------------------------------------------------------------
    # Staff list the invitations they manage (clinicians: their patients'; admins: their clinic's). A patient's
    # invitation carries their name and email, so each patient listed is a logged read (staff invitations are not).
    Entry("invitation-list", "GET", staff_only(200), path=with_accepted_invitations, phi=listed_patient_invitations),
    # Public: the token is the credential; anyone holding it (signed in or not) sets the password once.
    Entry(
        "invitation-accept",
        "POST",
        everyone(200),
        body=lambda w: {"token": w.invitation_token, "password": "a long and unusual passphrase 42"},
    ),
    # The invitation of a patient on Carol's team (World.invitee): Carol and Frank resend it; no patient ever sees
    # invitations, so for Alice too it does not exist. The answer shows Ivy's name and email: a logged read of Ivy.
    Entry("invitation-resend", "POST", alices_record(200, alice=404), path=pending_invitation, phi=invitee),
    # As resend.
    Entry("invitation-revoke", "POST", alices_record(200, alice=404), path=pending_invitation, phi=invitee),
    # --- Caregivers -------------------------------------------------------------------------------------------------
    # A patient's own caregivers: she lists them and invites one (a new person, by email, with what they may do).
    Entry("me-caregiver-list", "GET", patients_only(200)),
    Entry(
        "me-caregiver-list",
        "POST",
        patients_only(201),
        body=lambda w: {
            "full_name": "Nia Newhelper",
            "email": "nia@family.example",
            "relationship": "granddaughter",
            "grants": ["view", "log"],
        },
    ),
    # Cora, whom Alice invited (World.alice_caregiver): only Alice changes her grants, resends or removes her.
    Entry("me-caregiver", "PATCH", alice_only(200), path=alices_caregiver, body=lambda w: {"grants": ["view", "log"]}),
    Entry("me-caregiver-revoke", "POST", alice_only(200), path=alices_caregiver),
    Entry("me-caregiver-resend", "POST", alice_only(200), path=alices_caregiver),
    # Her clinic sees her caregivers (logged); Anna may not list the others (403).
    Entry("patient-caregiver-list", "GET", alices_record(200, caregiver=403), path=alice, phi=path_patient),
    # Her clinic's staff invite a caregiver for her with her consent recorded; Alice invites under /me (403 here).
    Entry(
        "patient-caregiver-list",
        "POST",
        alices_record(201, alice=403),
        path=alice,
        body=lambda w: {
            "full_name": "Sam Helper",
            "email": "sam@family.example",
            "relationship": "husband",
            "grants": ["view", "reminders"],
            "consent": True,
        },
        phi=path_patient,
    ),
    # The patients a caregiver helps (the app's "Who are you helping?"): each listed patient a logged read.
    Entry("me-caring-for", "GET", caregivers_only(200), phi=caring_for_patients),
    # --- Audit ------------------------------------------------------------------------------------------------------
    # The PHI access log of the admin's own clinic.
    Entry("phi-access-list", "GET", admins_only(200)),
    # --- Recovery: the patient's own (/me/...) ----------------------------------------------------------------------
    # The wording of the check-in and outcome forms: the same for everyone signed in, nobody's data.
    Entry("recovery-forms", "GET", signed_in(200)),
    # Today, day N, phase, streak: the patient's own summary; staff have none (role gate on a path without an id).
    # Caregivers use these /me/ routes for the patient they name in X-Patient, with her "view" grant (each read logged;
    # Rita, removed, gets 404); writing needs "log" (check-ins, exercise sessions) or "assessments".
    Entry("me-recovery", "GET", patients_and_caregivers(200)),
    # The patient's own progress in words; staff have no progress of their own.
    Entry("me-progress", "GET", patients_and_caregivers(200)),
    # The patient's own check-ins.
    Entry("me-checkin-list", "GET", patients_and_caregivers(200)),
    # Alice's check-in by its id: hers; Bob's /me/checkins holds only his own; staff have no check-ins (404).
    Entry("me-checkin", "GET", alice_only(200, caregiver=200), path=alices_checkin),
    # The PWA's PUT of the same check-in again is a replay (201, as first stored); nobody else can write it.
    Entry(
        "me-checkin",
        "PUT",
        alice_only(201, caregiver=201),
        path=alices_checkin,
        body=lambda w: checkin_body(w.alice_checkin.local_date),
    ),
    # The patient's own milestones, procedures and outcome measures.
    Entry("me-milestone-list", "GET", patients_and_caregivers(200)),
    Entry("me-procedure-list", "GET", patients_and_caregivers(200)),
    Entry("me-assessment-list", "GET", patients_and_caregivers(200)),
    # Each patient records their own baseline pain before their upcoming procedure (World.own_scheduled_procedure).
    Entry("me-assessment-list", "POST", patients_and_caregivers(201), body=baseline_pain),
    # --- Recovery: the care team's view of Alice --------------------------------------------------------------------
    # Alice's recovery summary, check-ins, one check-in, milestones, measures, procedures: Alice, Carol, Frank; each
    # staff read is logged.
    Entry("patient-recovery", "GET", alices_record(200), path=alice, phi=path_patient),
    Entry("patient-checkin-list", "GET", alices_record(200), path=alice, phi=path_patient),
    Entry("patient-checkin-detail", "GET", alices_record(200), path=alice_and_her_checkin, phi=path_patient),
    Entry("patient-milestone-list", "GET", alices_record(200), path=alice_with_a_plan, phi=path_patient),
    Entry("patient-assessment-list", "GET", alices_record(200), path=alice, phi=path_patient),
    Entry("patient-procedure-list", "GET", alices_record(200), path=alice, phi=path_patient),
    # Her clinic's staff schedule a procedure for her; Alice sees herself but may not (403 after the lookup).
    Entry(
        "patient-procedure-list",
        "POST",
        alices_record(201, alice=403),
        path=alice,
        body=lambda w: {
            "procedure_date": (w.alice_profile.local_today() + dt.timedelta(days=30)).isoformat(),
            "levels": ["L3-L4", "L4-L5"],
            "side": "bilateral",
            "anaesthesia": "local",
        },
        phi=path_patient,
    ),
    # One of her procedures: read by Alice and her staff; changed by her staff only.
    Entry("patient-procedure-detail", "GET", alices_record(200), path=alice_and_her_procedure, phi=path_patient),
    Entry(
        "patient-procedure-detail",
        "PATCH",
        alices_record(200, alice=403),
        path=alice_and_her_procedure,
        body=lambda w: {"notes": "Tolerated well; home the same day."},
        phi=path_patient,
    ),
    # Her staff mark today's procedure done, or cancel it; Alice 403 after the lookup, outsiders 404.
    Entry(
        "patient-procedure-complete",
        "POST",
        alices_record(200, alice=403),
        path=alice_and_her_scheduled_procedure,
        phi=path_patient,
    ),
    Entry(
        "patient-procedure-cancel",
        "POST",
        alices_record(200, alice=403),
        path=alice_and_her_scheduled_procedure,
        phi=path_patient,
    ),
    # --- Alerts -----------------------------------------------------------------------------------------------------
    # Staff triage the alerts of the patients they see (each patient of the page logged); patients: role gate.
    Entry("alert-list", "GET", staff_only(200), path=with_alerts, phi=listed_alert_patients),
    # Alice's alert: her care team and clinic admins; Alice 403 (the clinicians' tool) after the lookup.
    Entry("alert-detail", "GET", alices_record(200, alice=403), path=alices_alert, phi=path_patient),
    Entry(
        "alert-acknowledge",
        "POST",
        alices_record(200, alice=403),
        path=alices_alert,
        body=lambda w: {"note": "Calling her now."},
        phi=path_patient,
    ),
    Entry(
        "alert-resolve",
        "POST",
        alices_record(200, alice=403),
        path=alices_alert,
        body=lambda w: {"note": "Spoke with her; no fever today."},
        phi=path_patient,
    ),
    # Given to a clinician on her care team (Carol).
    Entry(
        "alert-assign",
        "POST",
        alices_record(200, alice=403),
        path=alices_alert,
        body=lambda w: {"assignee": str(w.cast.carol.pk), "note": "Yours, Carol."},
        phi=path_patient,
    ),
    # --- Protocols --------------------------------------------------------------------------------------------------
    # The shipped default and the staff's own clinic's versions; patients: role gate.
    Entry("protocol-list", "GET", staff_only(200)),
    # Riverside's own protocol: Riverside's staff read it; the other clinic's staff get 404 (it is not theirs);
    # Riverside's patients 403 after the lookup (a staff tool).
    Entry(
        "protocol-detail",
        "GET",
        Expect(401, 403, 403, 200, 200, 404, 200, 404),
        path=riversides_protocol,
        clinic_wide=True,
    ),
    # Clinic admins copy the shipped default for their own clinic (library content, so shared); others 403.
    Entry(
        "protocol-copy",
        "POST",
        Expect(401, 403, 403, 403, 403, 403, 201, 201),
        path=the_default_protocol,
        shared=True,
    ),
    # Riverside's admin saves the next version of Riverside's protocol; the other clinic's staff 404; Riverside's
    # clinicians and patients 403 after the lookup.
    Entry(
        "protocol-revise",
        "POST",
        Expect(401, 403, 403, 403, 403, 404, 201, 404),
        path=riversides_protocol,
        body=lambda w: protocol_definition(w.riverside_protocol),
        clinic_wide=True,
    ),
    # --- Physical therapy: library ----------------------------------------------------------------------------------
    # The shipped library and the actor's clinic's exercises: everyone signed in.
    Entry("exercise-list", "GET", signed_in(200)),
    # Staff add an exercise to their own clinic's library; patients: role gate.
    Entry(
        "exercise-list",
        "POST",
        staff_only(201),
        body=lambda w: {
            "name": "Wall slide",
            "kind": "strengthening",
            "steps": ["Stand with your back against a wall.", "Slide down a little, hold, slide back up."],
            "default_dose": {"sets": 2, "reps": 8},
            "earliest_day": 28,
        },
    ),
    # Staff translate their own clinic's exercises: the other clinic's staff get 404 (not theirs); patients and
    # caregivers are refused by role.
    Entry(
        "exercise-detail",
        "PATCH",
        Expect(401, 403, 403, 200, 200, 404, 200, 404, 403, 403, 403),
        path=lambda w: {"exercise_id": w.riverside_exercise.pk},
        body=lambda w: {"translations": {"es": {"name": "Deslizarse por la pared"}}},
        clinic_wide=True,
    ),
    # --- Physical therapy: the patient's own (/me/exercises/...) ----------------------------------------------------
    Entry("me-exercises-today", "GET", patients_and_caregivers(200)),
    # Alice records yesterday's session by its key; Bob's sessions are his own; staff have none (404).
    Entry(
        "me-exercise-occurrence",
        "PUT",
        alice_only(201, caregiver=201),
        path=alices_occurrence,
        body=lambda w: {"state": "done", "pain_during": 2, "difficulty": "ok"},
    ),
    Entry("me-exercise-plan", "GET", patients_and_caregivers(200)),
    Entry("me-exercise-adherence", "GET", patients_and_caregivers(200)),
    # The patient's private calendar address: see whether it is on, make a new one, stop it.
    Entry("me-calendar-feed", "GET", patients_only(200)),
    Entry("me-calendar-feed", "POST", patients_only(201)),
    Entry("me-calendar-feed", "DELETE", patients_only(204)),
    # --- Physical therapy: the care team's view of Alice ------------------------------------------------------------
    # Her plan and adherence: Alice, Carol, Frank; staff reads logged.
    Entry("patient-exercise-plan", "GET", alices_record(200), path=alice_with_a_plan, phi=path_patient),
    Entry("patient-exercise-adherence", "GET", alices_record(200), path=alice_with_a_plan, phi=path_patient),
    # Prescribing is a clinician's decision: Carol adds, changes and removes; Alice and Frank 403 after the lookup.
    Entry(
        "patient-prescription-list",
        "POST",
        Expect(401, 403, 404, 201, 404, 404, 403, 404),
        path=alice_with_a_plan,
        body=new_prescription,
        phi=path_patient,
    ),
    Entry(
        "patient-prescription-detail",
        "PATCH",
        Expect(401, 403, 404, 200, 404, 404, 403, 404),
        path=alice_and_her_prescription,
        body=lambda w: {"times_of_day": ["11:30", "17:30"], "note": "Later in the day."},
        phi=path_patient,
    ),
    # The removal answers nothing about her (204), so nothing is logged.
    Entry(
        "patient-prescription-detail",
        "DELETE",
        Expect(401, 403, 404, 204, 404, 404, 403, 404),
        path=alice_and_her_prescription,
    ),
    # --- Notifications: the signed-in person's own (/me/...) --------------------------------------------------------
    # Everyone signed in has an inbox, preferences, devices and deliveries of their own. A caregiver's items name the
    # patient each is about (a logged read of her); Rita's item about Alice, who removed her, no longer shows.
    Entry("inbox", "GET", signed_in(200), path=with_an_inbox_item, phi=inbox_about),
    Entry("inbox-unread-count", "GET", signed_in(200)),
    Entry("inbox-read-all", "POST", signed_in(200)),
    # An item of Alice's inbox: only she can mark it read.
    Entry("inbox-read", "POST", alice_only(200), path=alices_notification),
    Entry("notification-preferences", "GET", signed_in(200)),
    Entry(
        "notification-preferences",
        "PATCH",
        signed_in(200),
        body=lambda w: {"quiet_hours_start": "22:00", "quiet_hours_end": "07:00"},
    ),
    Entry("push-subscription-list", "GET", signed_in(200)),
    Entry(
        "push-subscription-list",
        "POST",
        signed_in(201),
        body=lambda w: push_subscription_body("https://fcm.googleapis.com/fcm/send/matrix-new-device"),
    ),
    # Alice's device: only she can remove it.
    Entry("push-subscription-detail", "DELETE", alice_only(204), path=alices_push_subscription),
    Entry("me-delivery-list", "GET", signed_in(200)),
    # The key the PWA subscribes with: the same for everyone signed in.
    Entry("vapid-public-key", "GET", signed_in(200)),
    # --- Notifications: the care team's view of Alice ---------------------------------------------------------------
    # Did her reminders go out? Alice, Carol, Frank; staff reads logged.
    Entry("patient-delivery-list", "GET", alices_record(200), path=alice, phi=path_patient),
    # --- Clinician dashboards ---------------------------------------------------------------------------------------
    # The roster: one row per patient the actor sees, each logged; patients: role gate.
    Entry("clinician-roster", "GET", staff_only(200), phi=listed_patients),
    # The cohort curve: a clinician's is logged for each of their patients, a clinic admin's is de-identified.
    Entry("clinician-cohort", "GET", staff_only(200), phi=care_team_cohort),
    # Time to acknowledge per tier, the clinic's: staff only; an aggregate, not logged.
    Entry("clinician-alert-response", "GET", staff_only(200)),
    # Alice's series, outcomes, timeline and CSV export: the clinicians' views of her (Alice 403 after the lookup).
    Entry("patient-series", "GET", alices_record(200, alice=403), path=alice_with_a_plan, phi=path_patient),
    Entry("patient-outcomes", "GET", alices_record(200, alice=403), path=alice_with_a_plan, phi=path_patient),
    Entry("patient-timeline", "GET", alices_record(200, alice=403), path=alice_with_a_plan, phi=path_patient),
    Entry("patient-export-csv", "GET", alices_record(200, alice=403), path=alice_with_a_plan, phi=path_patient),
    # Alice's visit report PDF: her care team and clinic admin (logged); Alice has her own at me/report.pdf (403).
    Entry("patient-report-pdf", "GET", alices_record(200, alice=403), path=alice_with_a_plan, phi=path_patient),
    # The patient's own visit report; staff have none (role gate).
    Entry("me-report-pdf", "GET", patients_only(200)),
]
