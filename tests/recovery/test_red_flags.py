"""Red flags: the patient is told what to do at once, the care team gets exactly one alert per finding, trend and
time-based rules watch what no single answer shows, and recovery announces it all after commit."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import IntegrityError, transaction

from config.celery import app as celery_app
from recovery import rules, services, signals
from recovery.models import Alert, AlertEvent, CheckIn, PatientMilestone
from recovery.tasks import recovery_time_rules_dispatch
from tests.factories import AlertFactory, ProcedureFactory
from tests.recovery.support import NEW_YORK, put_checkin, record_measures
from tests.support import checkin_body, local, procedure_done, screened_candidate

pytestmark = pytest.mark.clock_sensitive

DAY0 = dt.date(2027, 5, 10)


def day(n: int) -> dt.date:
    return DAY0 + dt.timedelta(days=n)


def evening(n: int) -> dt.datetime:
    """19:00 in New York on day n after Alice's procedure."""
    return dt.datetime.combine(day(n), dt.time(19), tzinfo=NEW_YORK)


@pytest.fixture
def alice_done(cast, time_machine):
    """Alice's procedure on 10 May 2027, done; the clock at noon on the procedure day."""
    time_machine.move_to(local(NEW_YORK, 2027, 5, 10, 12), tick=False)
    return procedure_done(cast.alice_profile, cast.carol, DAY0)


def _alerts(patient, rule: str | None = None):
    alerts = Alert.objects.filter(patient=patient)
    return alerts.filter(rule=rule) if rule else alerts


class Heard:
    """A receiver that remembers what it was told."""

    def __init__(self, signal) -> None:
        self.calls: list[dict] = []
        self.signal = signal

    def __call__(self, sender, **kwargs) -> None:
        self.calls.append(kwargs)


@pytest.fixture
def heard():
    receivers: list[Heard] = []

    def listen(signal) -> Heard:
        receiver = Heard(signal)
        signal.connect(receiver, weak=False)
        receivers.append(receiver)
        return receiver

    yield listen
    for receiver in receivers:
        receiver.signal.disconnect(receiver)


# --- What the patient is told -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "flag", ["bladder_bowel_control", "saddle_numbness", "sudden_leg_weakness", "chest_pain_breathless"]
)
def test_an_emergency_answer_tells_the_patient_to_go_to_the_emergency_department_now(
    cast, client_for, time_machine, alice_done, flag
):
    time_machine.move_to(evening(3), tick=False)

    response = put_checkin(client_for(cast.alice), checkin_body(day(3), red_flags=[flag]))

    assert response.status_code == 201
    instruction = response.json()["instruction"]
    assert instruction["tier"] == "emergency"
    assert instruction["title"] == "Get emergency help now"
    assert "emergency department" in instruction["text"]
    alert = _alerts(cast.alice_profile).get()
    assert (alert.rule, alert.tier, alert.state) == (flag, "emergency", "open")
    assert alert.trigger == f"checkin:{response.json()['id']}"
    assert alert.rule_set_version == rules.RULE_SET_VERSION


@pytest.mark.parametrize(
    "flag",
    ["fever_chills", "wound_problem", "new_numbness_tingling", "calf_pain_swelling", "pain_uncontrolled", "fall"],
)
def test_an_urgent_answer_tells_the_patient_to_call_their_clinic_with_its_number(
    cast, client_for, time_machine, alice_done, flag
):
    time_machine.move_to(evening(3), tick=False)

    response = put_checkin(client_for(cast.alice), checkin_body(day(3), red_flags=[flag]))

    instruction = response.json()["instruction"]
    assert instruction["tier"] == "urgent"
    assert "+1 555 010 2030" in instruction["text"]
    assert "Riverside Spine Clinic" in instruction["text"]
    assert instruction["clinic_phone"] == "+1 555 010 2030"
    assert _alerts(cast.alice_profile).get().tier == "urgent"


