"""The shipped preparation checklist and education library: plain words in short sentences, every topic the clinic
guides cover, and each version frozen in its own data migration (changing the content without a new version fails)."""

from __future__ import annotations

import importlib
import re

import pytest

from journey.content import education_default, preparation_default
from journey.models import EducationLibrary, PreparationProtocol

MAX_WORDS_PER_SENTENCE = 20  # as for the recovery protocol: readers aged 60-85, reading age about 11


def _texts() -> list[str]:
    texts: list[str] = []
    for item in preparation_default.ITEMS:
        texts += [item["title"], item["text"], item.get("text_pending", item["text"])]
    texts += list(preparation_default.MEDICINE_ITEM.values())
    for article in education_default.ARTICLES:
        texts += [article["title"], article["summary"], *article["body"]]
    return texts


def test_patient_text_is_in_short_sentences() -> None:
    for text in _texts():
        assert text == text.strip() and text, repr(text)
        for sentence in re.split(r"(?<=[.?!])\s+", text):
            assert len(sentence.split()) <= MAX_WORDS_PER_SENTENCE, sentence


def test_the_checklist_covers_what_the_clinic_asks() -> None:
    keys = {item["key"]: item for item in preparation_default.ITEMS}
    assert set(keys) == {"medicines_list", "blood_sugar", "driver", "someone_at_home", "what_to_bring", "fasting",
                         "arrival"}  # fmt: skip
    assert keys["blood_sugar"]["applies"] == "diabetes"
    assert keys["fasting"]["applies"] == "sedation"
    assert "{arrival_time}" in keys["arrival"]["text"] and "{" not in keys["arrival"]["text_pending"]
    assert all(item["applies"] in preparation_default.APPLIES for item in preparation_default.ITEMS)
    template = preparation_default.MEDICINE_ITEM
    assert all(p in template["text"] for p in ("{medicine}", "{stop_on}", "{restart_on}"))
    assert "{restart_on}" not in template["text_no_restart"]


def test_the_library_covers_every_topic_at_a_stage_of_the_journey() -> None:
    keys = [a["key"] for a in education_default.ARTICLES]
    assert len(keys) == len(set(keys))
    assert set(keys) == {"what_is_mild", "the_day", "after_the_procedure", "recovery_timeline", "physical_therapy",
                         "everyday_life", "can_it_be_repeated", "how_long_it_lasts", "when_to_get_help"}  # fmt: skip
    for article in education_default.ARTICLES:
        assert article["stages"] and set(article["stages"]) <= set(education_default.STAGES), article["key"]
    for stage in education_default.STAGES:
        assert any(stage in a["stages"] for a in education_default.ARTICLES), stage


@pytest.mark.parametrize(
    ("module", "migration", "names"),
    [
        (preparation_default, "journey.migrations.0002_default_preparation_v1", ("ITEMS", "MEDICINE_ITEM")),
        (education_default, "journey.migrations.0003_default_education_v1", ("ARTICLES",)),
    ],
)
def test_the_newest_content_is_frozen_in_the_migration_of_its_version(module, migration, names) -> None:
    frozen = importlib.import_module(migration)
    assert frozen.VERSION == module.VERSION, "changed content needs a new VERSION and a data migration installing it"
    assert (frozen.NAME, frozen.CHANGE_NOTE) == (module.NAME, module.CHANGE_NOTE)
    for name in names:
        assert getattr(frozen, name) == getattr(module, name), f"{name} differs from its frozen version"


def test_the_migrations_installed_the_defaults(db) -> None:
    checklist = PreparationProtocol.objects.get(clinic__isnull=True, version=preparation_default.VERSION)
    assert checklist.items == preparation_default.ITEMS
    library = EducationLibrary.objects.get(clinic__isnull=True, version=education_default.VERSION)
    assert [a.key for a in library.articles.all()] == [a["key"] for a in education_default.ARTICLES]
