"""The authorization matrix: every API endpoint x eight actors -> the exact status each one gets.

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

Every id in a path is Alice's, or something of hers, or of her care team's (see `World`): so Bob, Dave, Erin and
Grace must get 404 from every route with a path id, exactly as for an id that does not exist (ARCHITECTURE.md:
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

   - `expect`: pick a preset (alices_record, alice_only, signed_in, patients_only, staff_only, admins_only,
     everyone) or write Expect(...) naming all eight actors.
   - `path`: World -> URL kwargs. Objects the request needs (a check-in, an alert, a push subscription under /me/)
     get a cached property on World, built for Alice (or her care team), never for anyone else. Only a list that
     must not be empty for any actor holds one record per patient (World.alerts, World.accepted_invitations); a
     list route's path function makes them and returns {}.
   - `body`: World -> JSON for writes; make it valid, so the allowed actors really get their 2xx.
   - `phi`: for clinician/admin reads of a patient's data: which patients the request read (`path_patient`, or
     `listed_patients` for lists of patients, or your own function of (World, response body: JSON, else bytes)).
     The test then demands exactly one PHIAccess row per patient read; without `phi`, it demands that none was
     written. A function may answer None for an actor whose answer reads no patient (a de-identified aggregate).
   - `shared=True` only for path ids that are nobody's data (library content all actors may see);
     `clinic_wide=True` for path ids that are Riverside's, not any patient's (see above).
3. Run `.venv/bin/pytest tests/test_access_matrix.py`.
"""

from __future__ import annotations

import base64
import datetime as dt
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass, fields
from functools import cached_property
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.utils import timezone

from accounts.models import Invitation, PatientProfile, Role, User
from notifications.models import Kind, Notification, PushSubscription
from recovery import services as recovery_services
from recovery.exercise_selectors import exercise_occurrences_on
from recovery.models import Alert, CheckIn, Exercise, Prescription, Procedure, Protocol
from recovery.serializers import CheckInIn, ProtocolOut
from tests.conftest import Cast
from tests.factories import AlertFactory, PatientFactory, UserFactory

ACTORS = (
    "anonymous",
    "patient_a",
    "patient_b",
    "a_clinician",
    "same_clinic_other_clinician",
    "other_clinic_clinician",
    "a_clinic_admin",
    "other_clinic_admin",
)
# Everyone signed in who may not see Alice.
OUTSIDERS = ("patient_b", "same_clinic_other_clinician", "other_clinic_clinician", "other_clinic_admin")
# Staff who may not see Riverside's own records (its protocol).
CLINIC_OUTSIDERS = ("other_clinic_clinician", "other_clinic_admin")

INVITATION_TOKEN = "matrix-invitation-token-0123456789abcdefghijklmnop"


def actor_user(cast: Cast, actor: str) -> User | None:
    return {
        "anonymous": None,
        "patient_a": cast.alice,
        "patient_b": cast.bob,
        "a_clinician": cast.carol,
        "same_clinic_other_clinician": cast.dave,
        "other_clinic_clinician": cast.erin,
        "a_clinic_admin": cast.frank,
        "other_clinic_admin": cast.grace,
    }[actor]


