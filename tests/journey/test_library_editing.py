"""A clinic's own education library, versioned like the recovery protocol: staff read the shipped default's versions
and their clinic's own, a clinic admin copies one (once) and saves each edit as a new version with its translations;
bad definitions are refused per field and store nothing; the library a patient is offered is the clinic's newest."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from accounts.models import User
from journey.content import education_default
from journey.models import ArticleRead, EducationArticle, EducationLibrary
from tests.factories import ProcedureFactory
from tests.recovery.support import NEW_YORK
from tests.support import local

pytestmark = pytest.mark.clock_sensitive

LIBRARIES = "/api/v1/education-libraries"
EDUCATION = "/api/v1/me/education"

PARKING: dict[str, Any] = {
    "key": "parking",
    "title": "Parking at Riverside",
    "summary": "Where to park on the day.",
    "body": ["Park on level 2 of the garage.", "Bring the ticket to the desk: parking is free."],
    "stages": ["before", "procedure_day"],
    "translations": {
        "es": {
            "title": "Estacionar en Riverside",
            "summary": "Dónde estacionar ese día.",
            "body": ["Estacione en el piso 2 del garaje.", "Lleve el boleto al mostrador: es gratis."],
        }
    },
}


def _default() -> EducationLibrary:
    return EducationLibrary.objects.get(clinic__isnull=True, version=1)


def _copy_for_riverside(client_for, cast) -> dict[str, Any]:
    response = client_for(cast.frank).post(f"{LIBRARIES}/{_default().pk}/copy")
    assert response.status_code == 201, response.json()
    return response.json()


def _definition(version: dict[str, Any], **changes: Any) -> dict[str, Any]:
    definition = {"name": version["name"], "change_note": "", "articles": copy.deepcopy(version["articles"])}
    definition.update(changes)
    return definition


def _article(definition: dict[str, Any], key: str) -> dict[str, Any]:
    return next(article for article in definition["articles"] if article["key"] == key)


def _revise(client, version: dict[str, Any], definition: dict[str, Any]):
    return client.post(f"{LIBRARIES}/{version['id']}/revisions", definition, format="json")


def _speaks(user: User, code: str) -> None:
    User.objects.filter(pk=user.pk).update(language=code)


@pytest.fixture
def scheduled(cast, time_machine):
    """Alice's procedure on Monday 10 May 2027, scheduled (her stage: "before"); the clock six days before."""
    time_machine.move_to(local(NEW_YORK, 2027, 5, 4, 10), tick=False)
    return ProcedureFactory(patient=cast.alice_profile, procedure_date=dt.date(2027, 5, 10))


# --- Reading, copying, revising ---------------------------------------------------------------------------------------


def test_staff_see_the_default_and_their_own_clinics_versions_with_every_article(cast, client_for):
    _copy_for_riverside(client_for, cast)

    riverside = client_for(cast.dave).get(LIBRARIES).json()
    hillside = client_for(cast.erin).get(LIBRARIES).json()

    assert [(v["clinic"], v["version"]) for v in riverside] == [(str(cast.riverside.pk), 1), (None, 1)]
    assert [(v["clinic"], v["version"]) for v in hillside] == [(None, 1)]
    default = hillside[0]
    assert [a["key"] for a in default["articles"]] == [a["key"] for a in education_default.ARTICLES]
    what_is_mild = _article(default, "what_is_mild")
    assert what_is_mild["body"] == education_default.ARTICLES[0]["body"]
    assert what_is_mild["translations"]["es"] == education_default.TRANSLATIONS["es"]["what_is_mild"]


def test_another_clinics_own_library_is_not_found_and_patients_are_refused(cast, client_for):
    own = _copy_for_riverside(client_for, cast)
    url = f"{LIBRARIES}/{own['id']}"

    assert client_for(cast.erin).get(url).status_code == 404
    assert client_for(cast.grace).post(f"{url}/copy").status_code == 404
    assert client_for(cast.alice).get(url).status_code == 403
    assert client_for(cast.alice).get(LIBRARIES).status_code == 403
    assert client_for(cast.dave).post(f"{url}/revisions", _definition(own), format="json").status_code == 403
    assert client_for(cast.grace).get(f"{LIBRARIES}/{_default().pk}").status_code == 200


