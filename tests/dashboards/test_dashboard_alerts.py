"""Alert triage: the queue across the clinician's patients filtered by tier, state and assignee; acknowledge; resolve
with a note; assign to a colleague on the patient's care team. Every change is an AlertEvent."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import time_machine

from accounts.models import CareTeamMember, PHIAccess
from recovery.models import Alert, AlertEvent, AlertState
from tests.conftest import Cast
from tests.factories import AlertFactory
from tests.recovery.support import NEW_YORK
from tests.support import local

NOW = local(NEW_YORK, 2027, 5, 20, 9)
ALERTS = "/api/v1/alerts"


@pytest.fixture(autouse=True)
def _thursday_morning():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def alerts(cast: Cast) -> dict[str, Any]:
    """Alice's emergency (open), urgent (acknowledged) and watch (resolved) alerts; Bob's urgent one (Dave's)."""
    alice = cast.alice.patient_profile
    return {
        "emergency": AlertFactory(patient=alice, rule="saddle_numbness"),
        "urgent": AlertFactory(
            patient=alice, rule="fall", state=AlertState.ACKNOWLEDGED, acknowledged_at=NOW, acknowledged_by=cast.carol
        ),
        "watch": AlertFactory(patient=alice, rule="no_checkin_3_days", state=AlertState.RESOLVED, resolved_at=NOW),
        "bob": AlertFactory(patient=cast.bob.patient_profile, rule="fall"),
    }


@pytest.fixture
def dave_on_alices_team(cast: Cast) -> None:
    CareTeamMember.objects.create(patient=cast.alice.patient_profile, clinician=cast.dave)


def _ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.json()
    return [a["id"] for a in response.json()["results"]]


def _assign(client: Any, alert: Alert, assignee: Any, note: str = "") -> Any:
    return client.post(
        f"{ALERTS}/{alert.pk}/assign", {"assignee": assignee and str(assignee), "note": note}, format="json"
    )


# --- The queue --------------------------------------------------------------------------------------------------------


def test_queue_filters_by_tier_and_state(alerts, cast, client_for):
    client = client_for(cast.carol)
    emergency, urgent, watch = (str(alerts[k].pk) for k in ("emergency", "urgent", "watch"))

    assert _ids(client.get(ALERTS)) == [emergency, urgent, watch]  # unresolved first, most serious first
    assert _ids(client.get(ALERTS, {"tier": "emergency"})) == [emergency]
    assert _ids(client.get(ALERTS, {"state": ["open", "acknowledged"]})) == [emergency, urgent]
    assert _ids(client.get(ALERTS, {"state": "resolved"})) == [watch]
    assert _ids(client.get(ALERTS, {"tier": "watch", "state": "open"})) == []
    # Dave sees Bob's only.
    assert _ids(client_for(cast.dave).get(ALERTS)) == [str(alerts["bob"].pk)]


def test_queue_filters_by_assignee(alerts, cast, client_for, dave_on_alices_team):
    carol = client_for(cast.carol)
    assert _assign(carol, alerts["emergency"], cast.dave.pk).status_code == 200
    assert _assign(carol, alerts["urgent"], cast.carol.pk).status_code == 200

    assert _ids(carol.get(ALERTS, {"assigned_to": "me"})) == [str(alerts["urgent"].pk)]
    assert _ids(carol.get(ALERTS, {"assigned_to": str(cast.dave.pk)})) == [str(alerts["emergency"].pk)]
    assert _ids(carol.get(ALERTS, {"assigned_to": "nobody"})) == [str(alerts["watch"].pk)]
    assert _ids(client_for(cast.dave).get(ALERTS, {"assigned_to": "me"})) == [str(alerts["emergency"].pk)]
    listed = carol.get(ALERTS, {"assigned_to": "me"}).json()["results"][0]
    assert listed["assigned_to"] == {"id": str(cast.carol.pk), "full_name": "Dr Carol Chen"}


def test_queue_refuses_unknown_filter_values(alerts, cast, client_for):
    client = client_for(cast.carol)
    for params, field in (
        ({"tier": "critical"}, "tier"),
        ({"state": "closed"}, "state"),
        ({"assigned_to": "someone"}, "assigned_to"),
        ({"colour": "red"}, "colour"),
        ({"page_size": 201}, "page_size"),
    ):
        response = client.get(ALERTS, params)
        assert response.status_code == 400, params
        assert list(response.json()["errors"]) == [field]


def test_queue_read_is_logged_per_patient_listed(alerts, cast, client_for):
    client_for(cast.frank).get(ALERTS)
    assert sorted(str(r.patient_id) for r in PHIAccess.objects.filter(actor=cast.frank)) == sorted(
        [str(cast.alice.pk), str(cast.bob.pk)]
    )


# --- Acknowledge, resolve ---------------------------------------------------------------------------------------------


def test_acknowledge_then_resolve_with_a_note_are_recorded(alerts, cast, client_for):
    client = client_for(cast.carol)
    alert = alerts["emergency"]

    acknowledged = client.post(f"{ALERTS}/{alert.pk}/acknowledge", {"note": "Calling her now."}, format="json")
    assert acknowledged.status_code == 200
    assert acknowledged.json()["state"] == "acknowledged"
    assert client.post(f"{ALERTS}/{alert.pk}/resolve", {}, format="json").status_code == 400  # a note is required
    resolved = client.post(f"{ALERTS}/{alert.pk}/resolve", {"note": "Seen in A&E; imaging clear."}, format="json")

    body = resolved.json()
    assert (body["state"], body["note"], body["resolved_by"]["full_name"]) == (
        "resolved",
        "Seen in A&E; imaging clear.",
        "Dr Carol Chen",
    )
    assert [(e["action"], e["actor"]["full_name"], e["note"]) for e in body["events"]] == [
        ("acknowledged", "Dr Carol Chen", "Calling her now."),
        ("resolved", "Dr Carol Chen", "Seen in A&E; imaging clear."),
    ]


# --- Assign -----------------------------------------------------------------------------------------------------------


def test_assign_to_a_colleague_on_the_care_team_is_recorded(alerts, cast, client_for, dave_on_alices_team):
    alert = alerts["emergency"]
    response = _assign(client_for(cast.carol), alert, cast.dave.pk, note="Dave knows her best.")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["assigned_to"] == {"id": str(cast.dave.pk), "full_name": "Dr Dave Diaz"}
    assert body["state"] == "open"  # assigning is not acknowledging
    [event] = body["events"]
    assert (event["action"], event["actor"]["full_name"], event["assignee"]["full_name"], event["note"]) == (
        "assigned",
        "Dr Carol Chen",
        "Dr Dave Diaz",
        "Dave knows her best.",
    )
    assert [(r.patient_id, r.resource) for r in PHIAccess.objects.filter(actor=cast.carol)] == [
        (cast.alice.pk, "recovery.alert")
    ]


def test_unassign_gives_it_back_to_the_team_and_reassigning_the_same_person_changes_nothing(
    alerts, cast, client_for, dave_on_alices_team
):
    client = client_for(cast.carol)
    alert = alerts["urgent"]
    _assign(client, alert, cast.dave.pk)
    _assign(client, alert, cast.dave.pk)  # no change: no event
    response = _assign(client, alert, None)

    assert response.status_code == 200
    assert response.json()["assigned_to"] is None
    assert [e["action"] for e in response.json()["events"]] == ["assigned", "unassigned"]


@pytest.mark.parametrize("who", ["dave", "erin", "frank", "grace", "alice", "nobody"])
def test_assigning_to_someone_not_on_the_care_team_is_refused(who, alerts, cast, client_for):
    # Dave is Carol's colleague at Riverside but not on Alice's care team; Frank is an admin; Erin and Grace work
    # elsewhere; Alice is the patient; "nobody" is an id no one has.
    assignee = uuid.uuid4() if who == "nobody" else getattr(cast, who).pk
    alert = alerts["emergency"]

    response = _assign(client_for(cast.carol), alert, assignee)

    assert response.status_code == 400
    assert response.json()["errors"] == {"assignee": ["Choose a clinician on this patient's care team."]}
    alert.refresh_from_db()
    assert alert.assigned_to is None
    assert not AlertEvent.objects.filter(alert=alert).exists()


def test_a_resolved_alert_cannot_be_assigned(alerts, cast, client_for):
    response = _assign(client_for(cast.carol), alerts["watch"], cast.carol.pk)
    assert response.status_code == 409
    assert response.json()["detail"] == "This alert is already resolved."


def test_assign_refuses_bad_bodies(alerts, cast, client_for):
    client = client_for(cast.carol)
    url = f"{ALERTS}/{alerts['emergency'].pk}/assign"
    assert list(client.post(url, {}, format="json").json()["errors"]) == ["assignee"]
    assert list(client.post(url, {"assignee": "dr-carol"}, format="json").json()["errors"]) == ["assignee"]
    assert list(client.post(url, {"assignee": None, "priority": 1}, format="json").json()["errors"]) == ["priority"]


def test_assigning_someone_elses_alert_is_not_found(alerts, cast, client_for):
    alert = alerts["emergency"]
    for outsider in (cast.dave, cast.erin, cast.grace, cast.bob):
        response = _assign(client_for(outsider), alert, outsider.pk)
        assert response.status_code == 404, outsider
    assert _assign(client_for(cast.carol), alerts["bob"], cast.carol.pk).status_code == 404
    assert _assign(client_for(cast.alice), alert, cast.carol.pk).status_code == 403
    assert _assign(client_for(None), alert, cast.carol.pk).status_code == 401
    alert.refresh_from_db()
    assert alert.assigned_to is None
    assert not PHIAccess.objects.exists()


def test_every_change_is_an_event_in_order(alerts, cast, client_for, dave_on_alices_team):
    client = client_for(cast.carol)
    alert = alerts["emergency"]
    client.post(f"{ALERTS}/{alert.pk}/acknowledge", {}, format="json")
    _assign(client, alert, cast.dave.pk)
    dave = client_for(cast.dave)
    body = dave.post(f"{ALERTS}/{alert.pk}/resolve", {"note": "Reviewed by phone."}, format="json").json()

    assert [(e["action"], e["actor"]["full_name"]) for e in body["events"]] == [
        ("acknowledged", "Dr Carol Chen"),
        ("assigned", "Dr Carol Chen"),
        ("resolved", "Dr Dave Diaz"),
    ]
    assert Alert.objects.get(pk=alert.pk).assigned_to == cast.dave