@dataclass
class World:
    """The cast, the actor making the request, and the records the requests point at, made on first use."""

    cast: Cast
    actor: User | None

    @cached_property
    def invitee(self) -> User:
        """Ivy, enrolled at Riverside on Dr Carol's team like Alice, who has not yet accepted her invitation.

        Invitation routes point at hers rather than at Alice's: Alice accepted long ago, and an accepted invitation
        can be neither resent nor revoked, so Carol and Frank would get a 400 instead of the 200 worth testing.
        Ivy is seen by exactly the people who see Alice.
        """
        ivy = UserFactory(
            email="ivy@patients.example",
            full_name="Ivy Irving",
            role=Role.PATIENT,
            clinic=self.cast.riverside,
            is_active=False,
        )
        PatientFactory(user=ivy, care_team=[self.cast.carol])
        return User.objects.get(pk=ivy.pk)

    @cached_property
    def pending_invitation(self) -> Invitation:
        now = timezone.now()
        return Invitation.objects.create(
            user=self.invitee,
            clinic=self.cast.riverside,
            token_hash=Invitation.hash_token(INVITATION_TOKEN),
            created_by=self.cast.carol,
            expires_at=now + dt.timedelta(days=7),
            last_sent_at=now,
        )

    @property
    def invitation_token(self) -> str:
        """The secret of the pending invitation (the email would carry it)."""
        assert self.pending_invitation.token_hash == Invitation.hash_token(INVITATION_TOKEN)
        return INVITATION_TOKEN

    @property
    def clinician_of_my_clinic(self) -> User:
        """The actor if a clinician, else a clinician of the actor's clinic (who can be a new patient's primary)."""
        if self.actor is not None and self.actor.role == Role.CLINICIAN:
            return self.actor
        if self.actor is not None and self.actor.clinic_id == self.cast.hillside.pk:
            return self.cast.erin
        return self.cast.carol

    @property
    def alice_profile(self) -> PatientProfile:
        return PatientProfile.objects.select_related("user__clinic").get(user=self.cast.alice)

    @cached_property
    def accepted_invitations(self) -> list[Invitation]:
        """The invitations Alice, Bob and Heidi accepted when they joined, and Dr Dave's (a staff invitation): every
        clinician and admin has a patient's invitation in their list, and Frank a staff one, which is nobody's PHI."""
        now = timezone.now()
        return [
            Invitation.objects.create(
                user=user,
                clinic_id=user.clinic_id,
                token_hash=Invitation.hash_token(f"matrix-accepted-{user.email}"),
                created_by=self.cast.frank if user.clinic_id == self.cast.riverside.pk else self.cast.grace,
                expires_at=now - dt.timedelta(days=20),
                last_sent_at=now - dt.timedelta(days=27),
                accepted_at=now - dt.timedelta(days=26),
            )
            for user in (self.cast.alice, self.cast.bob, self.cast.heidi, self.cast.dave)
        ]

    # --- Recovery ---------------------------------------------------------------------------------------------------

    @cached_property
    def alice_procedure(self) -> Procedure:
        """Alice's MILD procedure with Dr Carol, ten days ago (her today), marked done at 16:00 that day: her
        milestones and exercise plan are laid out from it, as the product does."""
        patient = self.alice_profile
        day0 = patient.local_today() - dt.timedelta(days=10)
        procedure = recovery_services.procedure_schedule(
            patient=patient, by=self.cast.carol, procedure_date=day0, levels=["L4-L5"], side="bilateral",
            anaesthesia="local",
        )  # fmt: skip
        done_at = dt.datetime.combine(day0, dt.time(16), tzinfo=patient.zone)
        return recovery_services.procedure_complete(procedure=procedure, by=self.cast.carol, now=done_at)

    @cached_property
    def scheduled_procedure(self) -> Procedure:
        """A procedure of Alice's scheduled for her today: it can still be marked done or cancelled."""
        return _procedure_scheduled_today(self.alice_profile, by=self.cast.carol)

    @cached_property
    def own_scheduled_procedure(self) -> Procedure | None:
        """The actor's own procedure scheduled for their today, if the actor is a patient: routes under /me/ are about
        whoever asks, and a baseline measure needs an upcoming procedure."""
        if self.actor is None or self.actor.role != Role.PATIENT:
            return None
        patient = PatientProfile.objects.select_related("user__clinic").get(user=self.actor)
        return _procedure_scheduled_today(patient, by=patient.care_team.get(is_primary=True).clinician)

    @cached_property
    def alice_checkin(self) -> CheckIn:
        """Alice's check-in for her today, recorded as the PWA's PUT records it (body: `checkin_body`)."""
        patient = self.alice_profile
        data = CheckInIn(data=checkin_body(patient.local_today()))
        data.is_valid(raise_exception=True)
        result = recovery_services.checkin_put(
            patient=patient, by=self.cast.alice, checkin_id=uuid.uuid4(), data=dict(data.validated_data),
            if_match=None,
        )  # fmt: skip
        return result.checkin

    @cached_property
    def alerts(self) -> list[Alert]:
        """An open urgent alert on each of Alice, Bob and Heidi (Alice's first): every clinician and admin has one in
        their list."""
        return [
            AlertFactory(patient=PatientProfile.objects.get(user=user), trigger=f"matrix:{user.email}")
            for user in (self.cast.alice, self.cast.bob, self.cast.heidi)
        ]

    @property
    def alice_alert(self) -> Alert:
        return self.alerts[0]

    @cached_property
    def riverside_protocol(self) -> Protocol:
        """Riverside's own copy of the shipped default protocol, made by Frank: Riverside's, no patient's."""
        return recovery_services.protocol_copy_for_clinic(
            clinic=self.cast.riverside, by=self.cast.frank, source=Protocol.objects.get(clinic__isnull=True, version=1)
        )

    @property
    def default_protocol(self) -> Protocol:
        """The shipped default protocol: library content every clinic's staff see."""
        return Protocol.objects.get(clinic__isnull=True, version=1)

    # --- Physical therapy -------------------------------------------------------------------------------------------

    @cached_property
    def alice_prescription(self) -> Prescription:
        """A prescription of Alice's exercise plan (from her procedure's default plan): walking, days 7 to 13."""
        return Prescription.objects.get(
            plan__procedure=self.alice_procedure, exercise__key="walking", versions__version=1, versions__first_day=7
        )

    @cached_property
    def alice_occurrence_key(self) -> str:
        """The key of Alice's first exercise session yesterday (day 9, her time), not yet recorded."""
        assert self.alice_procedure  # her plan is laid out when the procedure is marked done
        patient = self.alice_profile
        return exercise_occurrences_on(patient, patient.local_today() - dt.timedelta(days=1))[0].key

    @property
    def shipped_exercise(self) -> Exercise:
        """An exercise of the shipped library, for a new prescription."""
        return Exercise.objects.get(clinic__isnull=True, key="cat_camel")

    # --- Notifications ----------------------------------------------------------------------------------------------

    @cached_property
    def alice_notification(self) -> Notification:
        """An unread item of Alice's inbox."""
        return _notification_for(self.cast.alice)

    @cached_property
    def alice_push_subscription(self) -> PushSubscription:
        """Alice's phone, registered for Web Push."""
        return _push_subscription_for(self.cast.alice)

    @cached_property
    def own_notification(self) -> Notification:
        """An unread item of the actor's own inbox (for the schema tests, which sign in as Alice or Dr Carol)."""
        return _notification_for(self.actor or self.cast.alice)

    @cached_property
    def own_push_subscription(self) -> PushSubscription:
        """The actor's own device registered for Web Push (for the schema tests)."""
        return _push_subscription_for(self.actor or self.cast.alice)


