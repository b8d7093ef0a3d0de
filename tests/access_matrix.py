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
Role gates on collections (a patient asking for the staff list) are 403; anonymous callers get 401.

How to add an endpoint (say `GET /api/v1/patients/<patient_id>/checkins`, named "patient-checkin-list")
--------------------------------------------------------------------------------------------------------------------
1. Name the route in the app's urls.py (with the app's namespace, if it has one: "recovery:patient-checkin-list").
2. Add one Entry per HTTP method the view allows to MATRIX below (OPTIONS and HEAD excepted), with a one-line
   comment saying why:

       # A patient's check-ins: the patient, her care team, her clinic's admins; staff reads are logged.
       Entry("patient-checkin-list", "GET", alices_record(200), path=alice, phi=path_patient),

   - `expect`: pick a preset (alices_record, signed_in, patients_only, staff_only, admins_only, everyone) or write
     Expect(...) naming all eight actors.
   - `path`: World -> URL kwargs. Objects the request needs (a check-in, an alert, a push subscription under /me/)
     get a cached property on World, built for Alice (or her care team), never for anyone else.
   - `body`: World -> JSON for writes; make it valid, so the allowed actors really get their 2xx.
   - `phi`: for clinician/admin reads of a patient's data: which patients the request read (`path_patient`, or
     `listed_patients` for lists of patients, or your own function of (World, response JSON)). The test then demands
     exactly one PHIAccess row per patient read; without `phi`, it demands that none was written.
   - `shared=True` only for path ids that are nobody's data (library content all actors may see).
3. Run `.venv/bin/pytest tests/test_access_matrix.py`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, fields
from functools import cached_property
from typing import Any

from django.utils import timezone

from accounts.models import Invitation, Role, User
from tests.conftest import Cast
from tests.factories import PatientFactory, UserFactory

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


Kwargs = dict[str, Any]
PathBuilder = Callable[[World], Kwargs]
BodyBuilder = Callable[[World], Kwargs]
PHIReader = Callable[[World, Any], set[uuid.UUID]]


def no_kwargs(world: World) -> Kwargs:
    return {}


def alice(world: World) -> Kwargs:
    return {"patient_id": world.cast.alice.pk}


def pending_invitation(world: World) -> Kwargs:
    return {"invitation_id": world.pending_invitation.pk}


def path_patient(world: World, body: Any) -> set[uuid.UUID]:
    """The request read the patient named in the path (always Alice here)."""
    return {world.cast.alice.pk}


def listed_patients(world: World, body: Any) -> set[uuid.UUID]:
    """The request read every patient in the page of results."""
    return {uuid.UUID(item["id"]) for item in body["results"]}


@dataclass(frozen=True)
class Entry:
    route: str
    method: str
    expect: Expect
    path: PathBuilder = no_kwargs
    body: BodyBuilder | None = None
    phi: PHIReader | None = None
    shared: bool = False

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
    # Staff list the invitations they manage (clinicians: their patients'; admins: their clinic's).
    Entry("invitation-list", "GET", staff_only(200)),
    # Public: the token is the credential; anyone holding it (signed in or not) sets the password once.
    Entry(
        "invitation-accept",
        "POST",
        everyone(200),
        body=lambda w: {"token": w.invitation_token, "password": "a long and unusual passphrase 42"},
    ),
    # The invitation of a patient on Carol's team (World.invitee): Carol and Frank resend it; no patient ever sees
    # invitations, so for Alice too it does not exist.
    Entry("invitation-resend", "POST", alices_record(200, alice=404), path=pending_invitation),
    # As resend.
    Entry("invitation-revoke", "POST", alices_record(200, alice=404), path=pending_invitation),
    # --- Audit ------------------------------------------------------------------------------------------------------
    # The PHI access log of the admin's own clinic.
    Entry("phi-access-list", "GET", admins_only(200)),
]