def test_a_clinic_admin_copies_once_and_each_edit_is_a_new_version(cast, client_for):
    own = _copy_for_riverside(client_for, cast)
    again = client_for(cast.frank).post(f"{LIBRARIES}/{_default().pk}/copy")
    definition = _definition(own, name="Riverside guide", change_note="Parking; no gardening.")
    definition["articles"] = [copy.deepcopy(PARKING)] + [
        a for a in definition["articles"] if a["key"] != "everyday_life"
    ]

    response = _revise(client_for(cast.frank), own, definition)

    assert again.status_code == 409
    assert response.status_code == 201, response.json()
    revised = response.json()
    assert (revised["version"], revised["name"]) == (2, "Riverside guide")
    # What a version shows is what a revision sends back, in the order sent
    assert revised["articles"] == definition["articles"]
    assert EducationLibrary.objects.get(clinic=cast.riverside, version=1).articles.count() == len(own["articles"])
    stale = _revise(client_for(cast.frank), own, _definition(own))
    assert stale.status_code == 400 and EducationLibrary.objects.filter(clinic=cast.riverside).count() == 2


def test_an_unchanged_article_keeps_its_spanish_and_a_changed_one_loses_it(cast, client_for):
    own = _copy_for_riverside(client_for, cast)
    definition = _definition(own)
    for article in definition["articles"]:
        del article["translations"]
    _article(definition, "the_day")["summary"] = "About an hour, and home the same day."

    revised = _revise(client_for(cast.frank), own, definition).json()

    assert _article(revised, "the_day")["translations"] == {}
    assert _article(revised, "what_is_mild")["translations"] == _article(own, "what_is_mild")["translations"]


# --- Bad definitions --------------------------------------------------------------------------------------------------


def _refused(client_for, cast, own, definition) -> dict[str, list[str]]:
    articles = EducationArticle.objects.count()
    response = _revise(client_for(cast.frank), own, definition)
    assert response.status_code == 400, response.json()
    assert EducationLibrary.objects.filter(clinic=cast.riverside).count() == 1
    assert EducationArticle.objects.count() == articles
    return response.json()["errors"]


def test_duplicate_keys_are_refused(cast, client_for):
    own = _copy_for_riverside(client_for, cast)
    definition = _definition(own)
    definition["articles"][1]["key"] = definition["articles"][0]["key"]

    errors = _refused(client_for, cast, own, definition)

    message = [f"Another article has the key '{definition['articles'][0]['key']}': keys must be unique."]
    assert errors == {"articles.0.key": message, "articles.1.key": message}


def test_unknown_stages_and_placeholders_are_refused(cast, client_for):
    own = _copy_for_riverside(client_for, cast)
    definition = _definition(own)
    definition["articles"][2]["stages"] = ["before", "someday"]
    definition["articles"][3]["stages"] = ["before", "before"]
    definition["articles"][4]["body"][0] = "Call us on {clinic_phone}."
    del definition["articles"][4]["translations"]

    errors = _refused(client_for, cast, own, definition)

    assert "someday" in errors["articles.2.stages.1"][0]
    assert errors["articles.3.stages"] == ["Name each stage once."]
    assert errors["articles.4.body"] == ["{clinic_phone} cannot be used in an article (allowed here: none)."]
    assert len(errors) == 3


def test_a_spanish_translation_needs_every_text_and_every_paragraph(cast, client_for):
    own = _copy_for_riverside(client_for, cast)
    definition = _definition(own)
    del definition["articles"][0]["translations"]["es"]["summary"]
    definition["articles"][1]["translations"]["es"]["body"].pop()
    english_paragraphs = len(definition["articles"][1]["body"])

    errors = _refused(client_for, cast, own, definition)
    empty = _refused(client_for, cast, own, _definition(own, articles=[]))
    no_stage = _refused(client_for, cast, own, _definition(own, articles=[{**PARKING, "stages": []}]))

    assert errors == {
        "articles.0.translations.es.summary": [
            "The English has this text: give it in this language too (language 'es')."
        ],
        "articles.1.translations.es.body": [f"Give as many paragraphs as the English ({english_paragraphs})."],
    }
    assert empty == {"articles": ["At least one article is needed."]}
    assert list(no_stage) == ["articles.0.stages"]


# --- What a patient is offered ----------------------------------------------------------------------------------------


def _riverside_v2(client_for, cast) -> dict[str, Any]:
    own = _copy_for_riverside(client_for, cast)
    definition = _definition(own, articles=[copy.deepcopy(PARKING), _article(own, "when_to_get_help")])
    response = _revise(client_for(cast.frank), own, definition)
    assert response.status_code == 201, response.json()
    return response.json()