def _procedure_scheduled_today(patient: PatientProfile, *, by: User) -> Procedure:
    return recovery_services.procedure_schedule(
        patient=patient, by=by, procedure_date=patient.local_today(), levels=["L5-S1"], side="left",
        anaesthesia="local",
    )  # fmt: skip


def _notification_for(user: User) -> Notification:
    return Notification.objects.create(
        recipient=user, kind=Kind.CHECKIN_REMINDER, occurrence="matrix", title="Time for your daily check-in",
        body="", url="https://app.test/app", created_at=timezone.now(),
    )  # fmt: skip


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def push_subscription_body(endpoint: str) -> Kwargs:
    """What the PWA posts: the browser's PushSubscription JSON, with a real P-256 key."""
    key = ec.generate_private_key(ec.SECP256R1()).public_key()
    point = key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return {
        "endpoint": endpoint,
        "expirationTime": None,
        "keys": {"p256dh": _b64url(point), "auth": _b64url(os.urandom(16))},
    }


def _push_subscription_for(user: User) -> PushSubscription:
    body = push_subscription_body(f"https://fcm.googleapis.com/fcm/send/matrix-{user.pk}")
    return PushSubscription.objects.create(
        user=user, endpoint=body["endpoint"], p256dh=body["keys"]["p256dh"], auth=body["keys"]["auth"]
    )


