"""Daily check-in reminders: planned once per patient per local day, at the right UTC instant, across DST changes in
five zones; none when the check-in is in; a nudge after two missed days; none while paused; quiet hours hold back push
and email but not the inbox; planning twice (or twice at once) plans nothing new."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
import time_machine

from notifications import services
from notifications.models import Channel, Delivery, DeliveryStatus, Kind, Notification
from recovery import services as recovery_services
from recovery.models import CheckIn
from tests.factories import CheckInFactory
from tests.notifications.support import (
    BERLIN,
    CHATHAM,
    KOLKATA,
    NEW_YORK,
    SYDNEY,
    checkin_record,
    deliveries_of,
    in_threads,
    patient_in,
    preference,
    send_due_inapp,
)
from tests.support import local, procedure_done, utc

pytestmark = pytest.mark.clock_sensitive

T = dt.time
D = dt.date
DAY = dt.timedelta(days=1)
MINUTE = dt.timedelta(minutes=1)
REMINDER_KINDS = (Kind.CHECKIN_REMINDER, Kind.CHECKIN_NUDGE)

# (zone, change day, UTC of 08:00 that day, an odd local time (missing or ambiguous that day), its UTC instant)
CHANGE_DAYS = [
    (NEW_YORK, D(2026, 3, 8), utc(2026, 3, 8, 12, 0), T(2, 30), utc(2026, 3, 8, 7, 0)),
    (NEW_YORK, D(2026, 11, 1), utc(2026, 11, 1, 13, 0), T(1, 30), utc(2026, 11, 1, 5, 30)),
    (BERLIN, D(2026, 3, 29), utc(2026, 3, 29, 6, 0), T(2, 30), utc(2026, 3, 29, 1, 0)),
    (BERLIN, D(2026, 10, 25), utc(2026, 10, 25, 7, 0), T(2, 30), utc(2026, 10, 25, 0, 30)),
    (SYDNEY, D(2026, 4, 5), utc(2026, 4, 4, 22, 0), T(2, 30), utc(2026, 4, 4, 15, 30)),
    (SYDNEY, D(2026, 10, 4), utc(2026, 10, 3, 21, 0), T(2, 30), utc(2026, 10, 3, 16, 0)),
    (KOLKATA, D(2026, 3, 8), utc(2026, 3, 8, 2, 30), T(2, 30), utc(2026, 3, 7, 21, 0)),
    (CHATHAM, D(2026, 4, 5), utc(2026, 4, 4, 19, 15), T(3, 0), utc(2026, 4, 4, 13, 15)),
    (CHATHAM, D(2026, 9, 27), utc(2026, 9, 26, 18, 15), T(3, 0), utc(2026, 9, 26, 14, 0)),
]


def _plain_day_instant(day: D, at: T, zone: ZoneInfo) -> dt.datetime:
    """On an ordinary day every wall time exists once: zoneinfo alone gives the instant."""
    return dt.datetime.combine(day, at, tzinfo=zone).astimezone(dt.UTC)


def _sweep(start: dt.datetime, end: dt.datetime, step: dt.timedelta, dues: list[dt.datetime]) -> list[dt.datetime]:
    """Instants every `step`, plus every minute around each expected due time. A step shorter than the look-back
    (2 hours) still sees every reminder that becomes due; the minutes around each due time check it is on time."""
    instants = set()
    t = start
    while t <= end:
        instants.add(t)
        t += step
    for due in dues:
        instants.update(due + k * MINUTE for k in range(-2, 3))
    return sorted(instants)


@pytest.mark.django_db
@pytest.mark.parametrize(("zone", "day", "eight_due", "odd_time", "odd_due"), CHANGE_DAYS, ids=lambda v: str(v))
def test_one_reminder_per_local_day_at_the_right_instant_across_a_dst_change(
    cast, zone, day, eight_due, odd_time, odd_due
):
    """Given three patients in `zone` (reminders at 08:00, at a time that is missing or doubled on the change day, and
    at the default 18:00), when the planner runs through the three days around the change, then each patient gets one
    reminder per local day (per channel), due at the wall time's UTC instant, planned the minute it came due."""
    eight = patient_in(zone, clinic=cast.riverside, care_team=[cast.carol])
    odd = patient_in(zone, clinic=cast.riverside, care_team=[cast.carol])
    default = patient_in(zone, clinic=cast.riverside, care_team=[cast.carol])
    preference(eight.user, checkin_reminder_time=T(8, 0))
    preference(odd.user, checkin_reminder_time=odd_time)
    patients = {eight: T(8, 0), odd: odd_time, default: T(18, 0)}
    for patient in patients:
        procedure_done(patient, cast.carol, day - 10 * DAY)
        # Check-ins two and three days before: the day before and the change day get the plain reminder; the day
        # after follows two days without one and gets the nudge.
        CheckInFactory(patient=patient, local_date=day - 2 * DAY)
        CheckInFactory(patient=patient, local_date=day - 3 * DAY)

    days = (day - DAY, day, day + DAY)
    expected: dict[tuple[object, D], dt.datetime] = {}
    for patient, at in patients.items():
        for d in days:
            expected[(patient.pk, d)] = _plain_day_instant(d, at, zone)
    expected[(eight.pk, day)] = eight_due
    expected[(odd.pk, day)] = odd_due

    start = dt.datetime.combine(day - DAY, T(0, 0), tzinfo=zone).astimezone(dt.UTC) - dt.timedelta(hours=1)
    end = dt.datetime.combine(day + 2 * DAY, T(0, 0), tzinfo=zone).astimezone(dt.UTC) + dt.timedelta(hours=1)
    ids = [p.pk for p in patients]
    with time_machine.travel(start, tick=False) as traveller:
        for instant in _sweep(start, end, dt.timedelta(hours=1), list(expected.values())):
            traveller.move_to(instant)
            services.reminders_plan_due()
            # Never planned ahead of its time.
            assert not Delivery.objects.filter(recipient_id__in=ids, due_at__gt=instant).exists(), instant

    rows = Delivery.objects.filter(recipient_id__in=ids)
    per_day = Counter((r.recipient_id, r.occurrence, r.channel) for r in rows)
    assert set(per_day.values()) == {1}
    assert {(pk, occurrence) for pk, occurrence, _ in per_day} == {(pk, d.isoformat()) for pk, d in expected}
    for row in rows:
        due = expected[(row.recipient_id, D.fromisoformat(row.occurrence))]
        assert row.due_at == due, (row.recipient_id, row.occurrence)
        assert row.created_at == due, "planned late"
        assert row.kind == (Kind.CHECKIN_NUDGE if row.occurrence == (day + DAY).isoformat() else Kind.CHECKIN_REMINDER)
    assert Counter(r.channel for r in rows) == {Channel.INAPP: 9, Channel.PUSH: 9}


