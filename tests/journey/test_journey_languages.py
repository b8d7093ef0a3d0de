"""The preparation checklist and the education library in English and Spanish: the shipped versions carry their
Spanish (frozen in a data migration, every text field, every placeholder kept), each reader gets their own language,
dates inside texts come from Django's date formats, and the messages of these screens are in the catalogs."""

from __future__ import annotations

import datetime as dt
import importlib
import re
from pathlib import Path

import pytest
from django.conf import settings

from accounts.models import User
from journey.content import education_default, preparation_default
from journey.models import EducationArticle, EducationLibrary, PreparationProtocol, PreparationTick
from tests.factories import ProcedureFactory
from tests.recovery.support import NEW_YORK
from tests.support import local

DAY0 = dt.date(2027, 5, 10)  # a Monday
PREPARATION = "/api/v1/me/preparation"
EDUCATION = "/api/v1/me/education"
PLACEHOLDER = re.compile(r"\{[a-z_]+\}|%\([a-z_]+\)[sd]")
ARTICLE_FIELDS = ("title", "summary", "body")
ITEM_FIELDS = ("title", "text", "text_pending")
MEDICINE_FIELDS = ("title", "text", "text_no_restart")
MAX_WORDS_PER_SENTENCE = 20


def _speaks(user: User, code: str) -> None:
    User.objects.filter(pk=user.pk).update(language=code)


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def _plan_url(procedure) -> str:
    return f"/api/v1/patients/{procedure.patient_id}/procedures/{procedure.pk}/preparation"


@pytest.fixture
def scheduled(cast, time_machine):
    """Alice's procedure on Monday 10 May 2027, with light sedation; the clock six days before, 10:00 in New York."""
    time_machine.move_to(local(NEW_YORK, 2027, 5, 4, 10), tick=False)
    return ProcedureFactory(patient=cast.alice_profile, procedure_date=DAY0, anaesthesia="local_sedation")


def _with_plan(client_for, cast, procedure) -> None:
    body = {
        "arrival_time": "07:30",
        "blood_thinners": [
            {"medicine": "Warfarin", "stop_on": "2027-05-05", "restart_on": "2027-05-11"},
            {"medicine": "Aspirin", "stop_on": "2027-05-03"},
        ],
    }
    assert client_for(cast.carol).put(_plan_url(procedure), body, format="json").status_code == 200


# --- Completeness -----------------------------------------------------------------------------------------------------


def test_every_item_of_the_shipped_checklist_has_spanish_with_its_placeholders(db):
    protocol = PreparationProtocol.objects.get(clinic__isnull=True, version=preparation_default.VERSION)
    spanish = protocol.translations["es"]
    assert set(spanish["items"]) == {item["key"] for item in protocol.items}
    for item in protocol.items:
        for field in ITEM_FIELDS:
            if field not in item:
                continue
            translated = spanish["items"][item["key"]].get(field)
            assert translated and translated != item[field], f"{item['key']}.{field} has no Spanish"
            assert _placeholders(translated) == _placeholders(item[field]), f"{item['key']}.{field}"
    for field in MEDICINE_FIELDS:
        translated = spanish["medicine_item"].get(field)
        assert translated and translated != protocol.medicine_item[field], f"medicine_item.{field} has no Spanish"
        assert _placeholders(translated) == _placeholders(protocol.medicine_item[field]), f"medicine_item.{field}"


def test_every_article_of_the_shipped_library_has_spanish(db):
    library = EducationLibrary.objects.get(clinic__isnull=True, version=education_default.VERSION)
    for article in library.articles.all():
        spanish = article.translations.get("es", {})
        for field in ARTICLE_FIELDS:
            english, translated = getattr(article, field), spanish.get(field)
            assert translated, f"{article.key}.{field} has no Spanish"
            if field == "body":
                assert len(translated) == len(english), f"{article.key}: not one paragraph for one"
                assert all(p.strip() == p and p for p in translated), article.key
            assert translated != english, f"{article.key}.{field} is the English"


@pytest.mark.parametrize(
    ("module", "names"),
    [
        (preparation_default, ("PREPARATION", "PREPARATION_VERSION")),
        (education_default, ("EDUCATION", "EDUCATION_VERSION")),
    ],
)
def test_the_spanish_is_frozen_in_the_migration_of_its_version(module, names):
    frozen = importlib.import_module("journey.migrations.0005_default_content_v1_es")
    content, version = names
    assert getattr(frozen, version) == module.VERSION, "a new version needs its Spanish in a data migration"
    assert getattr(frozen, content) == module.TRANSLATIONS["es"], "changed Spanish needs a new data migration"


def test_the_spanish_is_in_short_sentences():
    texts: list[str] = []
    for item in preparation_default.TRANSLATIONS["es"]["items"].values():
        texts += list(item.values())
    texts += list(preparation_default.TRANSLATIONS["es"]["medicine_item"].values())
    for article in education_default.TRANSLATIONS["es"].values():
        texts += [article["title"], article["summary"], *article["body"]]
    for text in texts:
        for sentence in re.split(r"(?<=[.?!])\s+", text):
            assert len(sentence.split()) <= MAX_WORDS_PER_SENTENCE, sentence


