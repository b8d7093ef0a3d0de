"""Caregivers with a patient's "reminders" grant: each of the patient's reminders reaches them once (two ticks, a
caregiver of two patients), at the patient's local time, through their own channels; an emergency check-in reaches
them at once on the alerts queue with the advice the patient was shown; a grant or link revoked after planning is
skipped at send time; and their inbox is theirs alone, naming the patient each item is about."""

from __future__ import annotations

import datetime as dt
import io
import typing

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from accounts.caregivers import caregiver_grants_set, caregiver_revoke
from accounts.models import CaregiverLink, PatientProfile, Role, User
from notifications import services, tasks
from notifications.models import Channel, Delivery, DeliveryStatus, Kind, Notification
from tests.factories import CheckInFactory, UserFactory
from tests.notifications.support import (
    MORNING,
    WORKER_BROKER,
    broker_idle,
    checkin_record,
    patient_in,
    preference,
    send_due_inapp,
)
from tests.support import procedure_done, utc, wait_for

pytestmark = pytest.mark.clock_sensitive

FINAL = (DeliveryStatus.SENT, DeliveryStatus.FAILED, DeliveryStatus.SKIPPED)
INBOX = "/api/v1/me/inbox"


def caregiver_of(patient: PatientProfile, name: str, *, reminders: bool = True, relationship: str = "daughter") -> User:
    """An active caregiver account linked to `patient`, with the "reminders" grant or without it."""
    first = name.split(" ")[0].lower()
    user = typing.cast(
        User,
        UserFactory(email=f"{first}@family.example", full_name=name, role=Role.CAREGIVER, clinic=patient.user.clinic),
    )
    link_to(user, patient, reminders=reminders, relationship=relationship)
    return user


def link_to(caregiver: User, patient: PatientProfile, *, reminders: bool = True, relationship: str = "son") -> None:
    CaregiverLink.objects.create(
        patient=patient, caregiver=caregiver, relationship=relationship, invited_by=patient.user,
        can_view=True, can_get_reminders=reminders,
    )  # fmt: skip


def link_of(caregiver: User, patient: PatientProfile) -> CaregiverLink:
    return CaregiverLink.objects.get(caregiver=caregiver, patient=patient, revoked_at__isnull=True)


def due_now(patient: PatientProfile, carol: User) -> dt.date:
    """The patient's check-in reminder time is this very minute, five days after the procedure, with check-ins the
    two days before (so the plain reminder); returns the patient's local today."""
    local = timezone.now().astimezone(patient.zone)
    preference(patient.user, checkin_reminder_time=local.time().replace(second=0, microsecond=0))
    procedure_done(patient, carol, local.date() - dt.timedelta(days=5))
    for back in (1, 2):
        CheckInFactory(patient=patient, local_date=local.date() - dt.timedelta(days=back))
    return local.date()


def settled() -> bool:
    in_flight = Delivery.objects.filter(channel=Channel.INAPP).exclude(status__in=FINAL).exists()
    return broker_idle(WORKER_BROKER) and not in_flight


@pytest.mark.django_db(transaction=True)
def test_a_granted_caregiver_gets_each_reminder_once_even_when_the_tick_runs_twice(morning, cast, worker):
    # Alice and Bea, both in New York at 08:30 (no exercise slot is due yet), are due their check-in reminders.
    alice = cast.alice_profile
    bea = patient_in("America/New_York", clinic=cast.riverside, care_team=[cast.carol], name="Bea Brown")
    today = due_now(alice, cast.carol)
    due_now(bea, cast.carol)
    # Anna helps Alice and Bea, with both patients' "reminders" grant; she lives in Berlin and wants email.
    anna = caregiver_of(alice, "Anna Adams")
    link_to(anna, bea)
    preference(anna, time_zone="Europe/Berlin", channels={"checkin": ["email"]})
    # Cora may see Alice's recovery, but not get her reminders.
    cora = caregiver_of(alice, "Cora Cole", reminders=False, relationship="friend")

    tasks.notifications_tick.delay()
    tasks.notifications_tick.delay()
    wait_for(lambda: Notification.objects.filter(recipient=anna).count() == 2 and settled(), "Anna's reminders")
    tasks.notifications_tick.delay()
    wait_for(settled, "the third tick")

    # One inbox item per patient she helps, each naming the patient, and the patients' own as before.
    items = {n.about_id: n for n in Notification.objects.filter(recipient=anna)}
    assert set(items) == {alice.pk, bea.pk}
    assert items[alice.pk].kind == Kind.CHECKIN_REMINDER
    assert items[alice.pk].title == "Alice's check-in for today"
    assert items[bea.pk].title == "Bea's check-in for today"
    assert Notification.objects.filter(recipient=cast.alice, about=None).count() == 1
    assert not Notification.objects.filter(recipient=cora).exists()
    assert not Delivery.objects.filter(recipient=cora).exists()

    # One delivery per (patient, channel): her own channels (email instead of the default push), due at the
    # patient's reminder instant (the patient's zone, not Berlin), with the patient's day as the occurrence.
    annas = Delivery.objects.filter(recipient=anna)
    assert sorted((d.about_id == alice.pk, d.channel, d.occurrence) for d in annas) == sorted(
        (about, channel, today.isoformat()) for about in (True, False) for channel in (Channel.INAPP, Channel.EMAIL)
    )
    alices_due = Delivery.objects.get(recipient=cast.alice, channel=Channel.INAPP).due_at
    assert {d.due_at for d in annas if d.about_id == alice.pk} == {alices_due}
    assert {(d.status, d.attempts) for d in annas} == {(DeliveryStatus.SENT, 1)}
    # The email names neither patient nor anything about their health.
    emails = [m for m in mail.outbox if m.to == ["anna@family.example"]]
    assert len(emails) == 2
    for message in emails:
        assert message.subject == "A reminder for someone you help"
        text = f"{message.subject} {message.body}"
        assert "Alice" not in text and "Bea" not in text


