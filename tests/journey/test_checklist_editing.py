"""A clinic's own preparation checklist, versioned like the recovery protocol: staff read the shipped default's
versions and their clinic's own, a clinic admin copies one (once) and saves each edit as a new version with its
translations; bad definitions are refused per field and store nothing; which version a patient's checklist follows."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from accounts.models import User
from journey.content import preparation_default
from journey.models import PreparationProtocol, ProcedurePreparation
from tests.factories import ProcedureFactory
from tests.recovery.support import NEW_YORK
from tests.support import local

pytestmark = pytest.mark.clock_sensitive

CHECKLISTS = "/api/v1/preparation-checklists"
PREPARATION = "/api/v1/me/preparation"
DAY0 = dt.date(2027, 5, 10)


def _default() -> PreparationProtocol:
    return PreparationProtocol.objects.get(clinic__isnull=True, version=1)


def _copy_for_riverside(client_for, cast) -> dict[str, Any]:
    response = client_for(cast.frank).post(f"{CHECKLISTS}/{_default().pk}/copy")
    assert response.status_code == 201, response.json()
    return response.json()


def _definition(version: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """The whole editable definition of a version as the API showed it, ready to send back as a revision."""
    definition = {
        "name": version["name"],
        "change_note": "",
        "items": copy.deepcopy(version["items"]),
        "medicine_item": copy.deepcopy(version["medicine_item"]),
    }
    definition.update(changes)
    return definition


def _item(definition: dict[str, Any], key: str) -> dict[str, Any]:
    return next(item for item in definition["items"] if item["key"] == key)


def _revise(client, version: dict[str, Any], definition: dict[str, Any]):
    return client.post(f"{CHECKLISTS}/{version['id']}/revisions", definition, format="json")


def _speaks(user: User, code: str) -> None:
    User.objects.filter(pk=user.pk).update(language=code)


@pytest.fixture
def scheduled(cast, time_machine):
    """Alice's procedure on Monday 10 May 2027; the clock six days before, at 10:00 in New York."""
    time_machine.move_to(local(NEW_YORK, 2027, 5, 4, 10), tick=False)
    return ProcedureFactory(patient=cast.alice_profile, procedure_date=DAY0)


# --- Reading ----------------------------------------------------------------------------------------------------------


def test_staff_see_the_default_and_their_own_clinics_versions_only(cast, client_for):
    _copy_for_riverside(client_for, cast)

    riverside = client_for(cast.carol).get(CHECKLISTS).json()
    hillside = client_for(cast.erin).get(CHECKLISTS).json()

    # The clinic's own first (ordered by clinic, the default's none last), newest version first
    assert [(c["clinic"], c["version"]) for c in riverside] == [(str(cast.riverside.pk), 1), (None, 1)]
    assert [(c["clinic"], c["version"]) for c in hillside] == [(None, 1)]


def test_the_default_shows_its_whole_definition_with_its_spanish(cast, client_for):
    shown = client_for(cast.carol).get(f"{CHECKLISTS}/{_default().pk}").json()

    assert shown["name"] == preparation_default.NAME and shown["clinic"] is None
    assert [i["key"] for i in shown["items"]] == [i["key"] for i in preparation_default.ITEMS]
    arrival = _item(shown, "arrival")
    assert arrival["applies"] == "arrival" and "{arrival_time}" in arrival["text"]
    assert arrival["translations"]["es"] == preparation_default.TRANSLATIONS["es"]["items"]["arrival"]
    assert _item(shown, "driver")["text_pending"] == ""
    assert shown["medicine_item"]["title"] == preparation_default.MEDICINE_ITEM["title"]
    assert shown["medicine_item"]["translations"]["es"] == preparation_default.TRANSLATIONS["es"]["medicine_item"]


def test_another_clinics_own_version_is_not_found_and_patients_are_refused(cast, client_for):
    own = _copy_for_riverside(client_for, cast)
    url = f"{CHECKLISTS}/{own['id']}"

    assert client_for(cast.erin).get(url).status_code == 404
    assert client_for(cast.grace).post(f"{url}/revisions", _definition(own), format="json").status_code == 404
    assert client_for(cast.alice).get(url).status_code == 403
    assert client_for(cast.alice).get(CHECKLISTS).status_code == 403
    assert client_for(cast.carol).post(f"{url}/revisions", _definition(own), format="json").status_code == 403