def test_the_most_serious_answer_decides_the_instruction_and_each_answer_is_its_own_alert(
    cast, client_for, time_machine, alice_done
):
    time_machine.move_to(evening(3), tick=False)
    checkin_id = uuid.uuid4()
    alice = client_for(cast.alice)

    response = put_checkin(alice, checkin_body(day(3), red_flags=["fever_chills", "saddle_numbness"]), checkin_id)

    assert response.json()["instruction"]["tier"] == "emergency"
    assert set(_alerts(cast.alice_profile).values_list("rule", "tier")) == {
        ("fever_chills", "urgent"),
        ("saddle_numbness", "emergency"),
    }
    # reading the check-in back shows the instruction too
    assert alice.get(f"/api/v1/me/checkins/{checkin_id}").json()["instruction"]["tier"] == "emergency"


def test_the_urgent_instruction_names_the_patients_own_clinic(cast, client_for, time_machine):
    time_machine.move_to(local(NEW_YORK, 2027, 5, 20, 9), tick=False)

    response = put_checkin(client_for(cast.heidi), checkin_body(dt.date(2027, 5, 20), red_flags=["fall"]))

    assert "+44 20 7946 0000" in response.json()["instruction"]["text"]
    assert "Hillside Pain Centre" in response.json()["instruction"]["text"]


def test_no_red_flag_means_no_instruction_and_no_alert(cast, client_for, time_machine, alice_done):
    time_machine.move_to(evening(3), tick=False)

    response = put_checkin(client_for(cast.alice), checkin_body(day(3), back_pain=6, leg_pain=6))

    assert response.json()["instruction"] is None
    assert not Alert.objects.exists()


# --- Exactly one alert per finding ------------------------------------------------------------------------------------


def test_replaying_or_editing_a_checkin_never_duplicates_its_alert(cast, client_for, time_machine, alice_done):
    time_machine.move_to(evening(3), tick=False)
    checkin_id = uuid.uuid4()
    alice = client_for(cast.alice)
    body = checkin_body(day(3), red_flags=["fever_chills"])
    etag = put_checkin(alice, body, checkin_id)["ETag"]

    # the same request again, then an edit that keeps the answer
    put_checkin(alice, body, checkin_id)
    edited = put_checkin(
        alice, checkin_body(day(3), red_flags=["fever_chills"], back_pain=7), checkin_id, if_match=etag
    )
    assert edited.status_code == 200
    assert _alerts(cast.alice_profile).count() == 1
    assert edited.json()["instruction"]["tier"] == "urgent"

    # an edit that adds an answer raises that one only
    put_checkin(alice, checkin_body(day(3), red_flags=["fever_chills", "fall"]), checkin_id, if_match=edited["ETag"])
    assert sorted(_alerts(cast.alice_profile).values_list("rule", flat=True)) == ["fall", "fever_chills"]
    assert AlertEvent.objects.filter(action="raised").count() == 2


def test_the_database_refuses_a_second_alert_for_the_same_rule_and_trigger(cast):
    AlertFactory(patient=cast.alice_profile, rule="fall", trigger="checkin:1")

    with pytest.raises(IntegrityError), transaction.atomic():
        AlertFactory(patient=cast.alice_profile, rule="fall", trigger="checkin:1")


# --- Trend rules ------------------------------------------------------------------------------------------------------


def _checkin_on(client, n: int, **fields):
    response = put_checkin(client, checkin_body(day(n), **fields))
    assert response.status_code == 201, response.json()
    return response.json()


def test_pain_8_or_more_on_two_consecutive_days_raises_a_watch_alert(cast, client_for, time_machine, alice_done):
    time_machine.move_to(evening(5), tick=False)
    alice = client_for(cast.alice)

    _checkin_on(alice, 3, back_pain=8)
    assert not _alerts(cast.alice_profile).exists()
    _checkin_on(alice, 4, back_pain=3)  # a better day breaks the run
    assert not _alerts(cast.alice_profile).exists()
    second = _checkin_on(alice, 5, leg_pain=9)
    assert not _alerts(cast.alice_profile).exists()

    time_machine.move_to(evening(6), tick=False)
    third = _checkin_on(alice, 6, back_pain=8, leg_pain=2)

    alert = _alerts(cast.alice_profile).get()
    assert (alert.rule, alert.tier) == ("pain_8_plus_two_days", "watch")
    assert alert.trigger == f"checkin:{third['id']}"
    assert alert.details["dates"] == [day(5).isoformat(), day(6).isoformat()]
    assert second["instruction"] is None  # a watch finding is for the care team, not an instruction


