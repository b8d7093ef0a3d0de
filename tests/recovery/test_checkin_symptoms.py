"""The daily check-in offers two symptom ticks (leg weakness, wound soreness): numbness and tingling are asked by the
warning-sign question on new numbness, tingling or weakness in a leg. Their keys are still accepted and stored."""

from __future__ import annotations

import datetime as dt

import pytest

from recovery.models import CheckIn
from tests.recovery.support import NEW_YORK, put_checkin
from tests.support import checkin_body, local, procedure_done

pytestmark = pytest.mark.django_db
FORMS = "/api/v1/recovery/forms"


def test_the_forms_offer_leg_weakness_and_wound_soreness_only(cast, client_for):
    body = client_for(cast.alice).get(FORMS).json()

    assert [s["key"] for s in body["symptoms"]] == ["leg_weakness", "site_soreness"]
    question = next(q for q in body["red_flag_questions"] if q["key"] == "leg_numbness_weakness")
    assert "numbness, tingling or weakness" in question["question"]


def test_a_check_in_from_an_older_form_with_numbness_and_tingling_is_stored_as_sent(cast, client_for, time_machine):
    time_machine.move_to(local(NEW_YORK, 2027, 5, 12, 19), tick=False)
    procedure_done(cast.alice_profile, cast.carol, dt.date(2027, 5, 10))

    response = put_checkin(
        client_for(cast.alice), checkin_body(dt.date(2027, 5, 12), symptoms=["tingling", "numbness", "site_soreness"])
    )

    assert response.status_code == 201, response.json()
    assert CheckIn.objects.get(patient=cast.alice_profile).symptoms == ["numbness", "site_soreness", "tingling"]


def test_an_unknown_symptom_is_refused_and_nothing_stored(cast, client_for, time_machine):
    time_machine.move_to(local(NEW_YORK, 2027, 5, 12, 19), tick=False)
    procedure_done(cast.alice_profile, cast.carol, dt.date(2027, 5, 10))

    response = put_checkin(client_for(cast.alice), checkin_body(dt.date(2027, 5, 12), symptoms=["dizziness"]))

    assert response.status_code == 400
    assert response.json()["errors"] == {"symptoms.0": ['"dizziness" is not a valid choice.']}
    assert not CheckIn.objects.exists()
