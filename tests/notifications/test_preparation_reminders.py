"""Preparation reminders through the notification engine: the last day of each checklist item that applies to the
patient and is not ticked, a blood thinner's first day without it and the day it may be taken again, each at the
patient's check-in reminder time in their own zone, exactly once per procedure, item and date; none while paused or
for an inactive account; skipped when sent if the item was ticked or the procedure cancelled meanwhile; a copy for a
caregiver with the reminders grant; in the recipient's language."""

from __future__ import annotations

import datetime as dt
import typing
from zoneinfo import ZoneInfo

import pytest

from accounts import services as account_services
from accounts.models import CaregiverLink, PatientProfile, Role, User
from journey import services as journey_services
from journey.models import BloodThinnerPlan
from notifications import messages, rendering, services
from notifications.models import Delivery, DeliveryStatus, Kind, Notification
from recovery import services as recovery_services
from recovery.models import Anaesthesia, Procedure
from tests.factories import ProcedureFactory, UserFactory
from tests.notifications.support import KOLKATA, SYDNEY, deliveries_of, patient_in, preference, send_due_inapp
from tests.support import local

pytestmark = pytest.mark.clock_sensitive

DAY0 = dt.date(2027, 5, 10)  # a Monday
PREPARATION_KINDS = (Kind.PREPARATION_REMINDER, Kind.MEDICINE_STOP, Kind.MEDICINE_RESTART)


def _plan_across(zone: ZoneInfo, first: dt.date, last: dt.date, *, minute: int = 0) -> int:
    """The tick's preparation planner every hour (the look-back window is two hours) from local midnight of `first`
    (plus `minute`) to the end of `last`, in `zone`. Returns how many rows are new (a second sweep takes another
    minute: the count is of the rows stamped with each tick's time)."""
    planned = 0
    start = local(zone, first.year, first.month, first.day, 0, minute)
    for n in range(((last - first).days + 1) * 24 + 1):
        planned += services.preparation_reminders_plan(start + n * dt.timedelta(hours=1))
    return planned


def _reminders(user: User, kind: str = Kind.PREPARATION_REMINDER, **filters: typing.Any) -> list[Delivery]:
    return deliveries_of(user, kind=kind, channel="inapp", **filters)


def _item_of(occurrence: str) -> str:
    return occurrence.split(":")[1]


def _blood_thinner(procedure: Procedure, by: User, medicine: str, stop_on: dt.date, restart_on: dt.date | None):
    journey_services.preparation_plan_set(
        procedure=procedure,
        by=by,
        arrival_time=dt.time(7, 30),
        blood_thinners=[
            *[
                {"id": p.pk, "medicine": p.medicine, "stop_on": p.stop_on, "restart_on": p.restart_on}
                for p in BloodThinnerPlan.objects.filter(procedure=procedure).exclude(medicine=medicine)
            ],
            {"medicine": medicine, "stop_on": stop_on, "restart_on": restart_on},
        ],
        now=local(SYDNEY, 2027, 4, 20, 10),
    )
    return BloodThinnerPlan.objects.get(procedure=procedure, medicine=medicine)


def _tick(patient: PatientProfile, key: str, at: dt.datetime) -> None:
    journey_services.preparation_tick(patient=patient, item_key=key, done=True, now=at)


@pytest.fixture
def sydney_patient(cast) -> PatientProfile:
    patient = patient_in(SYDNEY, clinic=cast.riverside, care_team=[cast.carol], name="Sam Smith")
    preference(patient.user, checkin_reminder_time=dt.time(9, 0))
    return patient