def checkin_body(local_date: dt.date) -> Kwargs:
    """A complete daily check-in with no red flag (the same body again is a replay)."""
    return {
        "local_date": local_date.isoformat(),
        "back_pain": 4,
        "leg_pain": 5,
        "walking_minutes": 20,
        "standing_minutes": 10,
        "steps": 2500,
        "medication": "otc",
        "symptoms": [],
        "red_flags": [],
        "note": "",
    }


def protocol_definition(protocol: Protocol) -> Kwargs:
    """The whole editable definition of a protocol, as the API shows it, sent back as its next version."""
    shown = ProtocolOut(protocol).data
    return {
        "name": shown["name"],
        "change_note": "Longer first phase.",
        "phases": [dict(phase) for phase in shown["phases"]],
        "milestones": [dict(milestone) for milestone in shown["milestones"]],
    }


@dataclass(frozen=True)
class Expect:
    """The status each actor gets. All eight are named, so a new entry cannot forget one."""

    anonymous: int
    patient_a: int
    patient_b: int
    a_clinician: int
    same_clinic_other_clinician: int
    other_clinic_clinician: int
    a_clinic_admin: int
    other_clinic_admin: int

    def __getitem__(self, actor: str) -> int:
        return int(getattr(self, actor))


assert tuple(f.name for f in fields(Expect)) == ACTORS


def everyone(status: int) -> Expect:
    """No sign-in needed; everyone gets the same answer."""
    return Expect(status, status, status, status, status, status, status, status)


def signed_in(status: int) -> Expect:
    """About the signed-in person themself: anyone signed in."""
    return Expect(401, status, status, status, status, status, status, status)


def patients_only(status: int) -> Expect:
    """Only patients (about themselves); staff are refused by role."""
    return Expect(401, status, status, 403, 403, 403, 403, 403)


def staff_only(status: int) -> Expect:
    """A collection for clinicians and clinic admins (each sees their own scope); patients are refused by role."""
    return Expect(401, 403, 403, status, status, status, status, status)


def admins_only(status: int) -> Expect:
    """A collection for clinic admins only."""
    return Expect(401, 403, 403, 403, 403, 403, status, status)


def alices_record(status: int, *, alice: int | None = None) -> Expect:
    """Alice's data: Alice herself (unless `alice` says otherwise), her care team and her clinic's admins get
    `status`; everyone else 404."""
    return Expect(401, status if alice is None else alice, 404, status, 404, 404, status, 404)


def alice_only(status: int) -> Expect:
    """One of Alice's own records addressed by id under /me/ (a check-in, an inbox item): Alice gets `status`;
    everyone else signed in, staff included (they have no such records), 404."""
    return Expect(401, status, 404, 404, 404, 404, 404, 404)


Kwargs = dict[str, Any]
PathBuilder = Callable[[World], Kwargs]
BodyBuilder = Callable[[World], Kwargs]
PHIReader = Callable[[World, Any], set[uuid.UUID] | None]


def no_kwargs(world: World) -> Kwargs:
    return {}


def alice(world: World) -> Kwargs:
    return {"patient_id": world.cast.alice.pk}


def pending_invitation(world: World) -> Kwargs:
    return {"invitation_id": world.pending_invitation.pk}


def with_accepted_invitations(world: World) -> Kwargs:
    """No path kwargs: the list route needs World.accepted_invitations to exist (so nobody's list is empty)."""
    assert world.accepted_invitations
    return {}