def test_a_version_written_without_the_optional_fields_reads_with_the_checklists_defaults(cast, client_for):
    # As journey.selectors reads it: an item applies to everyone, due on the day; no medicine template yet
    own = PreparationProtocol.objects.create(
        clinic=cast.riverside, name="Riverside", version=1,
        items=[{"key": "parking", "title": "Park on level 2", "text": "Take a ticket."}],
    )  # fmt: skip

    shown = client_for(cast.carol).get(f"{CHECKLISTS}/{own.pk}").json()

    assert shown["items"] == [
        {"key": "parking", "title": "Park on level 2", "text": "Take a ticket.", "text_pending": "",
         "applies": "everyone", "due_days_before": 0, "translations": {}}
    ]  # fmt: skip
    assert shown["medicine_item"] == {"title": "", "text": "", "text_no_restart": "", "translations": {}}


# --- Copy and revise --------------------------------------------------------------------------------------------------


def test_a_clinic_admin_copies_the_default_once(cast, client_for):
    own = _copy_for_riverside(client_for, cast)

    again = client_for(cast.frank).post(f"{CHECKLISTS}/{_default().pk}/copy")

    assert (own["clinic"], own["version"]) == (str(cast.riverside.pk), 1)
    assert own["change_note"] == "Copied from MILD preparation checklist v1."
    assert own["items"] == client_for(cast.carol).get(f"{CHECKLISTS}/{_default().pk}").json()["items"]
    assert again.status_code == 409
    assert PreparationProtocol.objects.filter(clinic=cast.riverside).count() == 1


def test_a_revision_is_the_next_version_and_the_old_one_stays_as_it_was(cast, client_for):
    own = _copy_for_riverside(client_for, cast)
    definition = _definition(own, name="Riverside checklist", change_note="Parking added.")
    definition["items"].append(
        {"key": "parking", "title": "Park on level 2", "text": "Take a ticket at the gate.", "applies": "everyone",
         "due_days_before": 0, "translations": {"es": {"title": "Estacione en el piso 2",
                                                      "text": "Tome un boleto en la entrada."}}}
    )  # fmt: skip

    response = _revise(client_for(cast.frank), own, definition)

    assert response.status_code == 201, response.json()
    revised = response.json()
    assert (revised["version"], revised["name"], revised["change_note"]) == (2, "Riverside checklist", "Parking added.")
    # Each version says which one it came from and which clinic admin saved it; the shipped default neither
    frank = {"id": str(cast.frank.pk), "full_name": cast.frank.full_name}
    assert (own["based_on"], own["created_by"]) == (str(_default().pk), frank)
    assert (revised["based_on"], revised["created_by"]) == (own["id"], frank)
    shipped = client_for(cast.carol).get(f"{CHECKLISTS}/{_default().pk}").json()
    assert (shipped["based_on"], shipped["created_by"]) == (None, None)
    assert _item(revised, "parking")["translations"] == {
        "es": {"title": "Estacione en el piso 2", "text": "Tome un boleto en la entrada."}
    }
    # What a version shows is what a revision sends back
    assert revised["items"] == [{"text_pending": "", **item} for item in definition["items"]]
    assert [i["key"] for i in revised["items"]] == [*[i["key"] for i in own["items"]], "parking"]
    first = PreparationProtocol.objects.get(clinic=cast.riverside, version=1)
    assert [i["key"] for i in first.items] == [i["key"] for i in own["items"]]
    # Only the newest version can be edited, and never the shipped default
    stale = _revise(client_for(cast.frank), own, _definition(own))
    default = _revise(client_for(cast.frank), {"id": str(_default().pk)}, _definition(own))
    assert stale.status_code == 400 and "newest version" in stale.json()["detail"]
    assert default.status_code == 400 and "copy it for your clinic first" in default.json()["detail"]
    assert PreparationProtocol.objects.filter(clinic=cast.riverside).count() == 2


def test_an_unchanged_item_keeps_its_spanish_and_a_changed_one_loses_it(cast, client_for):
    own = _copy_for_riverside(client_for, cast)
    definition = _definition(own)
    for item in definition["items"]:
        del item["translations"]
    del definition["medicine_item"]["translations"]
    _item(definition, "driver")["text"] = "Ask someone to drive you home. A taxi alone is not allowed."

    revised = _revise(client_for(cast.frank), own, definition).json()

    assert _item(revised, "driver")["translations"] == {}
    assert _item(revised, "arrival")["translations"] == _item(own, "arrival")["translations"]
    assert revised["medicine_item"]["translations"] == own["medicine_item"]["translations"]
    stored = PreparationProtocol.objects.get(clinic=cast.riverside, version=2).translations["es"]
    assert "driver" not in stored["items"] and "arrival" in stored["items"]