def test_each_open_item_is_reminded_on_its_last_day_at_the_local_reminder_time_exactly_once(cast, sydney_patient):
    procedure = ProcedureFactory(patient=sydney_patient, procedure_date=DAY0)
    # Not a minute before the medicines list's last day (10 days before) at 09:00 in Sydney
    assert services.preparation_reminders_plan(local(SYDNEY, 2027, 4, 30, 8, 59)) == 0
    assert services.preparation_reminders_plan(local(SYDNEY, 2027, 4, 30, 9, 0)) == 3  # inbox, push and email
    # Every hour of the twelve days up to the day after the procedure, twice: nothing more for that item, and each
    # other one once
    _plan_across(SYDNEY, dt.date(2027, 4, 28), dt.date(2027, 5, 11))
    assert _plan_across(SYDNEY, dt.date(2027, 4, 28), dt.date(2027, 5, 11), minute=30) == 0
    inapp = _reminders(sydney_patient.user)
    assert [(_item_of(d.occurrence), d.due_at) for d in inapp] == [
        ("medicines_list", local(SYDNEY, 2027, 4, 30, 9)),
        ("driver", local(SYDNEY, 2027, 5, 7, 9)),
        ("someone_at_home", local(SYDNEY, 2027, 5, 7, 9)),
    ]
    # No diabetes (no blood sugar), no sedation (no fasting), nothing at the check-in time of the procedure day itself
    # (the arrival time), which would come after the procedure, and none of its own for packing what to bring (due
    # the day before): the evening before's one reminder lists it with the arrival
    assert inapp[0].occurrence == f"{procedure.pk}:medicines_list:2027-04-30"
    assert {d.subject_id for d in inapp} == {str(procedure.pk)}
    assert Delivery.objects.filter(kind=Kind.PREPARATION_REMINDER).count() == 9  # 3 x (inbox, push, email)
    [eve] = deliveries_of(sydney_patient.user, kind=Kind.PROCEDURE_EVE, channel="inapp")
    assert eve.due_at == local(SYDNEY, 2027, 5, 9, 9)

    send_due_inapp(local(SYDNEY, 2027, 5, 9, 9, 1))
    notes = Notification.objects.filter(recipient=sydney_patient.user, kind=Kind.PREPARATION_REMINDER)
    assert sorted(n.body for n in notes) == sorted(
        f"Please do this today: {title}. Then tick it on your checklist."
        for title in (
            "Tell your clinic about all your medicines",
            "Arrange a lift home",
            "Have someone stay with you the first night",
        )
    )
    [evening] = Notification.objects.filter(recipient=sydney_patient.user, kind=Kind.PROCEDURE_EVE)
    assert evening.body == "Your procedure is tomorrow. Please remember: Pack what to bring; Know when to arrive."
    assert {n.title for n in notes} == {"Getting ready for your procedure"}
    assert all(n.url.endswith("/app/today") for n in notes)


def test_only_items_that_apply_to_the_patient_are_reminded_in_her_own_zone(cast, sydney_patient):
    # In Kolkata (UTC+05:30), with diabetes and light sedation planned; the Sydney patient has neither
    kolkata = patient_in(KOLKATA, clinic=cast.riverside, care_team=[cast.carol])
    kolkata.has_diabetes = True
    kolkata.save(update_fields=["has_diabetes"])
    preference(kolkata.user, checkin_reminder_time=dt.time(19, 30))
    ProcedureFactory(patient=kolkata, procedure_date=DAY0, anaesthesia=Anaesthesia.LOCAL_SEDATION)
    ProcedureFactory(patient=sydney_patient, procedure_date=DAY0)
    # Blood sugar is due 7 days before: 3 May
    assert services.preparation_reminders_plan(local(KOLKATA, 2027, 5, 3, 19, 29)) == 0
    services.preparation_reminders_plan(local(KOLKATA, 2027, 5, 3, 19, 30))
    [sugar] = _reminders(kolkata.user)
    assert (_item_of(sugar.occurrence), sugar.due_at) == ("blood_sugar", local(KOLKATA, 2027, 5, 3, 19, 30))
    _plan_across(SYDNEY, dt.date(2027, 5, 2), dt.date(2027, 5, 4))
    assert [_item_of(d.occurrence) for d in _reminders(sydney_patient.user)] == []
    # Fasting (due on the procedure day) is never reminded at the check-in time of that day, and neither it nor
    # packing (due the day before) has a reminder of its own: the evening before lists them
    _plan_across(KOLKATA, dt.date(2027, 5, 9), dt.date(2027, 5, 10))
    keys = [_item_of(d.occurrence) for d in _reminders(kolkata.user)]
    assert keys == ["blood_sugar"]