def test_high_pain_entered_out_of_order_is_still_seen(cast, client_for, time_machine, alice_done):
    # Offline: the phone syncs today's check-in before yesterday's.
    time_machine.move_to(evening(6), tick=False)
    alice = client_for(cast.alice)

    today = _checkin_on(alice, 6, back_pain=9)
    assert not _alerts(cast.alice_profile).exists()
    _checkin_on(alice, 5, back_pain=8)

    # raised when yesterday's arrived, under the check-in that ends the run, as if they had come in order
    alert = _alerts(cast.alice_profile).get()
    assert alert.rule == "pain_8_plus_two_days"
    assert alert.trigger == f"checkin:{today['id']}"
    assert alert.details["dates"] == [day(5).isoformat(), day(6).isoformat()]


def test_editing_an_earlier_day_of_a_run_already_raised_adds_nothing(cast, client_for, time_machine, alice_done):
    time_machine.move_to(evening(6), tick=False)
    alice = client_for(cast.alice)
    yesterday_id = uuid.uuid4()
    etag = put_checkin(alice, checkin_body(day(5), back_pain=8), yesterday_id)["ETag"]
    _checkin_on(alice, 6, back_pain=9)
    assert _alerts(cast.alice_profile).count() == 1

    edited = put_checkin(
        alice, checkin_body(day(5), back_pain=9, note="Worse than I said."), yesterday_id, if_match=etag
    )

    assert edited.status_code == 200
    assert _alerts(cast.alice_profile).count() == 1


def test_high_pain_on_days_that_are_not_consecutive_raises_nothing(cast, client_for, time_machine, alice_done):
    time_machine.move_to(evening(6), tick=False)
    alice = client_for(cast.alice)

    _checkin_on(alice, 4, back_pain=9)
    _checkin_on(alice, 6, back_pain=9)

    assert not _alerts(cast.alice_profile).exists()


@pytest.fixture
def alice_with_baseline(cast, client_for, time_machine):
    """Alice's baseline pain, back 4 and leg 5, taken a week before her procedure; then the procedure, done."""
    time_machine.move_to(local(NEW_YORK, 2027, 5, 3, 10), tick=False)
    procedure = ProcedureFactory(patient=cast.alice_profile, procedure_date=DAY0)
    response = client_for(cast.alice).post(
        "/api/v1/me/assessments",
        {"instrument": "pain", "timepoint": "baseline", "answers": {"back_pain": 4, "leg_pain": 5}},
        format="json",
    )
    assert response.status_code == 201, response.json()
    screened_candidate(procedure, cast.carol)
    services.procedure_complete(procedure=procedure, by=cast.carol, now=local(NEW_YORK, 2027, 5, 10, 16))
    return procedure


def test_pain_2_above_baseline_three_days_running_raises_a_watch_alert(
    cast, client_for, time_machine, alice_with_baseline
):
    time_machine.move_to(evening(12), tick=False)
    alice = client_for(cast.alice)

    _checkin_on(alice, 10, back_pain=3, leg_pain=7)  # leg 5 -> 7
    _checkin_on(alice, 11, back_pain=6, leg_pain=5)  # back 4 -> 6
    assert not _alerts(cast.alice_profile).exists()  # two days are not enough
    third = _checkin_on(alice, 12, back_pain=2, leg_pain=8)

    alert = _alerts(cast.alice_profile).get()
    assert (alert.rule, alert.tier, alert.trigger) == ("pain_above_baseline_3_days", "watch", f"checkin:{third['id']}")
    assert alert.details["baseline_back_pain"] == 4
    assert alert.details["baseline_leg_pain"] == 5


def test_rising_pain_entered_out_of_order_is_still_seen(cast, client_for, time_machine, alice_with_baseline):
    time_machine.move_to(evening(12), tick=False)
    alice = client_for(cast.alice)

    last = _checkin_on(alice, 12, leg_pain=7)
    _checkin_on(alice, 10, leg_pain=7)
    assert not _alerts(cast.alice_profile).exists()
    _checkin_on(alice, 11, leg_pain=8)

    alert = _alerts(cast.alice_profile).get()
    assert (alert.rule, alert.trigger) == ("pain_above_baseline_3_days", f"checkin:{last['id']}")
    assert alert.details["dates"] == [day(10).isoformat(), day(11).isoformat(), day(12).isoformat()]


