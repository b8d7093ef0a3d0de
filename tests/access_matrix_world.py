"""The authorization matrix's machinery: the actors (eight, and the caregivers), the World of Alice's records that
paths name, the expected statuses (Expect and its presets), the PHI functions, and Entry (the path and body builders
are in tests/access_matrix_paths.py). Read
tests/access_matrix.py first; the entries are there (and the FHIR API's in tests/access_matrix_fhir.py), and every name
here is importable from it too."""

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

from accounts.models import CaregiverLink, Invitation, PatientProfile, Role, User
from exercises.models import Exercise, Prescription
from exercises.selectors import exercise_occurrences_on
from journey.models import BloodThinnerPlan
from notifications.models import Kind, Notification, PushSubscription
from recovery import safety
from recovery import services as recovery_services
from recovery.models import AdverseEvent, Alert, CheckIn, Procedure, Protocol
from recovery.protocol_serializers import ProtocolOut
from recovery.serializers import CheckInIn
from tests.access_matrix_actors import ACTORS as ACTORS
from tests.access_matrix_actors import CAREGIVER_FOR as CAREGIVER_FOR
from tests.access_matrix_actors import CAREGIVER_PEOPLE as CAREGIVER_PEOPLE
from tests.access_matrix_actors import CAREGIVERS as CAREGIVERS
from tests.access_matrix_actors import CLINIC_OUTSIDERS as CLINIC_OUTSIDERS
from tests.access_matrix_actors import INVITATION_TOKEN as INVITATION_TOKEN
from tests.access_matrix_actors import OUTSIDERS as OUTSIDERS
from tests.access_matrix_actors import actor_headers as actor_headers
from tests.access_matrix_actors import actor_user as actor_user
from tests.access_matrix_actors import caregiver_user as caregiver_user
from tests.conftest import Cast
from tests.factories import AlertFactory, PatientFactory, UserFactory
from tests.support import adverse_event_body, checkin_body, screened_candidate


def acted_for(world: World) -> User | None:
    """The patient whose /me/... the actor reads: a patient themself, a caregiver the patient they name."""
    if world.actor is None:
        return None
    if world.actor.role == Role.PATIENT:
        return world.actor
    if world.actor.role == Role.CAREGIVER:
        link = CaregiverLink.objects.filter(caregiver=world.actor).select_related("patient__user").first()
        return link.patient.user if link is not None else None
    return None


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
        screened_candidate(procedure, self.cast.carol)
        return recovery_services.procedure_complete(procedure=procedure, by=self.cast.carol, now=done_at)

    @cached_property
    def scheduled_procedure(self) -> Procedure:
        """A procedure of Alice's scheduled for her today, screened a candidate: it can still be marked done or
        cancelled."""
        procedure = _procedure_scheduled(self.alice_profile, by=self.cast.carol, days_ahead=0)
        screened_candidate(procedure, self.cast.carol)
        return procedure

    @cached_property
    def alice_adverse_event(self) -> AdverseEvent:
        """A wound infection Dr Carol recorded after Alice's procedure."""
        procedure = self.alice_procedure
        return safety.adverse_event_record(
            procedure=procedure, by=self.cast.carol, data=adverse_event_body(procedure.procedure_date)
        )

    @cached_property
    def alice_adverse_event_draft(self) -> AdverseEvent:
        """The draft Alice's "yes" to the weekly question opened (her check-in of today)."""
        procedure = self.alice_procedure
        data = CheckInIn(data=checkin_body(self.alice_profile.local_today(), healthcare_use=True))
        data.is_valid(raise_exception=True)
        recovery_services.checkin_put(
            patient=self.alice_profile, by=self.cast.alice, checkin_id=uuid.uuid4(), data=dict(data.validated_data),
            if_match=None,
        )  # fmt: skip
        return AdverseEvent.objects.get(procedure=procedure, status="draft")

    @cached_property
    def alice_blood_thinner(self) -> BloodThinnerPlan:
        """A blood thinner Dr Carol entered for Alice's procedure scheduled today: an item of her checklist alone."""
        procedure = self.scheduled_procedure
        return BloodThinnerPlan.objects.create(
            procedure=procedure, medicine="Aspirin", stop_on=procedure.procedure_date - dt.timedelta(days=5),
            created_at=timezone.now(), created_by=self.cast.carol,
        )  # fmt: skip

    @cached_property
    def own_scheduled_procedure(self) -> Procedure | None:
        """The actor's own procedure scheduled for their tomorrow, if the actor is a patient (for a caregiver, the
        patient they act for): routes under /me/ are about whoever asks, and a baseline measure needs an upcoming
        procedure."""
        patient_user = acted_for(self)
        if patient_user is None:
            return None
        patient = PatientProfile.objects.select_related("user__clinic").get(user=patient_user)
        # Tomorrow: a baseline measure is refused on or after the procedure day.
        return _procedure_scheduled(patient, by=patient.care_team.get(is_primary=True).clinician, days_ahead=1)

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
    def riverside_exercise(self) -> Exercise:
        """An exercise of Riverside's own library, added by Dr Carol: Riverside's, no patient's."""
        return Exercise.objects.create(
            clinic=self.cast.riverside, key="wall_slide", name="Wall slide", kind="strengthening",
            steps=["Stand with your back against a wall."], default_dose={"sets": 2, "reps": 8}, earliest_day=28,
            created_by=self.cast.carol,
        )  # fmt: skip

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

    @cached_property
    def alice_caregiver(self) -> CaregiverLink:
        """Cora, Alice's friend, whom Alice invited and who has not set up her account yet (so her invitation can be
        resent): Alice changes her grants, resends, removes her."""
        from accounts.caregivers import caregiver_invite

        return caregiver_invite(
            patient=self.alice_profile, by=self.cast.alice, full_name="Cora Clark", email="cora@family.example",
            relationship="friend", grants=["view"],
        )  # fmt: skip

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