@pytest.mark.django_db
def test_the_eight_oclock_reminder_on_a_fall_back_day_is_not_planned_again_an_hour_later(cast):
    """New York, 1 November 2026: 01:30 happens twice (05:30 and 06:30 UTC). Planning every few minutes through both
    hours, and every minute around both 01:30s, plans it once, at the first."""
    alice = cast.alice_profile
    preference(cast.alice, checkin_reminder_time=T(1, 30))
    procedure_done(alice, cast.carol, D(2026, 10, 25))
    first, second = utc(2026, 11, 1, 5, 30), utc(2026, 11, 1, 6, 30)
    instants = _sweep(utc(2026, 11, 1, 4, 0), utc(2026, 11, 1, 8, 0), dt.timedelta(minutes=5), [first, second])
    with time_machine.travel(instants[0], tick=False) as traveller:
        for instant in instants:
            traveller.move_to(instant)
            services.reminders_plan_due()
    inapp = deliveries_of(cast.alice, channel=Channel.INAPP)
    assert [(r.occurrence, r.due_at) for r in inapp] == [("2026-11-01", utc(2026, 11, 1, 5, 30))]


# --- What is planned, and for whom ------------------------------------------------------------------------------------


@pytest.fixture
def alice_recovering(cast):
    """Alice (New York) is 5 days after her procedure and checked in on days 3 and 4; reminder at 18:00 (default)."""
    procedure_done(cast.alice_profile, cast.carol, D(2027, 5, 10))
    CheckInFactory(patient=cast.alice_profile, local_date=D(2027, 5, 13))
    CheckInFactory(patient=cast.alice_profile, local_date=D(2027, 5, 14))
    return cast.alice_profile


