"""The authorization matrix's path and body builders: which of Alice's records (in World) each route's path names,
and the request bodies that need the world. tests/access_matrix.py imports them from here."""

from __future__ import annotations

import uuid
from typing import Any

from django.utils import timezone

from accounts.models import Role
from notifications.models import Kind, Notification
from tests.access_matrix_world import Kwargs, World, acted_for


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


def alices_checklist_item(world: World) -> Kwargs:
    return {"item_key": world.alice_blood_thinner.item_key}


def an_article(world: World) -> Kwargs:
    return {"article_key": "what_is_mild"}


def alice_with_a_plan(world: World) -> Kwargs:
    """Alice, once her procedure is done and her exercise plan laid out."""
    assert world.alice_procedure
    return {"patient_id": world.cast.alice.pk}


def alice_and_her_prescription(world: World) -> Kwargs:
    return {"patient_id": world.cast.alice.pk, "prescription_id": world.alice_prescription.pk}


def alice_and_her_adverse_event(world: World) -> Kwargs:
    return {"patient_id": world.cast.alice.pk, "event_id": world.alice_adverse_event.pk}


def alice_and_her_adverse_event_draft(world: World) -> Kwargs:
    return {"patient_id": world.cast.alice.pk, "event_id": world.alice_adverse_event_draft.pk}


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


def alices_caregiver(world: World) -> Kwargs:
    return {"link_id": world.alice_caregiver.pk}


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


def with_an_inbox_item(world: World) -> Kwargs:
    """No path kwargs: the actor's inbox holds one unread reminder; a caregiver's is about the patient they act for
    (Anna's about Alice, Ben's about Bob, and Rita's about Alice, who removed her, so it no longer shows)."""
    if world.actor is not None:
        patient = acted_for(world) if world.actor.role == Role.CAREGIVER else None
        Notification.objects.create(
            recipient=world.actor, kind=Kind.CHECKIN_REMINDER, occurrence="matrix",
            about=patient.patient_profile if patient is not None else None,
            title="Check-in for today", body="", url="https://app.test/app/checkin", created_at=timezone.now(),
        )  # fmt: skip
    return {}


def inbox_about(world: World, body: Any) -> set[uuid.UUID] | None:
    """The patients a caregiver's inbox page names (each item says whom it is about); None when it names nobody."""
    named = {uuid.UUID(item["about"]["id"]) for item in body["results"] if item["about"]}
    return named or None