def test_ticked_items_are_not_reminded_and_one_ticked_after_planning_is_skipped_when_sent(cast, sydney_patient):
    ProcedureFactory(patient=sydney_patient, procedure_date=DAY0)
    _tick(sydney_patient, "medicines_list", local(SYDNEY, 2027, 4, 25, 12))
    _plan_across(SYDNEY, dt.date(2027, 4, 29), dt.date(2027, 5, 1))
    assert _reminders(sydney_patient.user) == []
    # Both 3-day items are planned at 09:00 on 7 May; she ticks one before the worker gets to it
    services.preparation_reminders_plan(local(SYDNEY, 2027, 5, 7, 9))
    _tick(sydney_patient, "driver", local(SYDNEY, 2027, 5, 7, 9, 0, 30))
    send_due_inapp(local(SYDNEY, 2027, 5, 7, 9, 1))
    status = {_item_of(d.occurrence): (d.status, d.last_error) for d in _reminders(sydney_patient.user)}
    assert status == {
        "driver": (DeliveryStatus.SKIPPED, "item ticked, its date changed or procedure no longer scheduled"),
        "someone_at_home": (DeliveryStatus.SENT, ""),
    }
    [note] = Notification.objects.filter(recipient=sydney_patient.user)
    assert "Have someone stay with you the first night" in note.body


def test_a_blood_thinner_is_reminded_on_its_stop_day_and_its_restart_day(cast, sydney_patient):
    procedure = ProcedureFactory(patient=sydney_patient, procedure_date=DAY0)
    clopidogrel = _blood_thinner(procedure, cast.carol, "Clopidogrel", dt.date(2027, 5, 5), dt.date(2027, 5, 12))
    _plan_across(SYDNEY, dt.date(2027, 5, 3), dt.date(2027, 5, 6))
    [stop] = _reminders(sydney_patient.user, Kind.MEDICINE_STOP)
    assert stop.due_at == local(SYDNEY, 2027, 5, 5, 9)
    assert stop.occurrence == f"{procedure.pk}:{clopidogrel.item_key}:2027-05-05"
    # The medicine's checklist item gets no reminder of its own on the day before
    assert not [d for d in _reminders(sydney_patient.user) if "medicine-" in d.occurrence]
    send_due_inapp(local(SYDNEY, 2027, 5, 5, 9, 1))
    [note] = Notification.objects.filter(recipient=sydney_patient.user, kind=Kind.MEDICINE_STOP)
    assert note.title == "About your medicine today"
    assert note.body == (
        "Today is your first day without Clopidogrel, as your clinic asked. If you are not sure, call your clinic."
    )
    # The procedure is done; on the restart day, after it, she may start again
    recovery_services.procedure_complete(
        procedure=procedure, by=cast.carol, now=local(SYDNEY, 2027, 5, 10, 12), override_reason="Screened on paper"
    )
    assert services.preparation_reminders_plan(local(SYDNEY, 2027, 5, 12, 8, 59)) == 0
    _plan_across(SYDNEY, dt.date(2027, 5, 11), dt.date(2027, 5, 13))
    [restart] = _reminders(sydney_patient.user, Kind.MEDICINE_RESTART)
    assert restart.due_at == local(SYDNEY, 2027, 5, 12, 9)
    send_due_inapp(local(SYDNEY, 2027, 5, 12, 9, 1))
    [note] = Notification.objects.filter(recipient=sydney_patient.user, kind=Kind.MEDICINE_RESTART)
    assert note.body == (
        "Your clinic says you may start Clopidogrel again today. If you are not sure, call your clinic."
    )
    # Nothing twice
    assert _plan_across(SYDNEY, dt.date(2027, 5, 3), dt.date(2027, 5, 13), minute=30) == 0