# --- Bad definitions: 400 per field, nothing stored -------------------------------------------------------------------


def _refused(client_for, cast, own, definition) -> dict[str, list[str]]:
    response = _revise(client_for(cast.frank), own, definition)
    assert response.status_code == 400, response.json()
    assert PreparationProtocol.objects.filter(clinic=cast.riverside).count() == 1
    return response.json()["errors"]


def test_duplicate_keys_are_refused(cast, client_for):
    own = _copy_for_riverside(client_for, cast)
    definition = _definition(own)
    definition["items"].append({**copy.deepcopy(_item(definition, "driver")), "title": "Another lift"})
    last = len(definition["items"]) - 1
    driver = [i["key"] for i in definition["items"]].index("driver")

    errors = _refused(client_for, cast, own, definition)

    message = ["Another item has the key 'driver': keys must be unique."]
    assert errors == {f"items.{driver}.key": message, f"items.{last}.key": message}


def test_an_unknown_applies_and_a_negative_due_day_are_refused(cast, client_for):
    own = _copy_for_riverside(client_for, cast)
    definition = _definition(own)
    definition["items"][0]["applies"] = "smokers"
    definition["items"][1]["due_days_before"] = -1

    errors = _refused(client_for, cast, own, definition)

    assert set(errors) == {"items.0.applies", "items.1.due_days_before"}
    assert "smokers" in errors["items.0.applies"][0]


@pytest.mark.parametrize(
    ("where", "field", "text", "message"),
    [
        ("driver", "text", "Arrive at {arrival_time} with your driver.", 'cannot be used outside the "arrival" item'),
        ("driver", "title", "Stop {medicine}", "cannot be used in this text"),
        ("arrival", "text", "Arrive at {arrival_time}, bring {medicine}.", "{medicine} cannot be used in this item"),
        ("arrival", "text", "Arrive early.", "put {arrival_time} where it goes"),
        ("arrival", "text_pending", "", "needs the text shown until the clinic enters the time"),
        ("driver", "text_pending", "Soon.", 'Only the "arrival" item'),
        ("driver", "key", "medicine-driver", "are the blood thinners' items"),
    ],
)
def test_placeholders_and_texts_only_where_they_are_filled_in(cast, client_for, where, field, text, message):
    own = _copy_for_riverside(client_for, cast)
    definition = _definition(own)
    item = _item(definition, where)
    item[field] = text
    if field == "key":
        del item["translations"]
    index = definition["items"].index(item)

    errors = _refused(client_for, cast, own, definition)

    assert list(errors) == [f"items.{index}.{field}"]
    assert message in errors[f"items.{index}.{field}"][0]


def test_the_medicine_item_names_only_the_medicine_and_its_dates(cast, client_for):
    own = _copy_for_riverside(client_for, cast)
    definition = _definition(own)
    definition["medicine_item"]["title"] = "{medicine} until {arrival_time}"
    definition["medicine_item"]["text_no_restart"] = "Stop {medicine} on {stop_on}; restart on {restart_on}."

    errors = _refused(client_for, cast, own, definition)

    assert errors == {
        "medicine_item.title": [
            "{arrival_time} cannot be used in the medicine item (allowed here: {medicine}, {restart_on}, {stop_on})."
        ],
        "medicine_item.text_no_restart": [
            "{restart_on} cannot be used when no restart date is set (allowed here: {medicine}, {stop_on})."
        ],
    }


def test_a_spanish_translation_needs_every_text_of_the_english_with_its_placeholders(cast, client_for):
    own = _copy_for_riverside(client_for, cast)
    definition = _definition(own)
    del _item(definition, "arrival")["translations"]["es"]["text_pending"]
    _item(definition, "driver")["translations"]["es"]["text_pending"] = "Pronto."
    definition["medicine_item"]["translations"]["es"]["text"] = "Deje {medicine} el {stop_on}."
    arrival, driver = (definition["items"].index(_item(definition, k)) for k in ("arrival", "driver"))

    errors = _refused(client_for, cast, own, definition)

    assert errors == {
        f"items.{arrival}.translations.es.text_pending": [
            "The English has this text: give it in this language too (language 'es')."
        ],
        f"items.{driver}.translations.es.text_pending": [
            "The English has no such text: leave it out here too, or add it in English."
        ],
        "medicine_item.translations.es.text": [
            "Use the same placeholders as the English: {medicine}, {restart_on}, {stop_on}."
        ],
    }


