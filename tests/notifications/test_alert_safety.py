"""Emergency and urgent alerts always interrupt: a clinician's quiet hours never hold or skip them, and no clinician can
turn off both push and email for emergencies."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from accounts.models import CareTeamMember
from notifications import services
from notifications.models import Channel, Delivery, DeliveryStatus, Kind, NotificationPreference
from recovery import services as recovery_services
from recovery.rules import Finding
from tests.notifications.support import NEW_YORK, checkin_record, preference
from tests.support import local, procedure_done

D = dt.date
T = dt.time
PREFERENCES = "/api/v1/me/notification-preferences"
# 23:00 in New York, inside Dr Carol's quiet hours (22:00-07:00, her clinic's zone).
NIGHT = local(NEW_YORK, 2027, 5, 15, 23, 0)


@pytest.fixture
def alice_team(cast):
    CareTeamMember.objects.create(patient=cast.alice_profile, clinician=cast.dave, is_primary=False)
    procedure_done(cast.alice_profile, cast.carol, D(2027, 5, 10))
    preference(cast.carol, quiet_hours_start=T(22, 0), quiet_hours_end=T(7, 0))
    preference(cast.dave, quiet_hours_start=T(21, 0), quiet_hours_end=T(8, 0))
    return cast


@pytest.mark.django_db
@pytest.mark.parametrize(("red_flag", "tier"), [("bladder_bowel_control", "emergency"), ("fever_chills", "urgent")])
def test_an_alert_at_night_reaches_a_clinician_with_quiet_hours_at_once_on_every_channel(
    alice_team, django_capture_on_commit_callbacks, red_flag, tier
):
    cast = alice_team
    with time_machine.travel(NIGHT, tick=False), django_capture_on_commit_callbacks(execute=True):
        result = checkin_record(cast.alice_profile, D(2027, 5, 15), now=NIGHT, red_flags=[red_flag])
    (alert,) = result.alerts
    assert alert.tier == tier
    rows = Delivery.objects.filter(kind=Kind.ALERT, recipient=cast.carol)
    assert {(r.channel, r.due_at, r.status) for r in rows} == {
        (channel, NIGHT, DeliveryStatus.PENDING) for channel in (Channel.INAPP, Channel.PUSH, Channel.EMAIL)
    }


@pytest.mark.django_db
def test_an_escalation_at_night_is_not_held_by_quiet_hours(alice_team, django_capture_on_commit_callbacks):
    cast = alice_team
    with time_machine.travel(NIGHT, tick=False), django_capture_on_commit_callbacks(execute=True):
        checkin_record(cast.alice_profile, D(2027, 5, 15), now=NIGHT, red_flags=["saddle_numbness"])
    later = NIGHT + dt.timedelta(minutes=31)
    with time_machine.travel(later, tick=False):
        services.escalations_plan()
    rows = Delivery.objects.filter(kind=Kind.ALERT_ESCALATION, recipient=cast.dave)
    assert {(r.channel, r.due_at, r.status) for r in rows} == {
        (channel, later, DeliveryStatus.PENDING) for channel in (Channel.INAPP, Channel.PUSH, Channel.EMAIL)
    }


@pytest.mark.django_db
def test_the_watch_digest_still_waits_for_quiet_hours_to_end(alice_team, django_capture_on_commit_callbacks):
    """Only emergency and urgent alerts break through: the digest of watch alerts keeps to the clinician's hours."""
    cast = alice_team
    preference(cast.carol, quiet_hours_start=T(6, 0), quiet_hours_end=T(9, 0))
    with time_machine.travel(NIGHT, tick=False), django_capture_on_commit_callbacks(execute=True):
        recovery_services.alerts_raise(
            patient=cast.alice_profile, findings=[Finding(rule="pain_8_plus_two_days", trigger="test:1")], now=NIGHT
        )
    morning = local(NEW_YORK, 2027, 5, 16, 8, 0)
    with time_machine.travel(morning, tick=False):
        services.digests_plan()
    (email,) = Delivery.objects.filter(kind=Kind.ALERT_DIGEST, recipient=cast.carol, channel=Channel.EMAIL)
    assert email.due_at == local(NEW_YORK, 2027, 5, 16, 9, 0)


@pytest.mark.django_db
@pytest.mark.parametrize("channels", [[], ["push"], ["email"], ["email", "push"]])
def test_the_service_keeps_an_interrupting_channel_for_emergencies(cast, channels):
    if channels:
        services.preference_update(user=cast.carol, channels={"alert_emergency": channels})
        assert services.preference_of(cast.carol).channels_for("alert_emergency") == channels
    else:
        with pytest.raises(ValidationError) as refused:
            services.preference_update(user=cast.carol, channels={"alert_emergency": channels})
        assert "channels.alert_emergency" in refused.value.message_dict
        assert not NotificationPreference.objects.filter(user=cast.carol).exists()


@pytest.mark.django_db
def test_a_clinician_cannot_turn_off_push_and_email_for_emergencies(cast, client_for):
    client = client_for(cast.carol)
    assert client.patch(PREFERENCES, {"channels": {"alert_emergency": ["email"]}}, format="json").status_code == 200
    before = NotificationPreference.objects.get(user=cast.carol)

    response = client.patch(
        PREFERENCES,
        {"channels": {"alert_emergency": [], "alert_urgent": []}, "digest_time": "06:30"},
        format="json",
    )

    assert response.status_code == 400
    body = response.json()
    assert list(body["errors"]) == ["channels.alert_emergency"]
    assert "emergency" in body["errors"]["channels.alert_emergency"][0]
    after = NotificationPreference.objects.get(user=cast.carol)
    assert (after.channels, after.digest_time) == (before.channels, before.digest_time)
    assert client.get(PREFERENCES).json()["channels"]["alert_emergency"] == ["email"]


@pytest.mark.django_db
def test_a_clinician_may_still_turn_off_interrupting_channels_for_urgent_alerts_and_the_digest(cast, client_for):
    response = client_for(cast.carol).patch(
        PREFERENCES, {"channels": {"alert_urgent": [], "alert_digest": []}}, format="json"
    )
    assert response.status_code == 200
    assert sorted(response.json()["channels"]["alert_emergency"]) == ["email", "push"]
