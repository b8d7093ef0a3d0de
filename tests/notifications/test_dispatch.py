"""Claiming and sending: concurrent dispatchers never share a row, the inbox gets each message once, a dead worker's
rows come back after the stale timeout, alerts reach the right people at the right time, milestones are announced."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter

import pytest
import time_machine

from accounts.models import CareTeamMember
from notifications import services, tasks
from notifications.models import Channel, Delivery, DeliveryStatus, Kind, Notification
from recovery import services as recovery_services
from recovery.models import Alert, PatientMilestone
from recovery.rules import Finding
from tests.factories import AlertFactory
from tests.notifications.support import (
    NEW_YORK,
    checkin_record,
    deliveries_of,
    in_threads,
    patient_in,
    preference,
    send_due_inapp,
)
from tests.support import local, procedure_done, utc

D = dt.date
T = dt.time
MINUTE = dt.timedelta(minutes=1)
NOW = utc(2027, 5, 15, 15, 0)


def _due_deliveries(recipient, count: int, *, due_at: dt.datetime = NOW - MINUTE) -> list[int]:
    """`count` due in-app check-in reminders for `recipient`, one a day (the dispatcher does not care what they are)."""
    rows = [
        Delivery(
            recipient=recipient,
            kind=Kind.CHECKIN_REMINDER,
            occurrence=(D(2027, 1, 1) + dt.timedelta(days=i)).isoformat(),
            channel=Channel.INAPP,
            due_at=due_at,
            created_at=due_at,
        )
        for i in range(count)
    ]
    Delivery.objects.bulk_create(rows)
    return list(Delivery.objects.filter(recipient=recipient).order_by("id").values_list("id", flat=True))


# --- Claiming ---------------------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_second_dispatcher_skips_the_rows_the_first_holds_instead_of_waiting_or_taking_them(cast):
    ids = _due_deliveries(cast.alice, 300)
    both_in = threading.Barrier(2)
    second_done = threading.Event()
    seen_done_while_holding: list[bool] = []

    def first() -> list[int]:
        from django.db import transaction

        with transaction.atomic():
            claimed = services.deliveries_claim_due(now=NOW, limit=100)
            both_in.wait(10)
            # Still holding the locks on its 100 rows: the other dispatcher must finish without waiting for them.
            seen_done_while_holding.append(second_done.wait(10))
        return claimed

    def second() -> list[int]:
        both_in.wait(10)
        claimed = services.deliveries_claim_due(now=NOW, limit=1000)
        second_done.set()
        return claimed

    a, b = in_threads(first, second)
    assert seen_done_while_holding == [True]
    assert len(a) == 100
    assert len(b) == 200
    assert not set(a) & set(b)
    assert sorted(a + b) == ids
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.QUEUED}


@pytest.mark.django_db(transaction=True)
def test_racing_dispatchers_claim_every_due_row_exactly_once(cast):
    ids = _due_deliveries(cast.alice, 400)
    start = threading.Barrier(6)

    def dispatcher() -> list[int]:
        start.wait(10)
        mine: list[int] = []
        while batch := services.deliveries_claim_due(now=NOW, limit=17):
            mine.extend(batch)
        return mine

    claims = in_threads(*[dispatcher for _ in range(6)])
    every = [pk for claim in claims for pk in claim]
    assert sorted(every) == ids  # each exactly once
    assert sum(1 for claim in claims if claim) >= 2, "the race did not happen: one dispatcher took everything"


@pytest.mark.django_db
def test_only_due_pending_rows_are_claimed(cast):
    due = _due_deliveries(cast.alice, 2)
    later = Delivery.objects.create(
        recipient=cast.bob, kind=Kind.CHECKIN_REMINDER, occurrence="2027-05-15", channel=Channel.INAPP,
        due_at=NOW + MINUTE, created_at=NOW,
    )  # fmt: skip
    Delivery.objects.filter(pk=due[1]).update(status=DeliveryStatus.SKIPPED)

    assert services.deliveries_claim_due(now=NOW, limit=10) == [due[0]]
    assert services.deliveries_claim_due(now=NOW, limit=10) == []
    assert services.deliveries_claim_due(now=NOW + MINUTE, limit=10) == [later.pk]
    claimed = Delivery.objects.get(pk=later.pk)
    assert (claimed.status, claimed.queued_at) == (DeliveryStatus.QUEUED, NOW + MINUTE)


# --- The inbox gets each message once ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_delivering_the_same_chunk_twice_writes_one_inbox_item_per_delivery(cast):
    ids = _due_deliveries(cast.alice, 5)
    assert services.deliveries_claim_due(now=NOW, limit=10) == ids

    assert services.inapp_deliver(ids, now=NOW) == 5
    assert services.inapp_deliver(ids, now=NOW + MINUTE) == 0
    tasks.deliveries_send(ids)  # the task itself, run in-process as a redelivered message would run it

    assert Notification.objects.filter(recipient=cast.alice).count() == 5
    rows = Delivery.objects.filter(pk__in=ids)
    assert {(r.status, r.attempts, r.sent_at) for r in rows} == {(DeliveryStatus.SENT, 1, NOW)}
    assert Counter(Notification.objects.values_list("occurrence", flat=True)) == {r.occurrence: 1 for r in rows}


@pytest.mark.django_db
def test_an_unclaimed_row_is_not_sent_by_a_stray_task(cast):
    ids = _due_deliveries(cast.alice, 1)
    assert services.inapp_deliver(ids) == 0
    assert Delivery.objects.get(pk=ids[0]).status == DeliveryStatus.PENDING
    assert not Notification.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_workers_delivering_the_same_chunk_at_once_write_each_inbox_item_once(cast):
    ids = _due_deliveries(cast.alice, 200)
    services.deliveries_claim_due(now=NOW, limit=1000)
    start = threading.Barrier(4)

    def worker() -> int:
        start.wait(10)
        return services.inapp_deliver(ids)

    sent = in_threads(*[worker for _ in range(4)])
    assert sum(sent) == 200
    assert Notification.objects.count() == 200
    assert set(Delivery.objects.values_list("status", "attempts")) == {(DeliveryStatus.SENT, 1)}


# --- A worker that died -----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_queued_row_whose_worker_died_is_claimed_again_after_the_stale_timeout(cast, settings):
    settings.DELIVERY_STALE_SECONDS = 300
    ids = _due_deliveries(cast.alice, 3)
    assert services.deliveries_claim_due(now=NOW, limit=10) == ids
    # ...and the worker that got them died without a trace.

    assert services.deliveries_claim_due(now=NOW + dt.timedelta(seconds=299), limit=10) == []
    assert sorted(services.deliveries_claim_due(now=NOW + dt.timedelta(seconds=301), limit=10)) == ids
    assert services.inapp_deliver(ids, now=NOW + dt.timedelta(seconds=302)) == 3
    # The first worker's message comes back from the broker later: nothing happens twice.
    assert services.inapp_deliver(ids) == 0
    assert Notification.objects.count() == 3


@pytest.mark.django_db
def test_a_push_stuck_in_sending_is_claimed_again_after_the_stale_timeout(cast, settings):
    settings.DELIVERY_STALE_SECONDS = 300
    row = Delivery.objects.create(
        recipient=cast.alice, kind=Kind.CHECKIN_REMINDER, occurrence="2027-05-15", channel=Channel.PUSH,
        due_at=NOW, created_at=NOW, status=DeliveryStatus.SENDING, queued_at=NOW, attempts=1,
    )  # fmt: skip
    assert services.deliveries_claim_due(now=NOW + dt.timedelta(seconds=299), limit=10) == []
    assert services.deliveries_claim_due(now=NOW + dt.timedelta(seconds=301), limit=10) == [row.pk]
    row.refresh_from_db()
    assert row.status == DeliveryStatus.QUEUED


@pytest.mark.django_db
def test_the_dispatcher_sends_chunks_of_ids_and_a_sent_row_is_not_claimed_again(cast, settings):
    settings.DELIVERY_CHUNK_SIZE = 2
    ids = _due_deliveries(cast.alice, 5)
    assert [list(c) for c in services.chunks(ids, 2)] == [ids[0:2], ids[2:4], ids[4:5]]
    services.deliveries_claim_due(now=NOW, limit=100)
    for chunk in services.chunks(ids, 2):
        tasks.deliveries_send(chunk)
    assert services.deliveries_claim_due(now=NOW + dt.timedelta(hours=1), limit=100) == []
    assert Notification.objects.count() == 5


# --- Alerts to the care team ------------------------------------------------------------------------------------------


@pytest.fixture
def alice_team(cast):
    """Alice's care team: Dr Carol (primary) and Dr Dave; Frank administers Riverside. Procedure on 10 May 2027."""
    CareTeamMember.objects.create(patient=cast.alice_profile, clinician=cast.dave, is_primary=False)
    procedure_done(cast.alice_profile, cast.carol, D(2027, 5, 10))
    return cast


