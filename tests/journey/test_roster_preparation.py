"""The roster flags, for each patient whose procedure is coming up, how many checklist items are not done and whether
the baseline measures are missing, in the same number of queries however many patients are preparing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from journey import services
from tests.factories import ProcedureFactory
from tests.notifications.support import patient_in
from tests.recovery.support import NEW_YORK
from tests.support import local

pytestmark = pytest.mark.clock_sensitive

ROSTER = "/api/v1/clinician/patients"


@pytest.fixture
def at_noon(time_machine):
    time_machine.move_to(local(NEW_YORK, 2027, 5, 4, 12), tick=False)


def _roster(client):
    with CaptureQueriesContext(connection) as queries:
        rows = client.get(ROSTER, {"page_size": 200}).json()["results"]
    return {row["full_name"]: row["preparation"] for row in rows}, len(queries)


def test_the_roster_flags_open_items_and_a_missing_baseline(cast, client_for, at_noon):
    procedure = ProcedureFactory(patient=cast.alice_profile, procedure_date=dt.date(2027, 5, 10))
    services.preparation_tick(patient=cast.alice_profile, item_key="driver", done=True)
    flags, _ = _roster(client_for(cast.carol))
    assert flags["Alice Adams"] == {
        "procedure_date": "2027-05-10", "items_open": 4, "items_total": 5, "baseline_missing": True,
    }  # fmt: skip
    assert procedure.pk
    # A patient without a scheduled procedure has no flag
    assert flags == {"Alice Adams": flags["Alice Adams"]}


def test_the_flags_take_the_same_queries_for_2_and_8_patients_preparing(cast, client_for, at_noon):
    def preparing(count: int) -> None:
        for _ in range(count):
            patient = patient_in(NEW_YORK, clinic=cast.riverside, care_team=[cast.carol])
            ProcedureFactory(patient=patient, procedure_date=dt.date(2027, 5, 12))
            services.preparation_tick(patient=patient, item_key="what_to_bring", done=True)

    preparing(2)
    few, few_queries = _roster(client_for(cast.carol))
    preparing(6)
    many, many_queries = _roster(client_for(cast.carol))
    assert len([f for f in few.values() if f]) == 2 and len([f for f in many.values() if f]) == 8
    assert all(f["items_open"] == 4 for f in many.values() if f)
    assert many_queries == few_queries