def test_unknown_fields_languages_and_an_empty_list_are_refused(cast, client_for):
    own = _copy_for_riverside(client_for, cast)
    definition = _definition(own)
    definition["items"][0]["translations"]["fr"] = {"title": "Bonjour"}
    definition["items"][1]["colour"] = "red"

    errors = _refused(client_for, cast, own, definition)
    empty = _refused(client_for, cast, own, _definition(own, items=[]))

    assert set(errors) == {"items.0.translations.fr", "items.1.colour"}
    assert empty == {"items": ["At least one item is needed."]}


# --- Which version a patient's checklist follows ----------------------------------------------------------------------


def _riverside_v2(client_for, cast) -> dict[str, Any]:
    own = _copy_for_riverside(client_for, cast)
    definition = _definition(own)
    definition["items"] = [
        {"key": "parking", "title": "Park on level 2", "text": "Take a ticket at the gate.", "applies": "everyone",
         "due_days_before": 0, "translations": {"es": {"title": "Estacione en el piso 2",
                                                      "text": "Tome un boleto en la entrada."}}},
        _item(definition, "arrival"),
    ]  # fmt: skip
    response = _revise(client_for(cast.frank), own, definition)
    assert response.status_code == 201, response.json()
    return response.json()


def test_a_procedure_not_yet_prepared_follows_the_clinics_newest_version(cast, client_for, scheduled):
    before = client_for(cast.alice).get(PREPARATION).json()
    _riverside_v2(client_for, cast)
    after = client_for(cast.alice).get(PREPARATION).json()
    heidis = ProcedureFactory(patient=cast.heidi.patient_profile, procedure_date=DAY0)
    hillside = client_for(cast.heidi).get(PREPARATION).json()

    assert [i["key"] for i in before["items"]] == ["medicines_list", "driver", "someone_at_home", "what_to_bring",
                                                   "arrival"]  # fmt: skip
    assert [i["key"] for i in after["items"]] == ["parking", "arrival"]
    # Another clinic's patient keeps the shipped default
    assert heidis.pk and hillside["items"][0]["key"] == "medicines_list"


def test_a_procedure_already_prepared_keeps_its_version(cast, client_for, scheduled):
    assert client_for(cast.alice).put(f"{PREPARATION}/items/driver", {"done": True}, format="json").status_code == 201
    _riverside_v2(client_for, cast)
    later = ProcedureFactory(patient=cast.bob.patient_profile, procedure_date=DAY0)

    alices = client_for(cast.alice).get(PREPARATION).json()
    bobs = client_for(cast.bob).get(PREPARATION).json()
    care_team = (
        client_for(cast.carol).get(f"/api/v1/patients/{cast.alice.pk}/procedures/{scheduled.pk}/preparation").json()
    )

    assert ProcedurePreparation.objects.get(procedure=scheduled).protocol == _default()
    assert "driver" in [i["key"] for i in alices["items"]] and alices["items"][1]["done_at"] is not None
    assert care_team["protocol_version"] == 1
    assert later.pk and [i["key"] for i in bobs["items"]] == ["parking", "arrival"]
    # Bob's first tick fixes his procedure on the clinic's version 2
    assert client_for(cast.bob).put(f"{PREPARATION}/items/parking", {"done": True}, format="json").status_code == 201
    assert ProcedurePreparation.objects.get(procedure=later).protocol.version == 2


def test_a_spanish_patient_reads_the_clinics_own_spanish(cast, client_for, scheduled):
    _riverside_v2(client_for, cast)
    plan = f"/api/v1/patients/{cast.alice.pk}/procedures/{scheduled.pk}/preparation"
    assert (
        client_for(cast.carol).put(plan, {"arrival_time": "07:30", "blood_thinners": []}, format="json").status_code
        == 200
    )
    _speaks(cast.alice, "es")

    body = client_for(cast.alice).get(PREPARATION).json()

    assert (body["items"][0]["title"], body["items"][0]["text"]) == (
        "Estacione en el piso 2",
        "Tome un boleto en la entrada.",
    )
    assert body["items"][1]["text"].startswith("Por favor, llegue a las 07:30")