def test_a_ticked_blood_thinner_gets_no_stop_reminder_and_a_moved_date_is_reminded_for_its_new_date(
    cast, sydney_patient
):
    procedure = ProcedureFactory(patient=sydney_patient, procedure_date=DAY0)
    aspirin = _blood_thinner(procedure, cast.carol, "Aspirin", dt.date(2027, 5, 3), None)
    warfarin = _blood_thinner(procedure, cast.carol, "Warfarin", dt.date(2027, 5, 4), None)
    _tick(sydney_patient, aspirin.item_key, local(SYDNEY, 2027, 5, 1, 10))
    _plan_across(SYDNEY, dt.date(2027, 5, 2), dt.date(2027, 5, 4))
    [stop] = _reminders(sydney_patient.user, Kind.MEDICINE_STOP)
    assert stop.occurrence == f"{procedure.pk}:{warfarin.item_key}:2027-05-04"
    # The clinic moves warfarin's stop day to the 6th (she had not ticked it): reminded again on its new day, once
    _blood_thinner(procedure, cast.carol, "Warfarin", dt.date(2027, 5, 6), None)
    _plan_across(SYDNEY, dt.date(2027, 5, 4), dt.date(2027, 5, 7))
    assert _plan_across(SYDNEY, dt.date(2027, 5, 4), dt.date(2027, 5, 7), minute=30) == 0
    assert [
        (d.occurrence.rsplit(":", 1)[1], d.due_at) for d in _reminders(sydney_patient.user, Kind.MEDICINE_STOP)
    ] == [
        ("2027-05-04", local(SYDNEY, 2027, 5, 4, 9)),
        ("2027-05-06", local(SYDNEY, 2027, 5, 6, 9)),
    ]
    assert not _reminders(sydney_patient.user, Kind.MEDICINE_RESTART)


def test_a_planned_reminder_is_skipped_when_the_procedure_is_cancelled_before_it_is_sent(cast, sydney_patient):
    procedure = ProcedureFactory(patient=sydney_patient, procedure_date=DAY0)
    _blood_thinner(procedure, cast.carol, "Apixaban", dt.date(2027, 5, 7), dt.date(2027, 5, 11))
    services.preparation_reminders_plan(local(SYDNEY, 2027, 5, 7, 9))
    assert len(_reminders(sydney_patient.user)) == 2 and len(_reminders(sydney_patient.user, Kind.MEDICINE_STOP)) == 1
    recovery_services.procedure_cancel(procedure=procedure)
    send_due_inapp(local(SYDNEY, 2027, 5, 7, 9, 5))
    rows = [*_reminders(sydney_patient.user), *_reminders(sydney_patient.user, Kind.MEDICINE_STOP)]
    assert {d.status for d in rows} == {DeliveryStatus.SKIPPED}
    assert not Notification.objects.filter(recipient=sydney_patient.user).exists()
    # Nor is the restart day of a cancelled procedure reminded
    assert _plan_across(SYDNEY, dt.date(2027, 5, 10), dt.date(2027, 5, 12)) == 0


def test_none_while_paused_or_for_an_inactive_account(cast, sydney_patient):
    procedure = ProcedureFactory(patient=sydney_patient, procedure_date=DAY0)
    _blood_thinner(procedure, cast.carol, "Clopidogrel", dt.date(2027, 5, 7), dt.date(2027, 5, 11))
    preference(sydney_patient.user, paused=True)
    assert _plan_across(SYDNEY, dt.date(2027, 5, 6), dt.date(2027, 5, 8)) == 0
    preference(sydney_patient.user, paused=False)
    User.objects.filter(pk=sydney_patient.user.pk).update(is_active=False)
    assert _plan_across(SYDNEY, dt.date(2027, 5, 8), dt.date(2027, 5, 11)) == 0
    assert not Delivery.objects.filter(kind__in=PREPARATION_KINDS).exists()