ALICE_DUE = utc(2027, 5, 15, 22, 0)  # 18:00 EDT on 15 May 2027


@pytest.mark.django_db
def test_the_reminder_is_planned_at_the_patients_time_on_every_channel_they_chose(cast, alice_recovering):
    with time_machine.travel(ALICE_DUE - MINUTE, tick=False):
        services.reminders_plan_due()
    assert deliveries_of(cast.alice) == []

    with time_machine.travel(ALICE_DUE, tick=False):
        services.reminders_plan_due()
    rows = deliveries_of(cast.alice)
    assert {(r.kind, r.occurrence, r.channel, r.status, r.due_at) for r in rows} == {
        (Kind.CHECKIN_REMINDER, "2027-05-15", Channel.INAPP, DeliveryStatus.PENDING, ALICE_DUE),
        (Kind.CHECKIN_REMINDER, "2027-05-15", Channel.PUSH, DeliveryStatus.PENDING, ALICE_DUE),
    }


@pytest.mark.django_db
def test_a_reminder_missed_by_a_short_outage_is_still_planned_but_not_after_the_look_back(cast, alice_recovering):
    with time_machine.travel(ALICE_DUE + dt.timedelta(minutes=119), tick=False):
        services.reminders_plan_due()
    assert len(deliveries_of(cast.alice, channel=Channel.INAPP)) == 1

    Delivery.objects.all().delete()
    with time_machine.travel(ALICE_DUE + dt.timedelta(minutes=121), tick=False):
        services.reminders_plan_due()
    assert deliveries_of(cast.alice) == []


@pytest.mark.django_db
def test_no_reminder_when_todays_checkin_is_in(cast, alice_recovering):
    CheckInFactory(patient=alice_recovering, local_date=D(2027, 5, 15))
    with time_machine.travel(ALICE_DUE, tick=False):
        services.reminders_plan_due()
    assert deliveries_of(cast.alice) == []