def test_patients_are_offered_their_clinics_newest_library(cast, client_for, scheduled):
    alice = client_for(cast.alice)
    assert alice.put(f"{EDUCATION}/what_is_mild/read").status_code == 201
    _riverside_v2(client_for, cast)

    body = alice.get(EDUCATION).json()
    heidis = client_for(cast.heidi).get(EDUCATION).json()

    assert (body["library"]["name"], body["library"]["version"]) == ("MILD patient guide", 2)
    assert [a["key"] for a in body["due"]] == ["parking", "when_to_get_help"]
    assert body["other"] == []
    # An article of the old version is no longer offered, and reading it is 404; the read stays recorded
    assert alice.put(f"{EDUCATION}/what_is_mild/read").status_code == 404
    assert ArticleRead.objects.get(patient=cast.alice_profile).article.library == _default()
    # Another clinic's patients keep the shipped default
    assert heidis["library"]["version"] == 1 and len(heidis["due"]) + len(heidis["other"]) == len(
        education_default.ARTICLES
    )


def test_a_spanish_patient_reads_the_clinics_own_spanish_article(cast, client_for, scheduled):
    _riverside_v2(client_for, cast)
    _speaks(cast.alice, "es")

    parking = client_for(cast.alice).get(EDUCATION).json()["due"][0]

    spanish = PARKING["translations"]["es"]
    assert (parking["title"], parking["summary"], parking["body"]) == (
        spanish["title"],
        spanish["summary"],
        spanish["body"],
    )
    assert parking["stage_labels"] == ["Antes de su procedimiento", "El día de su procedimiento"]


def test_an_article_read_in_an_earlier_version_counts_as_read_while_its_text_is_unchanged(cast, client_for, scheduled):
    alice = client_for(cast.alice)
    for key in ("what_is_mild", "when_to_get_help"):
        assert alice.put(f"{EDUCATION}/{key}/read").status_code == 201
    first_reads = {read.article.key: read.read_at for read in ArticleRead.objects.filter(patient=cast.alice_profile)}
    # Riverside's own version: "when to get help" copied word for word, "what is MILD" reworded, parking new
    own = _copy_for_riverside(client_for, cast)
    definition = _definition(own)
    reworded = _article(definition, "what_is_mild")
    reworded["summary"] = "A short procedure through a small cut in your back, explained by your care team."
    response = _revise(client_for(cast.frank), own, {**definition, "articles": [*definition["articles"], PARKING]})
    assert response.status_code == 201, response.json()

    body = alice.get(EDUCATION).json()
    articles = {a["key"]: a for a in body["due"] + body["other"]}

    assert body["library"]["version"] == 2
    unchanged, changed, new = articles["when_to_get_help"], articles["what_is_mild"], articles["parking"]
    assert (unchanged["read_at"], unchanged["earlier_version_read_at"]) == (
        first_reads["when_to_get_help"].isoformat().replace("+00:00", "Z"),
        None,
    )
    assert changed["read_at"] is None
    assert changed["earlier_version_read_at"] == first_reads["what_is_mild"].isoformat().replace("+00:00", "Z")
    assert (new["read_at"], new["earlier_version_read_at"]) == (None, None)

    # Reading the changed article records this version's read, and then it is read
    response = alice.put(f"{EDUCATION}/what_is_mild/read")
    assert response.status_code == 201
    assert response.json()["earlier_version_read_at"] is None
    changed = next(a for a in alice.get(EDUCATION).json()["due"] if a["key"] == "what_is_mild")
    assert changed["read_at"] == response.json()["read_at"]
    assert changed["earlier_version_read_at"] is None


def test_a_translation_changed_since_the_read_offers_the_article_again(cast, client_for, scheduled):
    alice = client_for(cast.alice)
    assert alice.put(f"{EDUCATION}/when_to_get_help/read").status_code == 201
    own = _copy_for_riverside(client_for, cast)
    definition = _definition(own)
    spanish = _article(definition, "when_to_get_help")["translations"]["es"]
    spanish["summary"] = spanish["summary"] + " Llame a la clínica si tiene dudas."
    assert _revise(client_for(cast.frank), own, definition).status_code == 201

    article = next(a for a in alice.get(EDUCATION).json()["due"] if a["key"] == "when_to_get_help")

    assert article["read_at"] is None and article["earlier_version_read_at"] is not None


def test_each_version_says_which_it_came_from_and_who_saved_it(cast, client_for):
    own = _copy_for_riverside(client_for, cast)
    revised = _revise(client_for(cast.frank), own, _definition(own, change_note="Parking added.")).json()
    listed = {v["id"]: v for v in client_for(cast.carol).get(LIBRARIES).json()}
    frank = {"id": str(cast.frank.pk), "full_name": cast.frank.full_name}

    assert (own["based_on"], own["created_by"]) == (str(_default().pk), frank)
    assert (revised["based_on"], revised["created_by"]) == (own["id"], frank)
    shipped = listed[str(_default().pk)]
    assert (shipped["based_on"], shipped["created_by"]) == (None, None)
    assert listed[revised["id"]]["created_by"] == frank