def test_a_caregiver_with_the_reminders_grant_gets_a_copy_naming_the_patient(cast, sydney_patient):
    procedure = ProcedureFactory(patient=sydney_patient, procedure_date=DAY0)
    _blood_thinner(procedure, cast.carol, "Clopidogrel", dt.date(2027, 5, 7), None)
    dana = typing.cast(
        User,
        UserFactory(email="dana@family.example", full_name="Dana Smith", role=Role.CAREGIVER, clinic=cast.riverside),
    )
    CaregiverLink.objects.create(
        patient=sydney_patient, caregiver=dana, relationship="daughter", invited_by=sydney_patient.user,
        can_view=True, can_get_reminders=True,
    )  # fmt: skip
    services.preparation_reminders_plan(local(SYDNEY, 2027, 5, 7, 9))
    copies = deliveries_of(dana, channel="inapp")
    assert {(d.kind, d.about_id, d.due_at) for d in copies} == {
        (Kind.PREPARATION_REMINDER, sydney_patient.pk, local(SYDNEY, 2027, 5, 7, 9)),
        (Kind.MEDICINE_STOP, sydney_patient.pk, local(SYDNEY, 2027, 5, 7, 9)),
    }
    assert len(copies) == 3  # the driver, someone at home, and Clopidogrel
    send_due_inapp(local(SYDNEY, 2027, 5, 7, 9, 1))
    notes = sorted((n.title, n.body) for n in Notification.objects.filter(recipient=dana))
    assert notes == [
        ("Sam: about a medicine today", "Today is Sam's first day without Clopidogrel, as the clinic asked. Please "
         "remind Sam."),
        ("Sam: getting ready for the procedure", "This is due today on Sam's checklist: Arrange a lift home. Please "
         "remind Sam, or help with it."),
        ("Sam: getting ready for the procedure", "This is due today on Sam's checklist: Have someone stay with you "
         "the first night. Please remind Sam, or help with it."),
    ]  # fmt: skip
    assert Notification.objects.filter(recipient=sydney_patient.user).count() == 3


def test_a_spanish_speaking_patient_reads_them_in_spanish_with_the_checklists_own_translation(cast, sydney_patient):
    account_services.user_update(user=sydney_patient.user, language="es")
    procedure = ProcedureFactory(patient=sydney_patient, procedure_date=DAY0)
    _blood_thinner(procedure, cast.carol, "Clopidogrel", dt.date(2027, 5, 7), None)
    services.preparation_reminders_plan(local(SYDNEY, 2027, 5, 7, 9))
    send_due_inapp(local(SYDNEY, 2027, 5, 7, 9, 1))
    notes = Notification.objects.filter(recipient=sydney_patient.user)
    bodies = {n.kind: n.body for n in notes if "Busque" in n.body or n.kind == Kind.MEDICINE_STOP}
    assert bodies == {
        Kind.PREPARATION_REMINDER: "Por favor, haga esto hoy: Busque quién lo lleve a casa. Después márquelo en su "
        "lista.",
        Kind.MEDICINE_STOP: "Hoy es su primer día sin Clopidogrel, como le pidió su clínica. Si tiene dudas, llame a "
        "su clínica.",
    }
    assert {n.title for n in notes} == {"Preparación para su procedimiento", "Sobre su medicamento de hoy"}


# --- The evening before the procedure -------------------------------------------------------------------------------
# The items due the day before the procedure or on the day itself (packing what to bring, fasting when sedation is
# planned, the arrival time) are reminded on the local day before, at the check-in reminder time, in one reminder
# listing those not ticked, with the arrival time.

EVE = "Your procedure is tomorrow. Please remember: "