def test_pain_only_1_above_baseline_raises_nothing(cast, client_for, time_machine, alice_with_baseline):
    time_machine.move_to(evening(12), tick=False)
    alice = client_for(cast.alice)

    for n in (10, 11, 12):
        _checkin_on(alice, n, back_pain=5, leg_pain=6)

    assert not _alerts(cast.alice_profile).exists()


def test_without_a_baseline_rising_pain_cannot_be_judged(cast, client_for, time_machine, alice_done):
    time_machine.move_to(evening(12), tick=False)
    alice = client_for(cast.alice)

    for n in (10, 11, 12):
        _checkin_on(alice, n, back_pain=7, leg_pain=7)

    assert not _alerts(cast.alice_profile, "pain_above_baseline_3_days").exists()


# --- Time-based rules -------------------------------------------------------------------------------------------------


def test_no_checkin_for_three_days_raises_one_alert(cast, client_for, time_machine, alice_done):
    time_machine.move_to(evening(2), tick=False)
    _checkin_on(client_for(cast.alice), 2)

    # days 3 and 4 missed: not yet
    time_machine.move_to(local(NEW_YORK, 2027, 5, 15, 9), tick=False)
    assert services.time_rules_run_for_patient(patient=cast.alice_profile) == []

    # days 3, 4 and 5 missed
    time_machine.move_to(local(NEW_YORK, 2027, 5, 16, 9), tick=False)
    raised = services.time_rules_run_for_patient(patient=cast.alice_profile)
    again = services.time_rules_run_for_patient(patient=cast.alice_profile)

    assert [(a.rule, a.tier, a.trigger) for a in raised] == [("no_checkin_3_days", "watch", "gap-since:2027-05-12")]
    assert again == []
    assert _alerts(cast.alice_profile).count() == 1


def test_the_no_checkin_rule_counts_days_in_the_patients_zone(cast, client_for, time_machine, alice_done):
    time_machine.move_to(evening(2), tick=False)
    _checkin_on(client_for(cast.alice), 2)

    # 03:00 UTC on 16 May is still 15 May (23:00) in New York: only two days missed
    time_machine.move_to(dt.datetime(2027, 5, 16, 3, tzinfo=dt.UTC), tick=False)

    assert services.time_rules_run_for_patient(patient=cast.alice_profile) == []


@pytest.fixture
def eager_celery():
    """Tasks queued with .delay() run at once, in this process (the real worker has its own test)."""
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


def test_the_periodic_task_runs_the_time_rules_for_every_recovering_patient(
    cast, time_machine, settings, eager_celery, alice_done
):
    # Bob's procedure too, and Heidi has none: she is not a recovering patient.
    procedure_done(cast.bob.patient_profile, cast.dave, DAY0)
    settings.RECOVERY_RULES_CHUNK_SIZE = 1
    time_machine.move_to(local(NEW_YORK, 2027, 5, 16, 9), tick=False)

    assert recovery_time_rules_dispatch.apply().get() == 2
    assert recovery_time_rules_dispatch.apply().get() == 2

    assert set(Alert.objects.values_list("patient_id", "rule")) == {
        (cast.alice.pk, "no_checkin_3_days"),
        (cast.bob.pk, "no_checkin_3_days"),
    }
    assert Alert.objects.count() == 2


def test_an_overdue_milestone_raises_one_alert(cast, client_for, time_machine, alice_done):
    # Alice checks in every day but does not do her 2-3 week progress check (days 14-21).
    weeks_2_3 = PatientMilestone.objects.get(procedure=alice_done, key="weeks_2_3")
    alice = client_for(cast.alice)
    for n in range(1, 22):
        time_machine.move_to(evening(n), tick=False)
        _checkin_on(alice, n)

    time_machine.move_to(local(NEW_YORK, 2027, 5, 31, 20), tick=False)  # day 21, the last day of the window
    assert services.time_rules_run_for_patient(patient=cast.alice_profile) == []
    time_machine.move_to(local(NEW_YORK, 2027, 6, 1, 9), tick=False)  # day 22
    raised = services.time_rules_run_for_patient(patient=cast.alice_profile)
    time_machine.move_to(local(NEW_YORK, 2027, 6, 2, 9), tick=False)
    again = services.time_rules_run_for_patient(patient=cast.alice_profile)

    assert [(a.rule, a.trigger) for a in raised] == [("milestone_overdue", f"milestone:{weeks_2_3.pk}")]
    assert again == []
    assert raised[0].details["closed_on"] == "2027-05-31"