def _raise_from_checkin(cast, red_flag: str, at: dt.datetime, capture) -> Alert:
    with time_machine.travel(at, tick=False), capture(execute=True):
        result = checkin_record(cast.alice_profile, at.astimezone(NEW_YORK).date(), now=at, red_flags=[red_flag])
    (alert,) = result.alerts
    return alert


def _alert_rows(kind: str) -> set[tuple[str, str]]:
    return {
        (r.recipient.email.split("@")[0], r.channel)
        for r in Delivery.objects.filter(kind=kind).select_related("recipient")
    }


@pytest.mark.django_db
@pytest.mark.parametrize(("red_flag", "tier"), [("bladder_bowel_control", "emergency"), ("fever_chills", "urgent")])
def test_the_primary_clinician_hears_of_an_emergency_or_urgent_alert_at_once(
    alice_team, django_capture_on_commit_callbacks, red_flag, tier
):
    cast = alice_team
    alert = _raise_from_checkin(cast, red_flag, NOW, django_capture_on_commit_callbacks)
    assert alert.tier == tier

    rows = Delivery.objects.filter(kind=Kind.ALERT)
    assert _alert_rows(Kind.ALERT) == {("carol", Channel.INAPP), ("carol", Channel.PUSH), ("carol", Channel.EMAIL)}
    assert {(r.occurrence, r.subject_id, r.due_at) for r in rows} == {(str(alert.pk), str(alert.pk), NOW)}

    with time_machine.travel(NOW + dt.timedelta(seconds=20), tick=False):
        send_due_inapp()
    (item,) = Notification.objects.filter(recipient=cast.carol)
    assert item.title == f"{tier.capitalize()} alert"
    assert "Alice Adams" in item.body  # the inbox, behind sign-in, may name the patient
    assert item.url.endswith(f"/app/clinician/alerts/{alert.pk}")
    assert item.created_at - NOW < MINUTE