@pytest.mark.django_db
def test_a_checkin_after_planning_cancels_the_waiting_reminder(
    cast, alice_recovering, django_capture_on_commit_callbacks
):
    """Planned at 18:00 and not sent yet: the check-in at 18:00:30 skips it on every channel, so it never arrives
    (each sender finds the check-in in and skips its row)."""
    with time_machine.travel(ALICE_DUE, tick=False):
        services.reminders_plan_due()
    with time_machine.travel(ALICE_DUE + dt.timedelta(seconds=30), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            checkin_record(alice_recovering, D(2027, 5, 15), now=ALICE_DUE + dt.timedelta(seconds=30))
        claimed = send_due_inapp()
        for pk in Delivery.objects.filter(id__in=claimed).exclude(channel=Channel.INAPP).values_list("id", flat=True):
            services.external_deliver(pk)
    rows = deliveries_of(cast.alice)
    assert {(r.status, r.last_error) for r in rows} == {(DeliveryStatus.SKIPPED, "check-in already done")}
    assert not Notification.objects.filter(recipient=cast.alice).exists()


@pytest.mark.django_db
def test_a_checkin_after_the_reminder_was_claimed_stops_it_at_send_time(cast, alice_recovering):
    with time_machine.travel(ALICE_DUE, tick=False):
        services.reminders_plan_due()
        ids = services.deliveries_claim_due(now=ALICE_DUE, limit=100)
    CheckInFactory(patient=alice_recovering, local_date=D(2027, 5, 15))
    inapp = [r.pk for r in deliveries_of(cast.alice, channel=Channel.INAPP)]
    assert set(inapp) <= set(ids)

    assert services.inapp_deliver(inapp) == 0
    assert Delivery.objects.get(pk=inapp[0]).status == DeliveryStatus.SKIPPED
    assert not Notification.objects.filter(recipient=cast.alice).exists()


@pytest.mark.django_db
def test_a_nudge_replaces_the_reminder_after_two_days_without_a_checkin(cast):
    """Procedure on 10 May, checked in that evening: day 2 (12 May) gets the plain reminder; day 3 (13 May), after
    days 1 and 2 without a check-in, the nudge instead; a check-in on day 3 brings the plain reminder back on day 4."""
    alice = cast.alice_profile
    procedure_done(alice, cast.carol, D(2027, 5, 10))
    CheckInFactory(patient=alice, local_date=D(2027, 5, 10), recorded_at=local(NEW_YORK, 2027, 5, 10, 19))
    for day in (D(2027, 5, 12), D(2027, 5, 13)):
        with time_machine.travel(_plain_day_instant(day, T(18), NEW_YORK), tick=False):
            services.reminders_plan_due()
    CheckInFactory(patient=alice, local_date=D(2027, 5, 13), recorded_at=local(NEW_YORK, 2027, 5, 13, 19))
    with time_machine.travel(_plain_day_instant(D(2027, 5, 14), T(18), NEW_YORK), tick=False):
        services.reminders_plan_due()

    kinds = {(r.occurrence, r.kind) for r in deliveries_of(cast.alice, channel=Channel.INAPP)}
    assert kinds == {
        ("2027-05-12", Kind.CHECKIN_REMINDER),
        ("2027-05-13", Kind.CHECKIN_NUDGE),
        ("2027-05-14", Kind.CHECKIN_REMINDER),
    }


@pytest.mark.django_db
def test_the_first_reminder_comes_on_the_evening_of_the_procedure_day(cast):
    """Day 0: warning signs can show the same evening, so the first check-in is asked for then, not 30 hours later.
    Missing days 0 and 1 makes day 2's reminder the gentler nudge."""
    procedure_done(cast.alice_profile, cast.carol, D(2027, 5, 15))
    evening = _plain_day_instant(D(2027, 5, 15), T(18), NEW_YORK)
    with time_machine.travel(evening, tick=False):
        services.reminders_plan_due()
    assert {(r.kind, r.occurrence, r.due_at) for r in deliveries_of(cast.alice, channel=Channel.INAPP)} == {
        (Kind.CHECKIN_REMINDER, "2027-05-15", evening)
    }
    for day in (D(2027, 5, 16), D(2027, 5, 17)):
        with time_machine.travel(_plain_day_instant(day, T(18), NEW_YORK), tick=False):
            services.reminders_plan_due()
    assert [(r.occurrence, r.kind) for r in deliveries_of(cast.alice, channel=Channel.INAPP)] == [
        ("2027-05-15", Kind.CHECKIN_REMINDER),
        ("2027-05-16", Kind.CHECKIN_REMINDER),
        ("2027-05-17", Kind.CHECKIN_NUDGE),
    ]


@pytest.mark.django_db
def test_no_reminder_after_day_90(cast):
    procedure_done(cast.alice_profile, cast.carol, D(2027, 2, 13))  # 15 May is day 91
    with time_machine.travel(_plain_day_instant(D(2027, 5, 15), T(18), NEW_YORK), tick=False):
        services.reminders_plan_due()
    assert deliveries_of(cast.alice) == []


@pytest.mark.django_db
def test_no_reminder_on_the_day_of_a_procedure_not_yet_marked_done(cast):
    recovery_services.procedure_schedule(
        patient=cast.alice_profile, by=cast.carol, procedure_date=D(2027, 5, 15), levels=["L4-L5"],
        side="bilateral", anaesthesia="local",
    )  # fmt: skip
    with time_machine.travel(_plain_day_instant(D(2027, 5, 15), T(18), NEW_YORK), tick=False):
        services.reminders_plan_due()
    assert deliveries_of(cast.alice) == []


@pytest.mark.django_db
def test_no_reminder_without_a_done_procedure_or_for_a_deactivated_patient(cast, alice_recovering):
    # Bob has no procedure; Alice is deactivated.
    cast.alice.is_active = False
    cast.alice.save()
    with time_machine.travel(ALICE_DUE, tick=False):
        services.reminders_plan_due()
    assert not Delivery.objects.exists()


@pytest.mark.django_db
def test_a_paused_patient_gets_no_reminder_until_they_resume(cast, alice_recovering):
    preference(cast.alice, paused=True)
    with time_machine.travel(ALICE_DUE, tick=False):
        services.reminders_plan_due()
    assert deliveries_of(cast.alice) == []

    preference(cast.alice, paused=False)
    CheckInFactory(patient=alice_recovering, local_date=D(2027, 5, 15))
    with time_machine.travel(ALICE_DUE + DAY, tick=False):
        services.reminders_plan_due()
    assert [r.occurrence for r in deliveries_of(cast.alice, channel=Channel.INAPP)] == ["2027-05-16"]


@pytest.mark.django_db
def test_pausing_one_patient_leaves_the_others_in_the_same_group(cast, alice_recovering):
    carla = patient_in(NEW_YORK, clinic=cast.riverside, care_team=[cast.carol])
    procedure_done(carla, cast.carol, D(2027, 5, 10))
    CheckInFactory(patient=carla, local_date=D(2027, 5, 14))
    preference(cast.alice, paused=True)
    with time_machine.travel(ALICE_DUE, tick=False):
        services.reminders_plan_due()
    assert deliveries_of(cast.alice) == []
    assert len(deliveries_of(carla.user, channel=Channel.INAPP)) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("reminder", "quiet", "push_skipped"),
    [
        (T(8, 0), (T(7, 0), T(9, 0)), True),
        (T(23, 30), (T(22, 0), T(7, 0)), True),  # quiet hours across midnight
        (T(6, 59), (T(22, 0), T(7, 0)), True),
        (T(7, 0), (T(22, 0), T(7, 0)), False),
        (T(21, 0), (T(22, 0), T(7, 0)), False),
    ],
)
def test_quiet_hours_skip_push_and_email_but_the_inbox_still_gets_the_reminder(
    cast, alice_recovering, reminder, quiet, push_skipped
):
    preference(
        cast.alice, checkin_reminder_time=reminder, quiet_hours_start=quiet[0], quiet_hours_end=quiet[1],
        channels={"checkin": ["push", "email"]},
    )  # fmt: skip
    due = _plain_day_instant(D(2027, 5, 15), reminder, NEW_YORK)
    with time_machine.travel(due, tick=False):
        services.reminders_plan_due()
    inapp, push, email = (deliveries_of(cast.alice, channel=c) for c in (Channel.INAPP, Channel.PUSH, Channel.EMAIL))
    assert [(r.status, r.last_error) for r in inapp] == [(DeliveryStatus.PENDING, "")]
    expected = (DeliveryStatus.SKIPPED, "quiet hours") if push_skipped else (DeliveryStatus.PENDING, "")
    assert [(r.status, r.last_error) for r in push] == [expected]
    assert [(r.status, r.last_error) for r in email] == [expected]

    with time_machine.travel(due, tick=False):
        send_due_inapp()
    assert Notification.objects.filter(recipient=cast.alice, kind=Kind.CHECKIN_REMINDER).count() == 1