def _eves(user: User, channel: str = "inapp") -> list[Delivery]:
    return deliveries_of(user, kind=Kind.PROCEDURE_EVE, channel=channel)


def _arrival_at(procedure: Procedure, by: User, arrival: dt.time) -> None:
    journey_services.preparation_plan_set(
        procedure=procedure, by=by, arrival_time=arrival, blood_thinners=[], now=local(SYDNEY, 2027, 4, 20, 10)
    )


@pytest.fixture
def kolkata_patient(cast) -> PatientProfile:
    """In Kolkata (UTC+05:30), reminded at 19:30, with light sedation planned (so fasting applies)."""
    patient = patient_in(KOLKATA, clinic=cast.riverside, care_team=[cast.carol], name="Kiran Rao")
    preference(patient.user, checkin_reminder_time=dt.time(19, 30))
    return patient


def test_the_evening_before_lists_the_open_procedure_day_items_at_the_local_reminder_time_in_two_zones(
    cast, sydney_patient, kolkata_patient
):
    sydney = ProcedureFactory(patient=sydney_patient, procedure_date=DAY0)
    _arrival_at(sydney, cast.carol, dt.time(7, 30))
    kolkata = ProcedureFactory(patient=kolkata_patient, procedure_date=DAY0, anaesthesia=Anaesthesia.LOCAL_SEDATION)
    # Not on the days before the eve
    _plan_across(SYDNEY, dt.date(2027, 5, 1), dt.date(2027, 5, 8))
    _plan_across(KOLKATA, dt.date(2027, 5, 1), dt.date(2027, 5, 8))
    assert not Delivery.objects.filter(kind=Kind.PROCEDURE_EVE).exists()
    # Not a minute before the check-in reminder time on the local day before
    services.preparation_reminders_plan(local(SYDNEY, 2027, 5, 9, 8, 59))
    services.preparation_reminders_plan(local(KOLKATA, 2027, 5, 9, 19, 29))
    assert not Delivery.objects.filter(kind=Kind.PROCEDURE_EVE).exists()
    services.preparation_reminders_plan(local(SYDNEY, 2027, 5, 9, 9))
    services.preparation_reminders_plan(local(KOLKATA, 2027, 5, 9, 19, 30))
    # Exactly once, however many ticks
    for minute in (0, 30):
        _plan_across(SYDNEY, dt.date(2027, 5, 9), dt.date(2027, 5, 11), minute=minute)
        _plan_across(KOLKATA, dt.date(2027, 5, 9), dt.date(2027, 5, 11), minute=minute)
    [syd] = _eves(sydney_patient.user)
    [kol] = _eves(kolkata_patient.user)
    assert (syd.occurrence, syd.due_at, syd.subject_id) == (
        f"{sydney.pk}:2027-05-10",
        local(SYDNEY, 2027, 5, 9, 9),
        str(sydney.pk),
    )
    assert (kol.occurrence, kol.due_at) == (f"{kolkata.pk}:2027-05-10", local(KOLKATA, 2027, 5, 9, 19, 30))
    assert Delivery.objects.filter(kind=Kind.PROCEDURE_EVE).count() == 6  # 2 x (inbox, push, email)

    send_due_inapp(local(KOLKATA, 2027, 5, 9, 19, 31))
    bodies = {
        n.recipient_id: (n.title, n.body, n.url)
        for n in Notification.objects.filter(kind=Kind.PROCEDURE_EVE)
    }  # fmt: skip
    assert {k: v[:2] for k, v in bodies.items()} == {
        # No sedation: only the arrival time, which the clinic entered
        sydney_patient.user.pk: (
            "Getting ready for your procedure",
            EVE + "Pack what to bring; Know when to arrive. Please arrive at 07:30.",
        ),
        # Sedation, no arrival time entered yet
        kolkata_patient.user.pk: (
            "Getting ready for your procedure",
            EVE + "Pack what to bring; Stop eating and drinking when your clinic says; Know when to arrive.",
        ),
    }
    assert all(url.endswith("/app/today") for _title, _body, url in bodies.values())


