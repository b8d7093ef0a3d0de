"""The recovery protocol is versioned data: the default ships as a migration, a clinic copies and edits its copy, every
edit is a new version, and a procedure keeps the version it started on."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from recovery.models import Procedure, Protocol, ProtocolMilestone, ProtocolPhase
from tests.recovery.support import NEW_YORK, default_protocol
from tests.support import local, procedure_done

PROTOCOLS = "/api/v1/protocols"


def _copy_for_riverside(client_for, cast) -> dict[str, Any]:
    response = client_for(cast.frank).post(f"{PROTOCOLS}/{default_protocol().pk}/copy")
    assert response.status_code == 201, response.json()
    return response.json()


def _definition(protocol: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """The whole editable definition of a protocol as the API returned it, ready to send back as a revision."""
    definition = {
        "name": protocol["name"],
        "change_note": "",
        "phases": copy.deepcopy(protocol["phases"]),
        "milestones": copy.deepcopy(protocol["milestones"]),
    }
    definition.update(changes)
    return definition


def _with_milestone(definition: dict[str, Any], key: str, **fields: Any) -> dict[str, Any]:
    for milestone in definition["milestones"]:
        if milestone["key"] == key:
            milestone.update(fields)
    return definition


def _row_counts() -> tuple[int, int, int]:
    return Protocol.objects.count(), ProtocolPhase.objects.count(), ProtocolMilestone.objects.count()


# --- The shipped default ----------------------------------------------------------------------------------------------


def test_default_protocol_is_installed_by_the_migration(db):
    protocol = default_protocol()

    assert protocol.clinic is None
    assert list(protocol.phases.values_list("key", "start_day", "end_day")) == [
        ("procedure_day", 0, 0),
        ("first_days", 1, 6),
        ("weeks_1_3", 7, 20),
        ("weeks_3_8", 21, 55),
        ("long_term", 56, None),
    ]
    assert all(phase.instructions and phase.avoid for phase in protocol.phases.all())
    windows = {m.key: (m.open_day, m.close_day, m.enabled) for m in protocol.milestones.all()}
    assert windows["weeks_2_3"] == (14, 21, True)
    assert windows["weeks_6_8"] == (42, 56, True)
    assert windows["month_6"][2] and windows["year_1"][2] and windows["year_2"][2]
    # 3 months is a clinic option: present, but off in the default.
    assert windows["month_3"][2] is False
    assert protocol.milestones.get(key="month_3").optional is True
    assert 700 <= windows["year_2"][0] <= 730 <= windows["year_2"][1]


def test_clinic_staff_see_the_default_and_their_own_protocols_only(cast, client_for):
    _copy_for_riverside(client_for, cast)

    riverside = client_for(cast.carol).get(PROTOCOLS).json()
    hillside = client_for(cast.erin).get(PROTOCOLS).json()

    assert {(p["clinic"], p["version"]) for p in riverside} == {(None, 1), (None, 2), (str(cast.riverside.pk), 1)}
    assert {(p["clinic"], p["version"]) for p in hillside} == {(None, 1), (None, 2)}
    assert client_for(cast.alice).get(PROTOCOLS).status_code == 403


# --- Copying and revising ---------------------------------------------------------------------------------------------


def test_clinic_admin_copies_the_default_once(cast, client_for):
    # when Frank copies the default for Riverside
    copied = _copy_for_riverside(client_for, cast)

    # then Riverside has its own version 1 with the same phases and milestones
    default = client_for(cast.frank).get(f"{PROTOCOLS}/{default_protocol().pk}").json()
    assert copied["clinic"] == str(cast.riverside.pk)
    assert copied["version"] == 1
    assert copied["based_on"] == default["id"]
    assert copied["created_by"] == {"id": str(cast.frank.pk), "full_name": cast.frank.full_name}
    assert default["created_by"] is None
    assert copied["phases"] == default["phases"]
    assert copied["milestones"] == default["milestones"]

    # and a second copy is refused: edits go to the copy
    again = client_for(cast.frank).post(f"{PROTOCOLS}/{default_protocol().pk}/copy")
    assert again.status_code == 409
    assert again.json()["code"] == "conflict"
    assert Protocol.objects.filter(clinic=cast.riverside).count() == 1


def test_revision_creates_the_next_version_and_procedures_keep_the_version_they_started_on(
    cast, client_for, time_machine
):
    time_machine.move_to(local(NEW_YORK, 2027, 5, 1, 9), tick=False)
    # given Riverside's own copy, and Alice's procedure scheduled on it
    copied = _copy_for_riverside(client_for, cast)
    before = procedure_done(cast.alice_profile, cast.carol, dt.date(2027, 5, 1))

    # when Frank enables the optional 3 month follow-up
    definition = _with_milestone(
        _definition(copied, change_note="We see patients at 3 months."), "month_3", enabled=True
    )
    response = client_for(cast.frank).post(f"{PROTOCOLS}/{copied['id']}/revisions", definition, format="json")

    # then it is saved as version 2, based on version 1
    assert response.status_code == 201, response.json()
    revised = response.json()
    assert (revised["version"], revised["based_on"], revised["clinic"]) == (2, copied["id"], str(cast.riverside.pk))
    assert revised["change_note"] == "We see patients at 3 months."
    assert {m["key"]: m["enabled"] for m in revised["milestones"]}["month_3"] is True

    # and the earlier procedure keeps version 1 (no 3 month follow-up), a later one starts on version 2
    after = procedure_done(cast.bob.patient_profile, cast.dave, dt.date(2027, 5, 1))
    assert str(Procedure.objects.get(pk=before.pk).protocol_id) == copied["id"]
    assert str(after.protocol_id) == revised["id"]
    assert "month_3" not in set(before.milestones.values_list("key", flat=True))
    assert "month_3" in set(after.milestones.values_list("key", flat=True))
    # the procedure list says which version each one follows
    procedures = client_for(cast.carol).get(f"/api/v1/patients/{cast.alice.pk}/procedures").json()
    assert procedures[0]["protocol"] == {"id": copied["id"], "name": copied["name"], "version": 1}


def test_procedures_of_a_clinic_without_a_copy_follow_the_shipped_default(cast):
    procedure = procedure_done(cast.heidi.patient_profile, cast.erin, dt.date(2026, 11, 1))

    assert procedure.protocol == default_protocol()


def test_only_the_newest_version_can_be_revised(cast, client_for):
    copied = _copy_for_riverside(client_for, cast)
    first = client_for(cast.frank).post(f"{PROTOCOLS}/{copied['id']}/revisions", _definition(copied), format="json")
    assert first.status_code == 201
    counts = _row_counts()

    # when Frank sends an edit of version 1 after version 2 was saved
    stale = client_for(cast.frank).post(f"{PROTOCOLS}/{copied['id']}/revisions", _definition(copied), format="json")

    assert stale.status_code == 400
    assert "newest version" in stale.json()["detail"]
    assert _row_counts() == counts


def test_the_shipped_default_cannot_be_revised(cast, client_for):
    default = client_for(cast.frank).get(f"{PROTOCOLS}/{default_protocol().pk}").json()
    counts = _row_counts()

    response = client_for(cast.frank).post(
        f"{PROTOCOLS}/{default['id']}/revisions", _definition(default), format="json"
    )

    assert response.status_code == 400
    assert "copy it" in response.json()["detail"]
    assert _row_counts() == counts


@pytest.mark.parametrize("who", ["carol", "dave", "alice"])
def test_clinicians_and_patients_cannot_copy_or_revise(cast, client_for, who):
    copied = _copy_for_riverside(client_for, cast)
    counts = _row_counts()
    client = client_for(getattr(cast, who))

    assert client.post(f"{PROTOCOLS}/{default_protocol().pk}/copy").status_code == 403
    assert client.post(f"{PROTOCOLS}/{copied['id']}/revisions", _definition(copied), format="json").status_code == 403
    assert _row_counts() == counts


def test_another_clinics_admin_cannot_see_or_revise_our_protocol(cast, client_for):
    copied = _copy_for_riverside(client_for, cast)
    counts = _row_counts()
    grace = client_for(cast.grace)

    assert grace.get(f"{PROTOCOLS}/{copied['id']}").status_code == 404
    assert grace.post(f"{PROTOCOLS}/{copied['id']}/revisions", _definition(copied), format="json").status_code == 404
    assert _row_counts() == counts


def _gap(d: dict[str, Any]) -> None:
    d["phases"][2]["start_day"] = 8  # day 7 belongs to no phase


def _overlap(d: dict[str, Any]) -> None:
    d["phases"][1]["end_day"] = 10  # first days 1-10, weeks 1-3 from day 7


def _late_start(d: dict[str, Any]) -> None:
    del d["phases"][0]  # the first phase would start on day 1: nothing for the procedure day


def _backwards_phase(d: dict[str, Any]) -> None:
    # A phase that ends before it starts covers no day at all, whatever its neighbours say.
    d["phases"].insert(1, {**d["phases"][1], "key": "backwards", "start_day": 1, "end_day": 0})


def _closed_last_phase(d: dict[str, Any]) -> None:
    d["phases"][-1]["end_day"] = 800


def _window_reversed(d: dict[str, Any]) -> None:
    d["milestones"][0].update(open_day=25, target_day=25, close_day=21)


def _unknown_measure(d: dict[str, Any]) -> None:
    d["milestones"][0]["assessments"] = ["pain", "sf36"]


def _duplicate_milestone(d: dict[str, Any]) -> None:
    d["milestones"].append(d["milestones"][0])


def _baseline_milestone(d: dict[str, Any]) -> None:
    d["milestones"][0]["key"] = "baseline"


def _unknown_field(d: dict[str, Any]) -> None:
    d["phases"][0]["colour"] = "green"


@pytest.mark.parametrize(
    ("mistake", "field"),
    [
        (_gap, "phases"),
        (_overlap, "phases"),
        (_late_start, "phases"),
        (_backwards_phase, "phases.1.end_day"),
        (_closed_last_phase, "phases"),
        (_window_reversed, "milestones.0.target_day"),
        (_unknown_measure, "milestones.0.assessments.1"),
        (_duplicate_milestone, "milestones"),
        (_baseline_milestone, "milestones"),
        (_unknown_field, "phases.0.colour"),
    ],
)
def test_an_invalid_definition_is_refused_with_a_message_per_field_and_nothing_stored(cast, client_for, mistake, field):
    copied = _copy_for_riverside(client_for, cast)
    definition = _definition(copied)
    mistake(definition)
    counts = _row_counts()

    response = client_for(cast.frank).post(f"{PROTOCOLS}/{copied['id']}/revisions", definition, format="json")

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert field in errors, errors
    assert all(isinstance(message, str) and message for message in errors[field])
    assert _row_counts() == counts


# --- What the app is told ---------------------------------------------------------------------------------------------


def test_the_forms_give_the_phases_of_the_users_clinic_and_the_backfill_window(cast, client_for, settings):
    settings.CHECKIN_BACKFILL_DAYS = 3
    # given Riverside's own protocol, revised so its first days phase has a new title and ends a day later
    copied = _copy_for_riverside(client_for, cast)
    definition = _definition(copied)
    definition["phases"][1].update(title="The first week", end_day=7)
    definition["phases"][2].update(start_day=8)
    response = client_for(cast.frank).post(f"{PROTOCOLS}/{copied['id']}/revisions", definition, format="json")
    assert response.status_code == 201, response.json()

    # then Riverside's clinician and patient see the newest version's phases, Hillside's the shipped default's
    for user in (cast.carol, cast.alice):
        forms = client_for(user).get("/api/v1/recovery/forms").json()
        assert forms["phases"][:3] == [
            {"key": "procedure_day", "title": "Procedure day", "start_day": 0, "end_day": 0},
            {"key": "first_days", "title": "The first week", "start_day": 1, "end_day": 7},
            {"key": "weeks_1_3", "title": "Weeks 1 to 3", "start_day": 8, "end_day": 20},
        ]
    hillside = client_for(cast.erin).get("/api/v1/recovery/forms").json()
    assert [(p["key"], p["start_day"], p["end_day"]) for p in hillside["phases"]] == [
        ("procedure_day", 0, 0),
        ("first_days", 1, 6),
        ("weeks_1_3", 7, 20),
        ("weeks_3_8", 21, 55),
        ("long_term", 56, None),
    ]
    assert hillside["phases"][1]["title"] == "The first days"
    # and the backfill window is the server's setting
    assert hillside["checkin_backfill_days"] == 3
