"""GET /api/v1/clinician/alert-response: the clinic's time to acknowledge per tier, last 30 days."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.models import PHIAccess
from dashboards.alert_response import alert_response
from tests.factories import AlertFactory
from tests.support import utc

pytestmark = pytest.mark.clock_sensitive

URL = "/api/v1/clinician/alert-response"
NOW = utc(2027, 6, 1, 12)


def _alert(patient, rule, raised_days_ago, minutes_to_acknowledge=None):
    raised = NOW - dt.timedelta(days=raised_days_ago)
    acknowledged = None if minutes_to_acknowledge is None else raised + dt.timedelta(minutes=minutes_to_acknowledge)
    return AlertFactory(patient=patient, rule=rule, raised_at=raised, acknowledged_at=acknowledged,
                        state="open" if acknowledged is None else "acknowledged")  # fmt: skip


def test_median_and_90th_percentile_per_tier_over_the_clinics_last_30_days(cast, client_for, time_machine):
    time_machine.move_to(NOW, tick=False)
    alice, bob, heidi = cast.alice_profile, cast.bob.patient_profile, cast.heidi.patient_profile
    for minutes in (10, 20, 30, 40):  # Riverside's urgent alerts, Alice's and Bob's care teams alike
        _alert(alice if minutes < 30 else bob, "fever_chills", 2, minutes)
    _alert(alice, "fever_chills", 3)  # still waiting
    _alert(alice, "fever_chills", 31, 1000)  # raised before the window
    _alert(bob, "saddle_numbness", 1, 5)
    _alert(heidi, "fever_chills", 1, 500)  # Hillside's
    logged_before = PHIAccess.objects.count()

    response = client_for(cast.carol).get(URL)

    assert response.status_code == 200
    body = response.json()
    assert body["window_days"] == 30
    assert body["until"] == "2027-06-01T12:00:00Z"
    tiers = {t["tier"]: t for t in body["tiers"]}
    # Urgent: 10, 20, 30, 40 minutes. percentile_cont: median at position 1.5 -> 25; p90 at 2.7 -> 30 + 0.7*10 = 37
    assert tiers["urgent"] == {
        "tier": "urgent", "raised": 5, "acknowledged": 4, "waiting": 1, "median_minutes": 25.0, "p90_minutes": 37.0,
    }  # fmt: skip
    assert (tiers["emergency"]["median_minutes"], tiers["emergency"]["p90_minutes"]) == (5.0, 5.0)
    assert tiers["watch"] == {
        "tier": "watch", "raised": 0, "acknowledged": 0, "waiting": 0, "median_minutes": None, "p90_minutes": None,
    }  # fmt: skip
    # An aggregate with no row per patient: not logged
    assert PHIAccess.objects.count() == logged_before
    # The clinic admin sees the same clinic's figures; Hillside's its own
    assert client_for(cast.frank).get(URL).json()["tiers"] == body["tiers"]
    hillside = {t["tier"]: t for t in client_for(cast.grace).get(URL).json()["tiers"]}
    assert (hillside["urgent"]["raised"], hillside["urgent"]["median_minutes"]) == (1, 500.0)


def test_patients_may_not_read_it(cast, client_for):
    assert client_for(cast.alice).get(URL).status_code == 403


def test_no_clinic_reads_nothing(cast):
    assert [t["raised"] for t in alert_response(None, NOW)["tiers"]] == [0, 0, 0]