@pytest.mark.django_db
def test_quiet_hours_are_read_in_the_patients_own_zone(cast):
    """Bob (Berlin) is quiet 22:00-07:00 and wants his reminder at 06:30 Berlin time (04:30 UTC; 00:30 in New York)."""
    bob = cast.bob.patient_profile
    procedure_done(bob, cast.dave, D(2027, 5, 10))
    CheckInFactory(patient=bob, local_date=D(2027, 5, 14))
    preference(cast.bob, checkin_reminder_time=T(6, 30), quiet_hours_start=T(22, 0), quiet_hours_end=T(7, 0))
    with time_machine.travel(utc(2027, 5, 15, 4, 30), tick=False):
        services.reminders_plan_due()
    push = deliveries_of(cast.bob, channel=Channel.PUSH)
    assert [(r.status, r.last_error) for r in push] == [(DeliveryStatus.SKIPPED, "quiet hours")]


@pytest.mark.django_db
def test_channels_follow_the_patients_choice_and_the_inbox_always_gets_it(cast, alice_recovering):
    preference(cast.alice, channels={"checkin": ["email"]})
    with time_machine.travel(ALICE_DUE, tick=False):
        services.reminders_plan_due()
    assert {r.channel for r in deliveries_of(cast.alice)} == {Channel.INAPP, Channel.EMAIL}

    preference(cast.alice, channels={"checkin": []})
    with time_machine.travel(ALICE_DUE + DAY, tick=False):
        services.reminders_plan_due()
    assert {r.channel for r in deliveries_of(cast.alice, occurrence="2027-05-16")} == {Channel.INAPP}