def _procedure_scheduled(patient: PatientProfile, *, by: User, days_ahead: int) -> Procedure:
    return recovery_services.procedure_schedule(
        patient=patient, by=by, procedure_date=patient.local_today() + dt.timedelta(days=days_ahead),
        levels=["L5-S1"], side="left", anaesthesia="local",
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
    """The status each actor gets. The first eight are named, so a new entry cannot forget one.

    The caregivers, when not given, get what the patient they act for gets (Anna: Alice's; Ben: Bob's), and Rita, who
    was removed, what an outsider patient (Bob) gets: for a staff tool, the same role refusal; for a path id of
    Alice's, 404. The presets say it where that is not so: a patient-only action (403 for caregivers), a /me/...
    route caregivers may use for the patient (patients_and_caregivers: Rita 404)."""

    anonymous: int
    patient_a: int
    patient_b: int
    a_clinician: int
    same_clinic_other_clinician: int
    other_clinic_clinician: int
    a_clinic_admin: int
    other_clinic_admin: int
    caregiver_a: int | None = None
    revoked_caregiver: int | None = None
    caregiver_b: int | None = None

    def __post_init__(self) -> None:
        defaults = {"caregiver_a": self.patient_a, "revoked_caregiver": self.patient_b, "caregiver_b": self.patient_b}
        for name, status in defaults.items():
            if getattr(self, name) is None:
                object.__setattr__(self, name, status)

    def __getitem__(self, actor: str) -> int:
        return int(getattr(self, actor))


assert tuple(f.name for f in fields(Expect)) == ACTORS


def everyone(status: int) -> Expect:
    """No sign-in needed; everyone gets the same answer."""
    return Expect(status, status, status, status, status, status, status, status, status, status, status)


def signed_in(status: int) -> Expect:
    """About the signed-in person themself: anyone signed in, caregivers too (their own account, inbox, devices)."""
    return Expect(401, status, status, status, status, status, status, status, status, status, status)


def patients_only(status: int) -> Expect:
    """Only patients (about themselves); staff and caregivers are refused by role."""
    return Expect(401, status, status, 403, 403, 403, 403, 403, 403, 403, 403)


def patients_and_caregivers(status: int) -> Expect:
    """A patient's own collection under /me/ that a caregiver may use for them (X-Patient): the patients and the
    caregivers acting for their own patient get `status` (Ben, for Bob); Rita, whom Alice removed, 404; staff 403."""
    return Expect(401, status, status, 403, 403, 403, 403, 403, status, 404, status)


def caregivers_only(status: int) -> Expect:
    """About the signed-in caregiver (the patients they help): caregivers only, Rita too (her list is empty)."""
    return Expect(401, 403, 403, 403, 403, 403, 403, 403, status, status, status)


def staff_only(status: int) -> Expect:
    """A collection for clinicians and clinic admins (each sees their own scope); patients are refused by role."""
    return Expect(401, 403, 403, status, status, status, status, status, 403, 403, 403)


def admins_only(status: int) -> Expect:
    """A collection for clinic admins only."""
    return Expect(401, 403, 403, 403, 403, 403, status, status, 403, 403, 403)


def alices_record(status: int, *, alice: int | None = None, caregiver: int | None = None) -> Expect:
    """Alice's data: Alice herself (unless `alice` says otherwise), her care team and her clinic's admins get
    `status`; Anna, her caregiver, what Alice gets (unless `caregiver` says otherwise); everyone else 404."""
    alices = status if alice is None else alice
    annas = alices if caregiver is None else caregiver
    return Expect(401, alices, 404, status, 404, 404, status, 404, annas, 404, 404)


def alice_only(status: int, *, caregiver: int = 404) -> Expect:
    """One of Alice's own records addressed by id under /me/ (a check-in, an inbox item): Alice gets `status`, and
    Anna, acting for her, `caregiver` (404 unless the route is one caregivers may use); everyone else signed in,
    staff included (they have no such records), 404."""
    return Expect(401, status, 404, 404, 404, 404, 404, 404, caregiver, 404, 404)


Kwargs = dict[str, Any]
PathBuilder = Callable[[World], Kwargs]
BodyBuilder = Callable[[World], Kwargs]
PHIReader = Callable[[World, Any], set[uuid.UUID] | None]


def no_kwargs(world: World) -> Kwargs:
    return {}


def path_patient(world: World, body: Any) -> set[uuid.UUID]:
    """The request read the patient named in the path, or whose record the path names (always Alice here)."""
    return {world.cast.alice.pk}


def known_visible_patients(world: World) -> set[uuid.UUID]:
    """Whom the actor may see, written out by hand rather than asked of accounts.scoping, so that a list leaking
    another team's or clinic's patient fails: Carol sees Alice, Dave sees Bob, Frank (Riverside's admin) both; Erin
    and Grace (Hillside) see Heidi. Ivy, when the world made her, is on Carol's team at Riverside."""
    cast = world.cast
    assert world.actor is not None
    if world.actor.role == Role.CAREGIVER:
        # Anna sees Alice, Ben sees Bob; Rita, removed, nobody.
        return {
            caregiver_user(cast, "caregiver_a").pk: {cast.alice.pk},
            caregiver_user(cast, "revoked_caregiver").pk: set(),
            caregiver_user(cast, "caregiver_b").pk: {cast.bob.pk},
        }[world.actor.pk]
    visible = {
        cast.carol: {cast.alice},
        cast.dave: {cast.bob},
        cast.frank: {cast.alice, cast.bob},
        cast.erin: {cast.heidi},
        cast.grace: {cast.heidi},
    }[world.actor]
    if "invitee" in world.__dict__ and world.actor in (cast.carol, cast.frank):
        visible.add(world.invitee)
    return {user.pk for user in visible}


def listed_patients(world: World, body: Any) -> set[uuid.UUID] | None:
    """The page lists exactly the patients the actor may see (no one else), and the request read each of them (an
    empty page, a removed caregiver's, read nobody)."""
    listed = {uuid.UUID(item["id"]) for item in body["results"]}
    expected = known_visible_patients(world)
    assert listed == expected, f"listed {listed}, expected exactly {expected}"
    return expected or None


def caring_for_patients(world: World, body: Any) -> set[uuid.UUID] | None:
    """A caregiver's list of the patients they help: exactly those they may see, each a logged read."""
    listed = {uuid.UUID(item["patient"]) for item in body}
    expected = known_visible_patients(world)
    assert listed == expected, f"listed {listed}, expected exactly {expected}"
    return expected or None


def listed_alert_patients(world: World, body: Any) -> set[uuid.UUID]:
    """World.alerts puts one alert on each patient: the page holds exactly the alerts of the patients the actor may
    see, and the request read each of those patients."""
    listed = [uuid.UUID(item["patient"]["id"]) for item in body["results"]]
    expected = known_visible_patients(world)
    assert sorted(listed) == sorted(expected), f"alerts of {listed}, expected one for each of {expected}"
    return expected


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
    headers: dict[str, str] | None = None  # request headers, e.g. {"Prefer": "respond-async"}

    @property
    def key(self) -> tuple[str, str]:
        return (self.route, self.method)

    @property
    def id(self) -> str:
        return f"{self.route}-{self.method}"