@pytest.mark.django_db
@pytest.mark.parametrize("how", ["grant removed", "caregiver removed"])
def test_a_reminder_planned_for_a_caregiver_who_is_revoked_before_it_is_sent_is_skipped(cast, how):
    alice = cast.alice_profile
    with time_machine.travel(MORNING, tick=False):
        due_now(alice, cast.carol)
        anna = caregiver_of(alice, "Anna Adams")
        services.reminders_plan_due()
        planned = Delivery.objects.filter(recipient=anna)
        assert {(d.channel, d.status, d.about_id) for d in planned} == {
            (Channel.INAPP, DeliveryStatus.PENDING, alice.pk),
            (Channel.PUSH, DeliveryStatus.PENDING, alice.pk),
        }

        # Alice takes the grant back (keeping the rest), or removes Anna, before the reminders go out.
        link = link_of(anna, alice)
        if how == "grant removed":
            caregiver_grants_set(link=link, grants=["view"], relationship=None)
        else:
            caregiver_revoke(link=link)
        send_due_inapp()
        push = Delivery.objects.get(recipient=anna, channel=Channel.PUSH)
        assert services.external_deliver(push.pk) == DeliveryStatus.SKIPPED

    reason = "caregiver no longer gets this patient's reminders"
    assert {(d.status, d.last_error) for d in Delivery.objects.filter(recipient=anna)} == {
        (DeliveryStatus.SKIPPED, reason)
    }
    assert not Notification.objects.filter(recipient=anna).exists()
    # Alice's own reminder is untouched.
    assert Notification.objects.filter(recipient=cast.alice, kind=Kind.CHECKIN_REMINDER).count() == 1


@pytest.mark.django_db
def test_a_caregivers_reminder_is_skipped_when_the_patient_has_already_checked_in(cast):
    alice = cast.alice_profile
    with time_machine.travel(MORNING, tick=False):
        today = due_now(alice, cast.carol)
        anna = caregiver_of(alice, "Anna Adams")
        services.reminders_plan_due()
        CheckInFactory(patient=alice, local_date=today)
        send_due_inapp()
    inapp = Delivery.objects.get(recipient=anna, channel=Channel.INAPP)
    assert (inapp.status, inapp.last_error) == (DeliveryStatus.SKIPPED, "check-in already done")


@pytest.mark.django_db(transaction=True)
def test_an_emergency_checkin_reaches_the_caregiver_at_once_on_the_alerts_queue(morning, cast, alerts_worker):
    alice = cast.alice_profile
    procedure_done(alice, cast.carol, timezone.now().astimezone(alice.zone).date() - dt.timedelta(days=5))
    anna = caregiver_of(alice, "Anna Adams")
    # Even with her reminders paused and quiet hours all day: what to do in an emergency is never held back.
    preference(anna, paused=True, quiet_hours_start=dt.time(0, 0), quiet_hours_end=dt.time(23, 59))
    cora = caregiver_of(alice, "Cora Cole", reminders=False, relationship="friend")

    # Alice reports loss of bladder control; only the alerts queue has a worker, and no tick runs.
    result = checkin_record(
        alice, timezone.now().astimezone(alice.zone).date(), now=timezone.now(), red_flags=["bladder_bowel_control"]
    )
    (alert,) = result.alerts
    wait_for(lambda: Notification.objects.filter(recipient=anna).exists(), "Anna's instructions")
    wait_for(
        lambda: not Delivery.objects.filter(recipient=anna).exclude(status__in=FINAL).exists(), "Anna's push and email"
    )

    (item,) = Notification.objects.filter(recipient=anna)
    assert (item.kind, item.about_id, item.occurrence) == (Kind.CAREGIVER_ALERT, alice.pk, str(alert.pk))
    assert item.title == "Alice: Get emergency help now"
    # The advice Alice's own screen gave her, with Riverside's emergency number; not the warning sign itself.
    riverside = cast.riverside
    assert f"Call {riverside.emergency_number} now" in item.body
    assert alert.title not in item.body and "bladder" not in item.body.lower()
    assert not Notification.objects.filter(recipient=cora).exists()
    # Push (not configured here) and email went out at once, on the alerts queue, the email without a name.
    channels = {d.channel: d for d in Delivery.objects.filter(recipient=anna)}
    assert set(channels) == {Channel.INAPP, Channel.PUSH, Channel.EMAIL}
    assert channels[Channel.EMAIL].status == DeliveryStatus.SENT
    (email,) = [m for m in mail.outbox if m.to == ["anna@family.example"]]
    assert email.subject == "Someone you help needs you: please open the app"
    assert "Alice" not in f"{email.subject} {email.body}" and "bladder" not in email.body.lower()


