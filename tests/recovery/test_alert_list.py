"""The care team's alert list and alert actions: triage order, filters, who may see and act on an alert."""

from __future__ import annotations

import pytest

from accounts.models import PHIAccess
from recovery.models import AlertEvent
from tests.factories import AlertFactory
from tests.recovery.support import NEW_YORK
from tests.support import local

pytestmark = pytest.mark.clock_sensitive


# --- The care team's alert list ---------------------------------------------------------------------------------------


@pytest.fixture
def alerts(cast, time_machine):
    """Alerts on Alice (Carol's), Bob (Dave's) and Heidi (Erin's, Hillside), raised a minute apart."""
    time_machine.move_to(local(NEW_YORK, 2027, 5, 20, 9), tick=False)
    made = {}
    for name, patient, rule in (
        ("alice_watch", cast.alice_profile, "no_checkin_3_days"),
        ("alice_emergency", cast.alice_profile, "saddle_numbness"),
        ("alice_urgent", cast.alice_profile, "fever_chills"),
        ("alice_resolved", cast.alice_profile, "sudden_leg_weakness"),
        ("bob_urgent", cast.bob.patient_profile, "fall"),
        ("heidi_emergency", cast.heidi.patient_profile, "chest_pain_breathless"),
    ):
        time_machine.shift(60)
        made[name] = AlertFactory(patient=patient, rule=rule)
    resolved = made["alice_resolved"]
    resolved.state, resolved.resolved_at, resolved.resolved_by = "resolved", resolved.raised_at, cast.carol
    resolved.save()
    time_machine.move_to(local(NEW_YORK, 2027, 5, 20, 10), tick=False)
    return made


def _ids(response) -> list[str]:
    return [a["id"] for a in response.json()["results"]]


def test_clinician_lists_their_patients_alerts_most_serious_first(cast, client_for, alerts):
    response = client_for(cast.carol).get("/api/v1/alerts")

    assert response.status_code == 200
    assert _ids(response) == [
        str(alerts[name].pk) for name in ("alice_emergency", "alice_urgent", "alice_watch", "alice_resolved")
    ]
    assert response.json()["results"][0]["patient"] == {"id": str(cast.alice.pk), "full_name": "Alice Adams"}
    assert PHIAccess.objects.filter(actor=cast.carol, patient=cast.alice_profile, resource="recovery.alerts").exists()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("tier=urgent", ["alice_urgent"]),
        ("tier=emergency&tier=urgent", ["alice_emergency", "alice_urgent", "alice_resolved"]),
        ("state=open", ["alice_emergency", "alice_urgent", "alice_watch"]),
        ("state=resolved", ["alice_resolved"]),
        ("tier=watch&state=open", ["alice_watch"]),
    ],
)
def test_clinician_filters_alerts_by_tier_and_state(cast, client_for, alerts, query, expected):
    response = client_for(cast.carol).get(f"/api/v1/alerts?{query}")

    assert _ids(response) == [str(alerts[name].pk) for name in expected]


def test_clinic_admin_sees_the_clinics_alerts_and_filters_by_patient(cast, client_for, alerts):
    frank = client_for(cast.frank)

    everything = frank.get("/api/v1/alerts")
    bobs = frank.get(f"/api/v1/alerts?patient={cast.bob.pk}")

    assert set(_ids(everything)) == {str(a.pk) for n, a in alerts.items() if not n.startswith("heidi")}
    assert _ids(everything)[0] == str(alerts["alice_emergency"].pk)
    assert _ids(bobs) == [str(alerts["bob_urgent"].pk)]


def test_a_clinician_filtering_on_someone_elses_patient_gets_nothing(cast, client_for, alerts):
    response = client_for(cast.carol).get(f"/api/v1/alerts?patient={cast.bob.pk}")

    assert response.status_code == 200
    assert _ids(response) == []


def test_a_bad_alert_filter_is_refused(cast, client_for, alerts):
    response = client_for(cast.carol).get("/api/v1/alerts?tier=red")

    assert response.status_code == 400
    assert "tier" in response.json()["errors"]


def test_patients_cannot_use_the_alert_list(cast, client_for, alerts):
    assert client_for(cast.alice).get("/api/v1/alerts").status_code == 403
    assert client_for(cast.alice).get(f"/api/v1/alerts/{alerts['alice_urgent'].pk}").status_code == 403


def test_clinician_acknowledges_then_resolves_an_alert_with_a_note(cast, client_for, time_machine, alerts):
    alert = alerts["alice_urgent"]
    carol = client_for(cast.carol)

    acknowledged = carol.post(f"/api/v1/alerts/{alert.pk}/acknowledge", {"note": "Calling her now."}, format="json")
    assert acknowledged.status_code == 200
    assert acknowledged.json()["state"] == "acknowledged"
    assert acknowledged.json()["acknowledged_by"]["id"] == str(cast.carol.pk)

    no_note = carol.post(f"/api/v1/alerts/{alert.pk}/resolve", {}, format="json")
    assert no_note.status_code == 400
    assert "note" in no_note.json()["errors"]
    blank = carol.post(f"/api/v1/alerts/{alert.pk}/resolve", {"note": ""}, format="json")
    assert blank.status_code == 400

    time_machine.move_to(local(NEW_YORK, 2027, 5, 20, 10, 20), tick=False)
    resolved = carol.post(
        f"/api/v1/alerts/{alert.pk}/resolve", {"note": "Temperature 37.4 C; wound fine."}, format="json"
    )
    assert resolved.status_code == 200
    body = resolved.json()
    assert (body["state"], body["note"]) == ("resolved", "Temperature 37.4 C; wound fine.")
    assert body["resolved_at"] == "2027-05-20T14:20:00Z"
    assert [(e["action"], e["actor"] and e["actor"]["id"], e["note"]) for e in body["events"]] == [
        ("acknowledged", str(cast.carol.pk), "Calling her now."),
        ("resolved", str(cast.carol.pk), "Temperature 37.4 C; wound fine."),
    ]
    # a resolved alert stays resolved: acting on it again conflicts with its state
    again = carol.post(f"/api/v1/alerts/{alert.pk}/resolve", {"note": "again"}, format="json")
    assert again.status_code == 409
    assert "already resolved" in again.json()["detail"]
    assert carol.post(f"/api/v1/alerts/{alert.pk}/acknowledge", {}, format="json").status_code == 409


def test_resolving_an_open_alert_records_who_and_when(cast, client_for, alerts):
    alert = alerts["alice_emergency"]

    client_for(cast.carol).post(f"/api/v1/alerts/{alert.pk}/resolve", {"note": "Seen in A&E."}, format="json")

    alert.refresh_from_db()
    assert (alert.state, alert.resolved_by, alert.acknowledged_by) == ("resolved", cast.carol, cast.carol)


@pytest.mark.parametrize("who", ["dave", "erin", "grace"])
def test_staff_outside_the_care_team_cannot_see_or_act_on_an_alert(cast, client_for, alerts, who):
    alert = alerts["alice_urgent"]
    client = client_for(getattr(cast, who))

    assert client.get(f"/api/v1/alerts/{alert.pk}").status_code == 404
    assert client.post(f"/api/v1/alerts/{alert.pk}/acknowledge", {}, format="json").status_code == 404
    assert client.post(f"/api/v1/alerts/{alert.pk}/resolve", {"note": "x"}, format="json").status_code == 404
    assert str(alert.pk) not in _ids(client.get("/api/v1/alerts"))
    alert.refresh_from_db()
    assert alert.state == "open"
    assert not AlertEvent.objects.filter(alert=alert).exists()