@pytest.mark.django_db
def test_the_alerts_channels_follow_the_clinicians_choice_per_tier(alice_team, django_capture_on_commit_callbacks):
    preference(alice_team.carol, channels={"alert_emergency": ["push"], "alert_urgent": []})
    _raise_from_checkin(alice_team, "bladder_bowel_control", NOW, django_capture_on_commit_callbacks)
    _raise_from_checkin(alice_team, "fever_chills", NOW + dt.timedelta(days=1), django_capture_on_commit_callbacks)
    by_tier = Counter(
        (Alert.objects.get(pk=r.subject_id).tier, r.channel) for r in Delivery.objects.filter(kind=Kind.ALERT)
    )
    assert by_tier == {("emergency", Channel.INAPP): 1, ("emergency", Channel.PUSH): 1, ("urgent", Channel.INAPP): 1}


@pytest.mark.django_db
def test_a_patient_without_a_primary_clinician_has_alerts_go_to_the_clinic_admins_at_once(
    cast, django_capture_on_commit_callbacks
):
    ivy = patient_in(NEW_YORK, clinic=cast.riverside, care_team=[])
    procedure_done(ivy, cast.carol, D(2027, 5, 10))
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        checkin_record(ivy, D(2027, 5, 15), now=NOW, red_flags=["saddle_numbness"])
    assert {r[0] for r in _alert_rows(Kind.ALERT)} == {"frank"}