def test_push_and_email_of_the_evening_before_name_no_item(cast, kolkata_patient):
    ProcedureFactory(patient=kolkata_patient, procedure_date=DAY0, anaesthesia=Anaesthesia.LOCAL_SEDATION)
    services.preparation_reminders_plan(local(KOLKATA, 2027, 5, 9, 19, 30))
    for channel in ("push", "email"):
        [row] = _eves(kolkata_patient.user, channel)
        message = messages.build(row, rendering.message_contexts([row])[row.pk])
        assert (message.title, message.body, message.subject) == (
            "Getting ready for your procedure",
            "Your procedure is tomorrow. Please open the app to see what to remember.",
            "Getting ready for your procedure",
        )
        assert message.inbox_body and "Stop eating" in message.inbox_body  # the inbox, behind sign-in, names them


def test_the_evening_before_lists_only_the_items_not_ticked_and_none_when_all_are(cast, kolkata_patient):
    procedure = ProcedureFactory(patient=kolkata_patient, procedure_date=DAY0, anaesthesia=Anaesthesia.LOCAL_SEDATION)
    _tick(kolkata_patient, "fasting", local(KOLKATA, 2027, 5, 8, 12))
    _tick(kolkata_patient, "what_to_bring", local(KOLKATA, 2027, 5, 8, 12, 5))
    services.preparation_reminders_plan(local(KOLKATA, 2027, 5, 9, 19, 30))
    send_due_inapp(local(KOLKATA, 2027, 5, 9, 19, 31))
    [note] = Notification.objects.filter(recipient=kolkata_patient.user, kind=Kind.PROCEDURE_EVE)
    assert note.body == EVE + "Know when to arrive."
    # Once all are ticked, none: the procedure moved a week on is not reminded the evening before
    _tick(kolkata_patient, "arrival", local(KOLKATA, 2027, 5, 9, 20))
    recovery_services.procedure_update(procedure=procedure, procedure_date=DAY0 + dt.timedelta(days=7))
    _plan_across(KOLKATA, dt.date(2027, 5, 15), dt.date(2027, 5, 17))
    assert len(_eves(kolkata_patient.user)) == 1


def test_the_evening_before_is_skipped_when_sent_if_ticked_meanwhile(cast, sydney_patient):
    ProcedureFactory(patient=sydney_patient, procedure_date=DAY0)
    services.preparation_reminders_plan(local(SYDNEY, 2027, 5, 9, 9))
    _tick(sydney_patient, "arrival", local(SYDNEY, 2027, 5, 9, 9, 0, 20))
    _tick(sydney_patient, "what_to_bring", local(SYDNEY, 2027, 5, 9, 9, 0, 30))
    send_due_inapp(local(SYDNEY, 2027, 5, 9, 9, 1))
    [eve] = _eves(sydney_patient.user)
    assert (eve.status, eve.last_error) == (
        DeliveryStatus.SKIPPED,
        "its items ticked, procedure date changed or procedure no longer scheduled",
    )
    assert not Notification.objects.filter(recipient=sydney_patient.user, kind=Kind.PROCEDURE_EVE).exists()