def _catalog(app: str) -> list[tuple[str, str, list[str]]]:
    """(msgid, msgid_plural, [msgstr...]) of each entry of the app's Spanish catalog, but its header."""
    path = Path(settings.BASE_DIR) / app / "locale" / "es" / "LC_MESSAGES" / "django.po"
    entries: list[dict[str, str]] = []
    current: dict[str, str] = {}
    field = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) "(.*)"$', line)
        if match:
            field = match.group(1)
            if field in ("msgctxt", "msgid") and "msgid" in current:
                entries.append(current)
                current = {}
            current[field] = current.get(field, "") + match.group(2)
        else:
            current[field] += re.match(r'^"(.*)"$', line).group(1)
    entries.append(current)
    return [
        (e["msgid"], e.get("msgid_plural", ""), [v for k, v in sorted(e.items()) if k.startswith("msgstr")])
        for e in entries
        if e["msgid"]
    ]


@pytest.mark.parametrize("app", ["exercises", "journey"])
def test_every_message_of_these_apps_has_its_spanish_with_its_placeholders(app):
    entries = _catalog(app)
    assert entries
    for msgid, plural, translations in entries:
        assert translations and all(translations), f"{app}: no Spanish for {msgid!r}"
        for translated in translations:
            assert _placeholders(translated) in (_placeholders(msgid), _placeholders(plural)), msgid


# --- The checklist in each reader's language --------------------------------------------------------------------------


def test_the_checklist_is_in_spanish_for_a_spanish_speaking_patient(cast, client_for, scheduled):
    _with_plan(client_for, cast, scheduled)
    _speaks(cast.alice, "es")

    response = client_for(cast.alice).get(PREPARATION)

    assert response.status_code == 200
    assert response["Content-Language"] == "es"
    body = response.json()
    assert body["countdown"] == "Su procedimiento es en 6 días"
    items = {item["key"]: item for item in body["items"]}
    assert items["driver"]["title"] == "Busque quién lo lleve a casa"
    assert items["fasting"]["title"] == "Deje de comer y beber cuando su clínica le diga"
    assert items["arrival"]["text"].startswith("Por favor, llegue a las 07:30 el día de su procedimiento.")
    warfarin, aspirin = (next(i for i in body["items"] if i.get("medicine", {}).get("medicine") == m)
                         for m in ("Warfarin", "Aspirin"))  # fmt: skip
    # The medicine and the dates the clinic entered, the dates in Spanish (Django's formats), no placeholder left
    assert warfarin["title"] == "Warfarin: deje de tomarlo el miércoles 5 de mayo"
    assert "desde el miércoles 5 de mayo. Vuelva a tomarlo el martes 11 de mayo." in warfarin["text"]
    assert "Su clínica le dirá cuándo volver a tomarlo." in aspirin["text"]
    assert "lunes 3 de mayo" in aspirin["text"]
    assert not any("{" in item["title"] + item["text"] for item in body["items"])
    # What the app matches on stays the same
    assert (warfarin["kind"], warfarin["due_on"]) == ("medicine", "2027-05-04")


def test_the_checklist_stays_in_english_for_an_english_speaking_patient(cast, client_for, scheduled):
    _with_plan(client_for, cast, scheduled)

    body = client_for(cast.alice).get(PREPARATION).json()

    assert body["countdown"] == "Your procedure is in 6 days"
    warfarin = next(i for i in body["items"] if i.get("medicine", {}).get("medicine") == "Warfarin")
    assert warfarin["title"] == "Warfarin: stop on Wednesday 5 May"
    assert "Start taking it again on Tuesday 11 May." in warfarin["text"]


def test_tomorrow_and_today_are_said_in_spanish_too(cast, client_for, scheduled, time_machine):
    _speaks(cast.alice, "es")
    time_machine.move_to(local(NEW_YORK, 2027, 5, 9, 23, 30), tick=False)
    assert client_for(cast.alice).get(PREPARATION).json()["countdown"] == "Su procedimiento es mañana"
    time_machine.move_to(local(NEW_YORK, 2027, 5, 10, 6), tick=False)
    assert client_for(cast.alice).get(PREPARATION).json()["countdown"] == "Su procedimiento es hoy"


def test_the_clinician_reads_the_checklist_in_her_own_language(cast, client_for, scheduled):
    _with_plan(client_for, cast, scheduled)
    _speaks(cast.alice, "es")

    english = client_for(cast.carol).get(_plan_url(scheduled))
    _speaks(cast.carol, "es")
    spanish = client_for(cast.carol).get(_plan_url(scheduled))

    assert english["Content-Language"] == "en"
    assert {i["key"]: i["title"] for i in english.json()["items"]}["driver"] == "Arrange a lift home"
    assert {i["key"]: i["title"] for i in spanish.json()["items"]}["driver"] == "Busque quién lo lleve a casa"