def test_milestone_opened_is_announced_exactly_once(
    cast, time_machine, heard, django_capture_on_commit_callbacks, alice_done
):
    opened = heard(signals.milestone_opened)
    weeks_2_3 = PatientMilestone.objects.get(procedure=alice_done, key="weeks_2_3")

    with django_capture_on_commit_callbacks(execute=True):
        time_machine.move_to(local(NEW_YORK, 2027, 5, 23, 23, 30), tick=False)  # day 13
        services.time_rules_run_for_patient(patient=cast.alice_profile)
        assert opened.calls == []
        for hour in (0, 9, 18):  # day 14, three runs
            time_machine.move_to(local(NEW_YORK, 2027, 5, 24, hour), tick=False)
            services.time_rules_run_for_patient(patient=cast.alice_profile)
        time_machine.move_to(local(NEW_YORK, 2027, 5, 25, 9), tick=False)
        services.time_rules_run_for_patient(patient=cast.alice_profile)

    assert opened.calls == [
        {"milestone_id": weeks_2_3.pk, "patient_id": cast.alice.pk, "signal": signals.milestone_opened}
    ]


def test_no_meaningful_improvement_at_6_to_8_weeks_raises_a_watch_alert(cast, client_for, time_machine):
    procedure = _baseline_and_procedure(cast, client_for, time_machine)
    time_machine.move_to(local(NEW_YORK, 2027, 6, 22, 10), tick=False)  # day 43

    # pain 1 point better, ODI and ZCQ unchanged: no measure shows a meaningful response
    record_measures(client_for(cast.alice), "weeks_6_8", pain=(5, 6), odi_level=3, zcq_level=(3, 3))

    alert = _alerts(cast.alice_profile).get()
    weeks_6_8 = PatientMilestone.objects.get(procedure=procedure, key="weeks_6_8")
    assert (alert.rule, alert.tier, alert.trigger) == ("no_improvement_6_8_weeks", "watch", f"milestone:{weeks_6_8.pk}")
    assert alert.details["improvement"]["odi.odi_percent"] == 0
    assert alert.details["improvement"]["pain.back_pain"] == 1


def test_a_responder_at_6_to_8_weeks_raises_nothing(cast, client_for, time_machine):
    _baseline_and_procedure(cast, client_for, time_machine)
    time_machine.move_to(local(NEW_YORK, 2027, 6, 22, 10), tick=False)

    # leg pain 2 points better is enough, even with everything else unchanged
    record_measures(client_for(cast.alice), "weeks_6_8", pain=(6, 5), odi_level=3, zcq_level=(3, 3))

    assert not _alerts(cast.alice_profile).exists()


def test_the_no_improvement_rule_waits_for_the_whole_milestone(cast, client_for, time_machine):
    _baseline_and_procedure(cast, client_for, time_machine)
    time_machine.move_to(local(NEW_YORK, 2027, 6, 22, 10), tick=False)
    alice = client_for(cast.alice)

    alice.post(
        "/api/v1/me/assessments",
        {"instrument": "pain", "timepoint": "weeks_6_8", "answers": {"back_pain": 6, "leg_pain": 7}},
        format="json",
    )

    assert not _alerts(cast.alice_profile).exists()


def _baseline_and_procedure(cast, client_for, time_machine):
    """Baseline a week before the procedure on 10 May: pain 6/7, ODI 60%, ZCQ severity 3.0 and function 3.0."""
    time_machine.move_to(local(NEW_YORK, 2027, 5, 3, 10), tick=False)
    procedure = ProcedureFactory(patient=cast.alice_profile, procedure_date=DAY0)
    record_measures(client_for(cast.alice), "baseline", pain=(6, 7), odi_level=3, zcq_level=(3, 3))
    screened_candidate(procedure, cast.carol)
    services.procedure_complete(procedure=procedure, by=cast.carol, now=local(NEW_YORK, 2027, 5, 10, 16))
    return procedure