# --- Planning twice ---------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_planning_again_in_the_next_minutes_plans_nothing_new(cast, alice_recovering):
    with time_machine.travel(ALICE_DUE, tick=False) as traveller:
        services.reminders_plan_due()
        before = list(Delivery.objects.values_list("id", "status", "due_at").order_by("id"))
        for minutes in (0, 1, 5, 60, 119):
            traveller.move_to(ALICE_DUE + dt.timedelta(minutes=minutes))
            services.reminders_plan_due()
    assert list(Delivery.objects.values_list("id", "status", "due_at").order_by("id")) == before
    assert len(before) == 2


@pytest.mark.django_db
def test_planning_a_zone_costs_the_same_queries_however_many_patients_it_has(
    cast, alice_recovering, django_assert_num_queries
):
    for _ in range(4):
        patient = patient_in(NEW_YORK, clinic=cast.riverside, care_team=[cast.carol])
        procedure_done(patient, cast.carol, D(2027, 5, 10))
        CheckInFactory(patient=patient, local_date=D(2027, 5, 14))
    # 1. the (zone, reminder time) groups of active, unpaused patients
    # 2. the patients of the one due group who have not checked in today
    # 3. the caregivers holding their "reminders" grant (one query for all of them)
    # 4. their preferences
    # 5. one INSERT ... ON CONFLICT DO NOTHING for all the deliveries
    # 6. the count of rows that INSERT added (it returns no ids)
    with time_machine.travel(ALICE_DUE, tick=False), django_assert_num_queries(6):
        services.reminders_plan_due()
    assert Delivery.objects.filter(channel=Channel.INAPP).count() == 5


@pytest.mark.django_db(transaction=True)
def test_two_planners_at_the_same_moment_plan_each_reminder_once(cast):
    patients = [cast.alice_profile, *(patient_in(NEW_YORK, clinic=cast.riverside) for _ in range(5))]
    for patient in patients:
        procedure_done(patient, cast.carol, D(2027, 5, 10))
        CheckInFactory(patient=patient, local_date=D(2027, 5, 14))
    with time_machine.travel(ALICE_DUE, tick=False):
        in_threads(*[services.reminders_plan_due for _ in range(4)])
    rows = Delivery.objects.all()
    assert rows.count() == 2 * len(patients)
    assert Counter((r.recipient_id, r.channel) for r in rows) == {
        (p.pk, c): 1 for p in patients for c in (Channel.INAPP, Channel.PUSH)
    }
    assert not CheckIn.objects.filter(local_date=D(2027, 5, 15)).exists()


def test_planning_reports_only_the_rows_it_added(cast):
    # Given a patient whose reminder is due
    patient = patient_in(NEW_YORK, clinic=cast.riverside, care_team=[cast.carol])
    procedure_done(patient, cast.carol, D(2027, 6, 1))
    preference(patient.user, checkin_reminder_time=T(9, 0), channels={"checkin": []})
    due = local(NEW_YORK, 2027, 6, 5, 9, 0, 30)

    # When two ticks plan it
    first = services.reminders_plan_due(due)
    second = services.reminders_plan_due(due + MINUTE)

    # Then the first added the in-app row and the second added nothing
    assert (first, second) == (1, 0)
