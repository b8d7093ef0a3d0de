"""Education: the clinic's library (the shipped default unless the clinic has its own version), the articles of the
patient's stage of the journey first; reading one is recorded once; the care team sees what was read."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.exports import patient_export
from accounts.models import PHIAccess
from journey.models import ArticleRead, EducationArticle, EducationLibrary
from tests.factories import ProcedureFactory
from tests.recovery.support import NEW_YORK
from tests.support import local, procedure_done

pytestmark = pytest.mark.clock_sensitive

ME = "/api/v1/me/education"
DAY0 = dt.date(2027, 5, 10)


def _keys(articles) -> list[str]:
    return [a["key"] for a in articles]


@pytest.fixture
def before(cast, time_machine):
    time_machine.move_to(local(NEW_YORK, 2027, 5, 4, 10), tick=False)
    return ProcedureFactory(patient=cast.alice_profile, procedure_date=DAY0)


def test_before_the_procedure_the_articles_about_it_come_first(cast, client_for, before):
    body = client_for(cast.alice).get(ME).json()
    assert body["stage"] == "before"
    assert body["library"] == {"name": "MILD patient guide", "version": 1}
    assert _keys(body["due"]) == ["what_is_mild", "the_day", "when_to_get_help"]
    assert len(body["due"]) + len(body["other"]) == 9
    article = body["due"][0]
    assert article["title"] == "What is MILD, and who is it for?"
    assert article["body"] and article["read_at"] is None


@pytest.mark.parametrize(
    ("day", "stage", "due"),
    [
        (0, "procedure_day", ["the_day", "after_the_procedure", "recovery_timeline", "when_to_get_help"]),
        (5, "first_weeks", ["after_the_procedure", "recovery_timeline", "physical_therapy", "everyday_life",
                            "when_to_get_help"]),
        (30, "recovering", ["recovery_timeline", "physical_therapy", "everyday_life", "how_long_it_lasts",
                            "when_to_get_help"]),
        (200, "long_term", ["can_it_be_repeated", "how_long_it_lasts"]),
    ],
)  # fmt: skip
def test_after_the_procedure_the_stage_follows_the_day(cast, client_for, time_machine, day, stage, due):
    procedure_done(cast.alice_profile, cast.carol, DAY0)
    time_machine.move_to(local(NEW_YORK, 2027, 5, 10, 18) + dt.timedelta(days=day), tick=False)
    body = client_for(cast.alice).get(ME).json()
    assert (body["stage"], _keys(body["due"])) == (stage, due)


def test_reading_is_recorded_once(cast, client_for, before, time_machine):
    alice = client_for(cast.alice)
    first = alice.put(f"{ME}/what_is_mild/read")
    assert first.status_code == 201
    time_machine.move_to(local(NEW_YORK, 2027, 5, 5, 10), tick=False)
    again = alice.put(f"{ME}/what_is_mild/read")
    assert again.status_code == 200
    assert again.json()["read_at"] == first.json()["read_at"]
    assert ArticleRead.objects.count() == 1
    body = alice.get(ME).json()
    assert body["due"][0]["read_at"] == first.json()["read_at"]


def test_an_article_not_in_the_library_is_404(cast, client_for, before):
    answer = client_for(cast.alice).put(f"{ME}/no_such_article/read")
    assert answer.status_code == 404
    assert not ArticleRead.objects.exists()


def test_a_clinics_own_library_replaces_the_default(cast, client_for, before):
    own = EducationLibrary.objects.create(clinic=cast.riverside, name="Riverside guide", version=1)
    EducationArticle.objects.create(
        library=own, key="parking", title="Parking at Riverside", summary="Where to park.", body=["Level 2."],
        stages=["before"], position=0,
    )  # fmt: skip
    body = client_for(cast.alice).get(ME).json()
    assert body["library"]["name"] == "Riverside guide"
    assert _keys(body["due"]) == ["parking"] and body["other"] == []
    # Hillside's patient still reads the shipped default
    assert client_for(cast.heidi).get(ME).json()["library"]["version"] == 1
    assert client_for(cast.alice).put(f"{ME}/what_is_mild/read").status_code == 404


def test_the_care_team_sees_what_was_read_and_the_read_is_logged(cast, client_for, before):
    client_for(cast.alice).put(f"{ME}/the_day/read")
    carol = client_for(cast.carol)
    before_count = PHIAccess.objects.filter(actor=cast.carol, resource="journey.education").count()
    body = carol.get(f"/api/v1/patients/{cast.alice.pk}/education").json()
    assert PHIAccess.objects.filter(actor=cast.carol, resource="journey.education").count() == before_count + 1
    assert [(r["key"], r["library_version"]) for r in body["reads"]] == [("the_day", 1)]
    read = [a["key"] for a in body["due"] + body["other"] if a["read_at"]]
    assert read == ["the_day"]
    # Not hers to see: Dave is not on Alice's team
    assert client_for(cast.dave).get(f"/api/v1/patients/{cast.alice.pk}/education").status_code == 404


def test_the_reads_are_in_the_patients_export(cast, client_for, before):
    client_for(cast.alice).put(f"{ME}/the_day/read")
    [read] = patient_export(cast.alice_profile)["education_reads"]
    assert (read["key"], read["title"]) == ("the_day", "What happens on the day")