@pytest.mark.django_db
def test_a_watch_alert_is_not_sent_at_once_but_in_the_next_morning_digest(
    alice_team, django_capture_on_commit_callbacks
):
    cast = alice_team
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        recovery_services.alerts_raise(
            patient=cast.alice_profile, findings=[Finding(rule="pain_8_plus_two_days", trigger="test:1")], now=NOW
        )
    assert not Delivery.objects.exists()

    # Dr Carol's morning is 08:00 in New York (her clinic's zone): 12:00 UTC on 16 May.
    morning = utc(2027, 5, 16, 12, 0)
    with time_machine.travel(morning - MINUTE, tick=False):
        services.digests_plan()
    assert not Delivery.objects.exists()
    with time_machine.travel(morning, tick=False) as traveller:
        services.digests_plan()
        traveller.move_to(morning + dt.timedelta(minutes=30))
        services.digests_plan()
    assert _alert_rows(Kind.ALERT_DIGEST) >= {("carol", Channel.INAPP), ("carol", Channel.EMAIL)}
    assert "dave" in {r[0] for r in _alert_rows(Kind.ALERT_DIGEST)}  # Dave is on Alice's team too
    assert not {r[0] for r in _alert_rows(Kind.ALERT_DIGEST)} & {"erin", "grace"}
    carols = deliveries_of(cast.carol, kind=Kind.ALERT_DIGEST)
    assert {(r.occurrence, r.due_at) for r in carols} == {("2027-05-16", morning)}
    assert len(carols) == 2

    # The morning after, nothing new happened: no digest.
    with time_machine.travel(morning + dt.timedelta(days=1), tick=False):
        services.digests_plan()
    assert not Delivery.objects.filter(kind=Kind.ALERT_DIGEST, occurrence="2027-05-17").exists()


@pytest.mark.django_db
def test_the_digest_comes_at_the_clinicians_own_morning_in_their_own_zone(
    alice_team, django_capture_on_commit_callbacks
):
    cast = alice_team
    preference(cast.carol, time_zone="Europe/Berlin", digest_time=T(7, 30))
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        recovery_services.alerts_raise(
            patient=cast.alice_profile, findings=[Finding(rule="pain_8_plus_two_days", trigger="test:1")], now=NOW
        )
    morning = utc(2027, 5, 16, 5, 30)  # 07:30 CEST
    with time_machine.travel(morning, tick=False):
        services.digests_plan()
    assert [(r.occurrence, r.due_at) for r in deliveries_of(cast.carol, kind=Kind.ALERT_DIGEST)] == [
        ("2027-05-16", morning),
        ("2027-05-16", morning),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("red_flag", "minutes"), [("bladder_bowel_control", 30), ("wound_problem", 4 * 60)])
def test_an_unacknowledged_alert_escalates_to_the_rest_of_the_team_and_the_clinic_admins(
    alice_team, django_capture_on_commit_callbacks, red_flag, minutes
):
    cast = alice_team
    _raise_from_checkin(cast, red_flag, NOW, django_capture_on_commit_callbacks)
    with time_machine.travel(NOW + dt.timedelta(minutes=minutes - 1), tick=False):
        services.escalations_plan()
    assert not Delivery.objects.filter(kind=Kind.ALERT_ESCALATION).exists()

    later = NOW + dt.timedelta(minutes=minutes + 1)
    with time_machine.travel(later, tick=False):
        services.escalations_plan()
        services.escalations_plan()  # the next tick plans nothing new
        send_due_inapp()
    assert {r[0] for r in _alert_rows(Kind.ALERT_ESCALATION)} == {"dave", "frank"}
    assert Counter(r.recipient_id for r in Delivery.objects.filter(kind=Kind.ALERT_ESCALATION, channel="inapp")) == {
        cast.dave.pk: 1,
        cast.frank.pk: 1,
    }
    titles = set(Notification.objects.filter(kind=Kind.ALERT_ESCALATION).values_list("recipient__email", "title"))
    tier = "Emergency" if minutes == 30 else "Urgent"
    assert titles == {
        ("dave@riverside.example", f"{tier} alert: not yet acknowledged"),
        ("frank@riverside.example", f"{tier} alert: not yet acknowledged"),
    }