def with_alerts(world: World) -> Kwargs:
    """No path kwargs: the alert list needs World.alerts (one on each patient) to exist."""
    assert world.alerts
    return {}


def alices_checkin(world: World) -> Kwargs:
    return {"checkin_id": world.alice_checkin.pk}


def alice_and_her_checkin(world: World) -> Kwargs:
    return {"patient_id": world.cast.alice.pk, "checkin_id": world.alice_checkin.pk}


def alice_and_her_procedure(world: World) -> Kwargs:
    return {"patient_id": world.cast.alice.pk, "procedure_id": world.alice_procedure.pk}


def alice_and_her_scheduled_procedure(world: World) -> Kwargs:
    return {"patient_id": world.cast.alice.pk, "procedure_id": world.scheduled_procedure.pk}


def alice_with_a_plan(world: World) -> Kwargs:
    """Alice, once her procedure is done and her exercise plan laid out."""
    assert world.alice_procedure
    return {"patient_id": world.cast.alice.pk}


def alice_and_her_prescription(world: World) -> Kwargs:
    return {"patient_id": world.cast.alice.pk, "prescription_id": world.alice_prescription.pk}


def alices_alert(world: World) -> Kwargs:
    return {"alert_id": world.alice_alert.pk}


def riversides_protocol(world: World) -> Kwargs:
    return {"protocol_id": world.riverside_protocol.pk}


def the_default_protocol(world: World) -> Kwargs:
    return {"protocol_id": world.default_protocol.pk}


def alices_occurrence(world: World) -> Kwargs:
    return {"occurrence_key": world.alice_occurrence_key}


def alices_notification(world: World) -> Kwargs:
    return {"notification_id": world.alice_notification.pk}


def alices_push_subscription(world: World) -> Kwargs:
    return {"subscription_id": world.alice_push_subscription.pk}


def baseline_pain(world: World) -> Kwargs:
    """Pain before the procedure. /me/ is whoever asks: a patient actor gets an upcoming procedure of their own."""
    assert world.own_scheduled_procedure or world.actor is None or world.actor.role != Role.PATIENT
    return {"instrument": "pain", "timepoint": "baseline", "answers": {"back_pain": 6, "leg_pain": 7}}


def new_prescription(world: World) -> Kwargs:
    exercise = world.shipped_exercise
    return {
        "exercise": str(exercise.pk),
        "dose": dict(exercise.default_dose),
        "days_of_week": [0, 2, 4],
        "times_of_day": ["18:00"],
        "first_day": max(exercise.earliest_day, 28),
        "note": "Add when walking is easy.",
    }


def path_patient(world: World, body: Any) -> set[uuid.UUID]:
    """The request read the patient named in the path, or whose record the path names (always Alice here)."""
    return {world.cast.alice.pk}


def listed_patients(world: World, body: Any) -> set[uuid.UUID]:
    """The request read every patient in the page of results."""
    return {uuid.UUID(item["id"]) for item in body["results"]}


def listed_alert_patients(world: World, body: Any) -> set[uuid.UUID]:
    """The request read the patient of every alert in the page of results."""
    return {uuid.UUID(item["patient"]["id"]) for item in body["results"]}


def listed_patient_invitations(world: World, body: Any) -> set[uuid.UUID]:
    """A patient's invitation shows their name and email: the request read every patient invited in the page (staff
    invitations are nobody's PHI)."""
    return {uuid.UUID(item["person"]) for item in body["results"] if item["role"] == Role.PATIENT}


def invitee(world: World, body: Any) -> set[uuid.UUID]:
    """The request read Ivy, whose invitation the path names."""
    return {world.invitee.pk}


def care_team_cohort(world: World, body: Any) -> set[uuid.UUID] | None:
    """A clinician's cohort curve reads every patient on their care teams (Carol: Alice; Dave: Bob; Erin: Heidi).
    A clinic admin's is clinic-wide, de-identified, with small cells suppressed: it reads nobody's record (None)."""
    assert world.actor is not None
    if world.actor.role == Role.CLINIC_ADMIN:
        return None
    cast = world.cast
    return {cast.carol: {cast.alice.pk}, cast.dave: {cast.bob.pk}, cast.erin: {cast.heidi.pk}}[world.actor]