def test_the_evening_before_is_skipped_when_the_date_moved_and_reminded_again_for_the_new_date(cast, sydney_patient):
    procedure = ProcedureFactory(patient=sydney_patient, procedure_date=DAY0)
    services.preparation_reminders_plan(local(SYDNEY, 2027, 5, 9, 9))
    recovery_services.procedure_update(procedure=procedure, procedure_date=dt.date(2027, 5, 12))
    send_due_inapp(local(SYDNEY, 2027, 5, 9, 9, 1))
    assert [(d.occurrence, d.status) for d in _eves(sydney_patient.user)] == [
        (f"{procedure.pk}:2027-05-10", DeliveryStatus.SKIPPED)
    ]
    _plan_across(SYDNEY, dt.date(2027, 5, 10), dt.date(2027, 5, 12))
    assert _plan_across(SYDNEY, dt.date(2027, 5, 10), dt.date(2027, 5, 12), minute=30) == 0
    new = [d for d in _eves(sydney_patient.user) if d.status != DeliveryStatus.SKIPPED]
    assert [(d.occurrence, d.due_at) for d in new] == [(f"{procedure.pk}:2027-05-12", local(SYDNEY, 2027, 5, 11, 9))]
    # Cancelled before it is sent: skipped too
    recovery_services.procedure_cancel(procedure=procedure)
    send_due_inapp(local(SYDNEY, 2027, 5, 11, 9, 1))
    assert {d.status for d in _eves(sydney_patient.user)} == {DeliveryStatus.SKIPPED}
    assert not Notification.objects.filter(recipient=sydney_patient.user, kind=Kind.PROCEDURE_EVE).exists()


def test_the_evening_before_in_spanish_with_the_checklists_own_translation(cast, kolkata_patient):
    account_services.user_update(user=kolkata_patient.user, language="es")
    procedure = ProcedureFactory(patient=kolkata_patient, procedure_date=DAY0, anaesthesia=Anaesthesia.LOCAL_SEDATION)
    _arrival_at(procedure, cast.carol, dt.time(7, 30))
    services.preparation_reminders_plan(local(KOLKATA, 2027, 5, 9, 19, 30))
    send_due_inapp(local(KOLKATA, 2027, 5, 9, 19, 31))
    [note] = Notification.objects.filter(recipient=kolkata_patient.user, kind=Kind.PROCEDURE_EVE)
    assert (note.title, note.body) == (
        "Preparación para su procedimiento",
        "Su procedimiento es mañana. Por favor, recuerde: Prepare lo que debe llevar; Deje de comer y beber cuando su "
        "clínica le diga; Sepa a qué hora llegar. Por favor, llegue a las 07:30.",
    )
    [push] = _eves(kolkata_patient.user, "push")
    message = messages.build(push, rendering.message_contexts([push])[push.pk], language="es")
    assert message.body == "Su procedimiento es mañana. Por favor, abra la aplicación para ver qué debe recordar."


def test_a_caregiver_gets_a_copy_of_the_evening_before_naming_the_patient(cast, sydney_patient):
    procedure = ProcedureFactory(patient=sydney_patient, procedure_date=DAY0)
    _arrival_at(procedure, cast.carol, dt.time(7, 30))
    dana = typing.cast(
        User,
        UserFactory(email="dana@family.example", full_name="Dana Smith", role=Role.CAREGIVER, clinic=cast.riverside),
    )
    CaregiverLink.objects.create(
        patient=sydney_patient, caregiver=dana, relationship="daughter", invited_by=sydney_patient.user,
        can_view=True, can_get_reminders=True,
    )  # fmt: skip
    services.preparation_reminders_plan(local(SYDNEY, 2027, 5, 9, 9))
    [copy] = deliveries_of(dana, channel="inapp", kind=Kind.PROCEDURE_EVE)
    assert (copy.about_id, copy.due_at) == (sydney_patient.pk, local(SYDNEY, 2027, 5, 9, 9))
    send_due_inapp(local(SYDNEY, 2027, 5, 9, 9, 1))
    [note] = Notification.objects.filter(recipient=dana, kind=Kind.PROCEDURE_EVE)
    assert (note.title, note.body) == (
        "Sam: getting ready for the procedure",
        "Sam's procedure is tomorrow. Please help Sam remember: Pack what to bring; Know when to arrive. Sam should "
        "arrive at 07:30.",
    )
    [push] = deliveries_of(dana, channel="push", kind=Kind.PROCEDURE_EVE)
    message = messages.build_for_caregiver(push, rendering.message_contexts([push])[push.pk])
    assert (message.title, message.body) == ("A reminder for someone you help", "Please open the app to see it.")