@pytest.mark.django_db
def test_an_alert_acknowledged_in_time_does_not_escalate(alice_team, django_capture_on_commit_callbacks):
    alert = _raise_from_checkin(alice_team, "bladder_bowel_control", NOW, django_capture_on_commit_callbacks)
    recovery_services.alert_acknowledge(alert=alert, by=alice_team.carol, now=NOW + dt.timedelta(minutes=10))
    with time_machine.travel(NOW + dt.timedelta(minutes=31), tick=False):
        services.escalations_plan()
    assert not Delivery.objects.filter(kind=Kind.ALERT_ESCALATION).exists()


@pytest.mark.django_db
def test_an_escalation_planned_just_before_the_acknowledgement_is_not_sent(
    alice_team, django_capture_on_commit_callbacks
):
    alert = _raise_from_checkin(alice_team, "bladder_bowel_control", NOW, django_capture_on_commit_callbacks)
    with time_machine.travel(NOW + dt.timedelta(minutes=31), tick=False):
        services.escalations_plan()
        recovery_services.alert_acknowledge(alert=alert, by=alice_team.carol)
        send_due_inapp()
    inapp = Delivery.objects.filter(kind=Kind.ALERT_ESCALATION, channel=Channel.INAPP)
    assert {r.status for r in inapp} == {DeliveryStatus.SKIPPED}
    assert not Notification.objects.filter(kind=Kind.ALERT_ESCALATION).exists()


@pytest.fixture
def eager_tasks():
    """Tasks queued with .delay() run at once in this process (the worker tests use a real worker)."""
    from config.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.mark.django_db
def test_an_alert_whose_announcement_was_lost_reaches_the_primary_clinician_at_the_next_tick(alice_team, eager_tasks):
    # Raised and committed, but the process died before the alert_raised receiver ran: no delivery was planned.
    alert = AlertFactory(
        patient=alice_team.alice_profile, rule="bladder_bowel_control", tier="emergency", raised_at=NOW
    )
    assert not Delivery.objects.exists()

    for seconds in (50, 110):
        with time_machine.travel(NOW + dt.timedelta(seconds=seconds), tick=False):
            tasks.notifications_tick()

    (item,) = Notification.objects.filter(recipient=alice_team.carol)
    assert item.kind == Kind.ALERT and item.url.endswith(str(alert.pk))
    assert item.created_at == NOW + dt.timedelta(seconds=50)
    assert Delivery.objects.filter(kind=Kind.ALERT, recipient=alice_team.carol).count() == 3  # inapp, push, email


@pytest.mark.django_db
def test_no_late_alert_for_one_acknowledged_one_of_the_watch_tier_or_one_past_the_look_back(alice_team):
    team = alice_team
    AlertFactory(patient=team.alice_profile, rule="fever_chills", tier="urgent", raised_at=NOW, state="acknowledged")
    AlertFactory(patient=team.alice_profile, rule="pain_8_plus_two_days", tier="watch", raised_at=NOW)
    AlertFactory(
        patient=team.alice_profile, rule="saddle_numbness", tier="emergency", raised_at=NOW - dt.timedelta(hours=3)
    )
    with time_machine.travel(NOW + MINUTE, tick=False):
        services.alerts_plan_missed()
    assert not Delivery.objects.filter(kind=Kind.ALERT).exists()


# --- Milestones -------------------------------------------------------------------------------------------------------


@pytest.fixture
def alice_day_14(cast):
    """Alice's procedure was on 10 May 2027: the weeks 2-3 check-up opens on day 14 (24 May) and closes on day 21."""
    procedure_done(cast.alice_profile, cast.carol, D(2027, 5, 10))
    return cast.alice_profile