@dataclass(frozen=True)
class Entry:
    route: str
    method: str
    expect: Expect
    path: PathBuilder = no_kwargs
    body: BodyBuilder | None = None
    phi: PHIReader | None = None
    shared: bool = False
    clinic_wide: bool = False

    @property
    def key(self) -> tuple[str, str]:
        return (self.route, self.method)

    @property
    def id(self) -> str:
        return f"{self.route}-{self.method}"


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
    # Everyone signed in sees their own clinic's name and phone number.
    Entry("me-clinic", "GET", signed_in(200)),
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
    # Alice edits her contact details; Carol and Frank may too (and more). The read-back is logged for staff.
    Entry(
        "patient-detail",
        "PATCH",
        alices_record(200),
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
    # --- Audit ------------------------------------------------------------------------------------------------------
    # The PHI access log of the admin's own clinic.
    Entry("phi-access-list", "GET", admins_only(200)),
    # --- Recovery: the patient's own (/me/...) ----------------------------------------------------------------------
    # The wording of the check-in and outcome forms: the same for everyone signed in, nobody's data.
    Entry("recovery-forms", "GET", signed_in(200)),
    # Today, day N, phase, streak: the patient's own summary; staff have none (role gate on a path without an id).
    Entry("me-recovery", "GET", patients_only(200)),
    # The patient's own check-ins.
    Entry("me-checkin-list", "GET", patients_only(200)),
    # Alice's check-in by its id: hers; Bob's /me/checkins holds only his own; staff have no check-ins (404).
    Entry("me-checkin", "GET", alice_only(200), path=alices_checkin),
    # The PWA's PUT of the same check-in again is a replay (201, as first stored); nobody else can write it.
    Entry(
        "me-checkin",
        "PUT",
        alice_only(201),
        path=alices_checkin,
        body=lambda w: checkin_body(w.alice_checkin.local_date),
    ),
    # The patient's own milestones, procedures and outcome measures.
    Entry("me-milestone-list", "GET", patients_only(200)),
    Entry("me-procedure-list", "GET", patients_only(200)),
    Entry("me-assessment-list", "GET", patients_only(200)),
    # Each patient records their own baseline pain before their upcoming procedure (World.own_scheduled_procedure).
    Entry("me-assessment-list", "POST", patients_only(201), body=baseline_pain),
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
    # --- Physical therapy: the patient's own (/me/exercises/...) ----------------------------------------------------
    Entry("me-exercises-today", "GET", patients_only(200)),
    # Alice records yesterday's session by its key; Bob's sessions are his own; staff have none (404).
    Entry(
        "me-exercise-occurrence",
        "PUT",
        alice_only(201),
        path=alices_occurrence,
        body=lambda w: {"state": "done", "pain_during": 2, "difficulty": "ok"},
    ),
    Entry("me-exercise-plan", "GET", patients_only(200)),
    Entry("me-exercise-adherence", "GET", patients_only(200)),
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
    # Everyone signed in has an inbox, preferences, devices and deliveries of their own.
    Entry("inbox", "GET", signed_in(200)),
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
    # Alice's series, outcomes, timeline and CSV export: the clinicians' views of her (Alice 403 after the lookup).
    Entry("patient-series", "GET", alices_record(200, alice=403), path=alice_with_a_plan, phi=path_patient),
    Entry("patient-outcomes", "GET", alices_record(200, alice=403), path=alice_with_a_plan, phi=path_patient),
    Entry("patient-timeline", "GET", alices_record(200, alice=403), path=alice_with_a_plan, phi=path_patient),
    Entry("patient-export-csv", "GET", alices_record(200, alice=403), path=alice_with_a_plan, phi=path_patient),
]