# --- Announcements after commit ---------------------------------------------------------------------------------------


def test_checkin_recorded_and_alert_raised_are_announced_after_commit(
    cast, client_for, time_machine, heard, django_capture_on_commit_callbacks, alice_done
):
    recorded, raised = heard(signals.checkin_recorded), heard(signals.alert_raised)
    time_machine.move_to(evening(3), tick=False)
    checkin_id = uuid.uuid4()
    body = checkin_body(day(3), red_flags=["fever_chills"])

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        put_checkin(client_for(cast.alice), body, checkin_id)
        # nothing is announced while the transaction is open
        assert recorded.calls == raised.calls == []

    alert = Alert.objects.get()
    assert callbacks
    assert recorded.calls == [
        {
            "checkin_id": checkin_id, "patient_id": cast.alice.pk, "local_date": day(3), "created": True,
            "signal": signals.checkin_recorded,
        }
    ]  # fmt: skip
    assert raised.calls == [
        {"alert_id": alert.pk, "patient_id": cast.alice.pk, "tier": "urgent", "signal": signals.alert_raised}
    ]

    # a replay announces nothing
    with django_capture_on_commit_callbacks(execute=True):
        put_checkin(client_for(cast.alice), body, checkin_id)
    assert len(recorded.calls) == len(raised.calls) == 1


def test_nothing_is_announced_when_the_transaction_rolls_back(
    cast, time_machine, heard, django_capture_on_commit_callbacks, alice_done
):
    recorded, raised = heard(signals.checkin_recorded), heard(signals.alert_raised)
    time_machine.move_to(evening(3), tick=False)

    class Abandon(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Abandon),
        transaction.atomic(),
    ):
        services.checkin_put(
            patient=cast.alice_profile,
            by=cast.alice,
            checkin_id=uuid.uuid4(),
            data=_service_data(day(3), red_flags=["fall"]),
            if_match=None,
        )
        raise Abandon

    assert callbacks == []
    assert recorded.calls == raised.calls == []
    assert not CheckIn.objects.exists()
    assert not Alert.objects.exists()


def _service_data(local_date: dt.date, **fields) -> dict:
    data = {
        "local_date": local_date,
        "back_pain": 4,
        "leg_pain": 5,
        "walking_minutes": 20,
        "standing_minutes": 10,
        "steps": None,
        "medication": "none",
        "symptoms": [],
        "red_flags": [],
        "note": "",
        "recorded_at": None,
    }
    data.update(fields)
    return data


@pytest.mark.django_db(transaction=True)
def test_announcements_wait_for_a_real_commit_and_never_follow_a_rollback(cast, heard):
    recorded, raised = heard(signals.checkin_recorded), heard(signals.alert_raised)
    cast.alice_profile.enrolled_at -= dt.timedelta(days=3)
    cast.alice_profile.save()
    today = cast.alice_profile.local_today()

    with transaction.atomic():
        result = services.checkin_put(
            patient=cast.alice_profile,
            by=cast.alice,
            checkin_id=uuid.uuid4(),
            data=_service_data(today, red_flags=["fall"]),
            if_match=None,
        )
        assert recorded.calls == raised.calls == []
    assert [c["checkin_id"] for c in recorded.calls] == [result.checkin.pk]
    assert [c["tier"] for c in raised.calls] == ["urgent"]

    with pytest.raises(RuntimeError), transaction.atomic():
        services.checkin_put(
            patient=cast.alice_profile,
            by=cast.alice,
            checkin_id=uuid.uuid4(),
            data=_service_data(today - dt.timedelta(days=1), red_flags=["fever_chills"]),
            if_match=None,
        )
        raise RuntimeError("the surrounding work failed")
    assert len(recorded.calls) == len(raised.calls) == 1
    assert CheckIn.objects.count() == Alert.objects.count() == 1


def test_a_raised_alert_has_its_raised_event(cast, client_for, time_machine, alice_done):
    time_machine.move_to(evening(3), tick=False)
    put_checkin(client_for(cast.alice), checkin_body(day(3), red_flags=["fall"]))
    alert = Alert.objects.get()

    detail = client_for(cast.carol).get(f"/api/v1/alerts/{alert.pk}")

    assert [(e["action"], e["actor"]) for e in detail.json()["events"]] == [("raised", None)]