@pytest.mark.django_db
def test_a_milestone_opening_lands_in_the_inbox_once(cast, alice_day_14, django_capture_on_commit_callbacks):
    opened = local(NEW_YORK, 2027, 5, 24, 10, 0)
    for minutes in (0, 15):
        with time_machine.travel(opened + dt.timedelta(minutes=minutes), tick=False):
            with django_capture_on_commit_callbacks(execute=True):
                recovery_services.time_rules_run_for_patient(patient=alice_day_14)
            send_due_inapp()
    milestone = PatientMilestone.objects.get(patient=alice_day_14, key="weeks_2_3")
    assert {(r.kind, r.occurrence, r.channel) for r in deliveries_of(cast.alice)} == {
        (Kind.MILESTONE_OPENED, str(milestone.pk), c) for c in (Channel.INAPP, Channel.PUSH, Channel.EMAIL)
    }
    # A repeated announcement (a replayed signal) plans nothing new.
    services.milestone_opened_plan(milestone_id=milestone.pk, now=opened + dt.timedelta(hours=1))
    assert Delivery.objects.filter(recipient=cast.alice).count() == 3
    (item,) = Notification.objects.filter(recipient=cast.alice)
    assert item.title == "Your recovery check-up is open"
    assert item.body == f"{milestone.title} is open until May 31."


@pytest.mark.django_db
def test_a_milestone_opening_in_quiet_hours_waits_for_them_to_end_on_push_and_email(cast, alice_day_14):
    preference(cast.alice, quiet_hours_start=T(22, 0), quiet_hours_end=T(7, 0))
    milestone = PatientMilestone.objects.get(patient=alice_day_14, key="weeks_2_3")
    opened = local(NEW_YORK, 2027, 5, 23, 23, 0)
    services.milestone_opened_plan(milestone_id=milestone.pk, now=opened)
    rows = {r.channel: r for r in deliveries_of(cast.alice)}
    assert rows[Channel.INAPP].due_at == opened
    assert rows[Channel.PUSH].due_at == rows[Channel.EMAIL].due_at == local(NEW_YORK, 2027, 5, 24, 7, 0)
    assert {r.status for r in rows.values()} == {DeliveryStatus.PENDING}


@pytest.mark.django_db
def test_a_paused_patient_is_not_told_a_milestone_opened(cast, alice_day_14):
    preference(cast.alice, paused=True)
    milestone = PatientMilestone.objects.get(patient=alice_day_14, key="weeks_2_3")
    services.milestone_opened_plan(milestone_id=milestone.pk, now=NOW)
    assert not Delivery.objects.exists()


@pytest.mark.django_db
def test_a_nudge_three_days_before_the_milestone_window_closes_at_the_reminder_time(cast, alice_day_14):
    """Weeks 2-3 closes on 31 May: the nudge comes on 28 May at Alice's reminder time, 18:00 EDT (22:00 UTC)."""
    milestone = PatientMilestone.objects.get(patient=alice_day_14, key="weeks_2_3")
    due = utc(2027, 5, 28, 22, 0)
    for instant in (due - dt.timedelta(days=1), due - MINUTE):
        with time_machine.travel(instant, tick=False):
            services.milestones_closing_plan()
    assert not Delivery.objects.exists()
    with time_machine.travel(due, tick=False) as traveller:
        services.milestones_closing_plan()
        traveller.move_to(due + dt.timedelta(minutes=5))
        services.milestones_closing_plan()
        send_due_inapp()
    assert {(r.kind, r.occurrence, r.channel, r.due_at) for r in deliveries_of(cast.alice)} == {
        (Kind.MILESTONE_CLOSING, str(milestone.pk), c, due) for c in (Channel.INAPP, Channel.PUSH, Channel.EMAIL)
    }
    (item,) = Notification.objects.filter(recipient=cast.alice)
    assert item.body == f"{milestone.title} closes on May 31."


@pytest.mark.django_db
def test_no_closing_nudge_for_a_completed_milestone(cast, alice_day_14):
    PatientMilestone.objects.filter(patient=alice_day_14, key="weeks_2_3").update(completed_at=NOW)
    with time_machine.travel(utc(2027, 5, 28, 22, 0), tick=False):
        services.milestones_closing_plan()
    assert not Delivery.objects.exists()