@pytest.mark.django_db
def test_the_inbox_of_a_caregiver_is_theirs_alone_and_names_the_patient(cast, client_for):
    alice, bob = cast.alice_profile, cast.bob.patient_profile
    with time_machine.travel(MORNING, tick=False):
        due_now(alice, cast.carol)
        anna = caregiver_of(alice, "Anna Adams")
        ben = caregiver_of(bob, "Ben Baker", relationship="son")
        services.reminders_plan_due()
        send_due_inapp()
    (annas,) = Notification.objects.filter(recipient=anna)
    (alices,) = Notification.objects.filter(recipient=cast.alice)

    as_anna = client_for(anna)
    body = as_anna.get(INBOX, HTTP_X_PATIENT=str(alice.pk)).json()
    assert [(n["id"], n["about"]) for n in body["results"]] == [
        (str(annas.pk), {"id": str(alice.pk), "name": "Alice Adams"})
    ]
    assert as_anna.get(f"{INBOX}/unread-count").json() == {"unread": 1}
    # Alice sees only her own; nobody marks another's item read (404, as for an id that does not exist).
    alices_inbox = client_for(cast.alice).get(INBOX).json()["results"]
    assert [n["id"] for n in alices_inbox] == [str(alices.pk)]
    assert client_for(cast.alice).post(f"{INBOX}/{annas.pk}/read").status_code == 404
    assert as_anna.post(f"{INBOX}/{alices.pk}/read", HTTP_X_PATIENT=str(alice.pk)).status_code == 404
    assert client_for(ben).post(f"{INBOX}/{annas.pk}/read").status_code == 404
    assert client_for(ben).get(INBOX).json()["results"] == []
    alices.refresh_from_db()
    assert alices.read_at is None

    # Anna marks hers read.
    response = as_anna.post(f"{INBOX}/{annas.pk}/read")
    assert response.status_code == 200 and response.json()["read"] is True
    assert as_anna.get(f"{INBOX}/unread-count").json() == {"unread": 0}

    # Alice removes her: the items about Alice are gone from Anna's inbox at once.
    caregiver_revoke(link=link_of(anna, alice))
    assert as_anna.get(INBOX).json()["results"] == []
    assert as_anna.post(f"{INBOX}/{annas.pk}/read").status_code == 404


@pytest.mark.django_db
def test_the_demo_caregiver_gets_margarets_reminders_and_has_one_in_her_inbox(settings, client_for):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with time_machine.travel(utc(2027, 5, 20, 16), tick=False):
        call_command("seed_demo", stdout=io.StringIO())
        call_command("seed_demo", stdout=io.StringIO())  # safe to run again: still one
    anna = User.objects.get(email="anna@family.example")
    margaret = PatientProfile.objects.get(user__email="margaret@patients.example")
    assert link_of(anna, margaret).can_get_reminders
    body = client_for(anna).get(INBOX).json()
    assert [(n["kind"], n["about"]["name"], n["read"]) for n in body["results"]] == [
        (Kind.EXERCISE_REMINDER, margaret.user.full_name, False)
    ]
    assert body["results"][0]["title"] == "Margaret's exercises"


@pytest.mark.django_db
def test_a_caregiver_chooses_channels_for_reminders_and_warning_signs_but_keeps_one_for_emergencies(cast, client_for):
    anna = caregiver_of(cast.alice_profile, "Anna Adams")
    client = client_for(anna)
    url = "/api/v1/me/notification-preferences"
    response = client.patch(url, {"channels": {"checkin": ["email"], "alert_urgent": ["email"]}}, format="json")
    assert response.status_code == 200, response.content
    channels = response.json()["channels"]
    assert (channels["checkin"], channels["alert_urgent"], channels["alert_emergency"]) == (
        ["email"], ["email"], ["push", "email"]
    )  # fmt: skip
    assert "alert_digest" not in channels
    refused = client.patch(url, {"channels": {"alert_emergency": []}}, format="json")
    assert refused.status_code == 400
    assert "channels.alert_emergency" in refused.json()["errors"]
    digest = client.patch(url, {"channels": {"alert_digest": ["email"]}}, format="json")
    assert digest.status_code == 400