def test_a_stop_date_error_names_the_date_in_the_clinicians_language(cast, client_for, scheduled):
    _speaks(cast.carol, "es")
    body = {"arrival_time": None, "blood_thinners": [{"medicine": "Warfarin", "stop_on": "2027-05-11"}]}

    answer = client_for(cast.carol).put(_plan_url(scheduled), body, format="json")

    assert answer.status_code == 400
    assert "(lunes 10 de mayo)" in answer.json()["errors"]["blood_thinners.0.stop_on"][0]


def test_ticking_in_spanish_is_still_exactly_once_and_refusals_are_in_spanish(cast, client_for, scheduled):
    _speaks(cast.alice, "es")
    alice = client_for(cast.alice)

    first = alice.put(f"{PREPARATION}/items/driver", {"done": True}, format="json")
    again = alice.put(f"{PREPARATION}/items/driver", {"done": True}, format="json")
    unknown = alice.put(f"{PREPARATION}/items/no-such-item", {"done": True}, format="json")
    wrong = alice.put(f"{PREPARATION}/items/driver", {"done": "sí"}, format="json")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["done_at"] == first.json()["done_at"]
    assert PreparationTick.objects.count() == 1
    assert unknown.status_code == 404
    assert unknown.json()["detail"] == "Esto no está en su lista de preparación."
    assert wrong.status_code == 400 and wrong.json()["errors"]["done"]
    assert PreparationTick.objects.get().done_at.isoformat().replace("+00:00", "Z") == first.json()["done_at"]


def test_a_clinics_own_checklist_without_spanish_reads_in_english(cast, client_for, scheduled):
    PreparationProtocol.objects.create(
        clinic=cast.riverside, name="Riverside checklist", version=1,
        items=[{"key": "parking", "title": "Park on level 2", "text": "Take a ticket.", "applies": "everyone",
                "due_days_before": 0}],
        medicine_item=preparation_default.MEDICINE_ITEM,
    )  # fmt: skip
    _speaks(cast.alice, "es")

    body = client_for(cast.alice).get(PREPARATION).json()

    assert [(i["title"], i["text"]) for i in body["items"]] == [("Park on level 2", "Take a ticket.")]
    assert body["countdown"] == "Su procedimiento es en 6 días"


# --- The library in each reader's language ----------------------------------------------------------------------------


def test_the_library_is_in_spanish_for_a_spanish_speaking_patient(cast, client_for, scheduled):
    _speaks(cast.alice, "es")
    spanish = education_default.TRANSLATIONS["es"]

    response = client_for(cast.alice).get(EDUCATION)

    assert response["Content-Language"] == "es"
    body = response.json()
    assert (body["stage"], body["stage_label"]) == ("before", "Antes de su procedimiento")
    first = body["due"][0]
    assert first["key"] == "what_is_mild"
    assert (first["title"], first["summary"], first["body"]) == tuple(
        spanish["what_is_mild"][f] for f in ARTICLE_FIELDS
    )
    assert first["stage_labels"] == ["Antes de su procedimiento"]
    assert all(a["title"] == spanish[a["key"]]["title"] for a in body["due"] + body["other"])


def test_the_library_stays_in_english_for_an_english_speaking_patient(cast, client_for, scheduled):
    body = client_for(cast.alice).get(EDUCATION).json()

    assert (body["stage_label"], body["due"][0]["title"]) == (
        "Before your procedure",
        "What is MILD, and who is it for?",
    )


def test_reading_an_article_answers_in_spanish(cast, client_for, scheduled):
    _speaks(cast.alice, "es")
    alice = client_for(cast.alice)

    read = alice.put(f"{EDUCATION}/the_day/read")
    missing = alice.put(f"{EDUCATION}/no_such_article/read")

    assert read.status_code == 201
    assert read.json()["title"] == "Qué pasa ese día"
    assert missing.status_code == 404
    assert missing.json()["detail"] == "No hay ningún artículo con esta clave en su biblioteca."


def test_the_clinician_reads_a_spanish_speaking_patients_library_in_her_own_language(cast, client_for, scheduled):
    _speaks(cast.alice, "es")
    client_for(cast.alice).put(f"{EDUCATION}/the_day/read")
    url = f"/api/v1/patients/{cast.alice.pk}/education"

    english = client_for(cast.carol).get(url).json()
    _speaks(cast.carol, "es")
    spanish = client_for(cast.carol).get(url).json()

    assert (english["reads"][0]["title"], english["stage_label"]) == (
        "What happens on the day",
        "Before your procedure",
    )
    assert (spanish["reads"][0]["title"], spanish["stage_label"]) == ("Qué pasa ese día", "Antes de su procedimiento")


def test_a_clinics_own_article_without_spanish_reads_in_english(cast, client_for, scheduled):
    own = EducationLibrary.objects.create(clinic=cast.riverside, name="Riverside guide", version=1)
    EducationArticle.objects.create(
        library=own, key="parking", title="Parking at Riverside", summary="Where to park.", body=["Level 2."],
        stages=["before"], position=0,
    )  # fmt: skip
    _speaks(cast.alice, "es")

    [article] = client_for(cast.alice).get(EDUCATION).json()["due"]

    assert (article["title"], article["body"]) == ("Parking at Riverside", ["Level 2."])
    assert article["stage_labels"] == ["Antes de su procedimiento"]
