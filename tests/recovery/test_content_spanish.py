"""Every piece of recovery content a patient reads exists in Spanish: the shipped protocol (phases, milestones, "When
to get help", as installed by the migrations), the red-flag questions and the instructions after a "yes" (every rule-set
version an open alert can show), the weekly health-care question, the progress texts, the check-in's symptoms and its
own measures (pain, standing and walking), and the recovery app's gettext catalog. A Spanish text must keep every
placeholder its English has ({emergency_number} must survive) and add none."""

from __future__ import annotations

import re
import string
from pathlib import Path
from typing import Any

import pytest

from recovery import instruments
from recovery.content import healthcare_use, progress
from recovery.content.protocol_default import SYMPTOMS
from recovery.content.red_flags import RULE_SETS
from recovery.models import Protocol
from recovery.wording import MILESTONE_FIELDS, PHASE_FIELDS

CATALOG = Path(__file__).resolve().parents[2] / "recovery" / "locale" / "es" / "LC_MESSAGES" / "django.po"


def _placeholders(text: str) -> set[str]:
    """str.format fields ({emergency_number}) and %-format fields (%(days)s) of a text."""
    fields = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    return fields | set(re.findall(r"%\(\w+\)[sd]", text))


def _texts(value: Any) -> list[str]:
    """Every text inside a value: a text, a list of texts, or nested dicts and lists ("When to get help")."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _texts(v)]
    if isinstance(value, list | tuple):
        return [t for v in value for t in _texts(v)]
    return []


def _same_shape(english: Any, spanish: Any) -> bool:
    """The Spanish has the English's structure: the same keys, the same number of list entries, texts for texts
    (keys such as "tier" that name things rather than say them are the same in both)."""
    if isinstance(english, dict):
        return (
            isinstance(spanish, dict)
            and english.keys() == spanish.keys()
            and all(_same_shape(english[k], spanish[k]) for k in english)
        )
    if isinstance(english, list | tuple):
        return (
            isinstance(spanish, list | tuple)
            and len(english) == len(spanish)
            and all(_same_shape(e, s) for e, s in zip(english, spanish, strict=True))
        )
    return isinstance(spanish, type(english))


def spanish_problems(name: str, item: Any, fields: tuple[str, ...]) -> list[str]:
    """What is wrong with the Spanish of one content item (an object with the English in `fields` and a
    `translations` mapping): a field without Spanish, of another shape, blank, or with other placeholders."""
    problems = []
    spanish = (getattr(item, "translations", None) or {}).get("es", {})
    for field in fields:
        english = getattr(item, field)
        if english in (None, "", [], {}):
            continue
        if field not in spanish:
            problems.append(f"{name}.{field}: no Spanish")
            continue
        if not _same_shape(english, spanish[field]):
            problems.append(f"{name}.{field}: the Spanish is not shaped like the English")
            continue
        for en, es in zip(_texts(english), _texts(spanish[field]), strict=True):
            if not es.strip():
                problems.append(f"{name}.{field}: blank Spanish")
            if _placeholders(en) != _placeholders(es):
                problems.append(f"{name}.{field}: placeholders {_placeholders(en)} became {_placeholders(es)}")
    return problems


def _shipped_protocols() -> list[Protocol]:
    return list(Protocol.objects.filter(clinic__isnull=True).prefetch_related("phases", "milestones"))


# --- The checker itself -----------------------------------------------------------------------------------------------


class _Item:
    def __init__(self, translations: dict[str, Any], **english: Any) -> None:
        self.translations = translations
        for field, value in english.items():
            setattr(self, field, value)


def test_the_check_finds_missing_spanish_and_lost_or_invented_placeholders():
    english = {"title": "Call now", "text": "Call {emergency_number} now."}
    fine = _Item({"es": {"title": "Llame ahora", "text": "Llame ahora al {emergency_number}."}}, **english)
    assert spanish_problems("ok", fine, ("title", "text")) == []

    missing = _Item({"es": {"title": "Llame ahora"}}, **english)
    assert spanish_problems("item", missing, ("title", "text")) == ["item.text: no Spanish"]

    lost = _Item({"es": {"title": "Llame ahora", "text": "Llame ahora al 911."}}, **english)
    assert spanish_problems("item", lost, ("title", "text")) == [
        "item.text: placeholders {'emergency_number'} became set()"
    ]
    invented = _Item({"es": {"title": "Llame a {clinic_name}", "text": "Llame al {emergency_number}."}}, **english)
    assert spanish_problems("item", invented, ("title",)) == ["item.title: placeholders set() became {'clinic_name'}"]

    short = _Item({"es": {"steps": ["Uno"]}}, steps=["One", "Two"])
    assert spanish_problems("item", short, ("steps",)) == ["item.steps: the Spanish is not shaped like the English"]


# --- The shipped content ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_shipped_protocol_version_is_in_spanish():
    protocols = _shipped_protocols()
    assert {p.version for p in protocols} >= {1, 2}
    problems = []
    for protocol in protocols:
        for phase in protocol.phases.all():
            problems += spanish_problems(f"v{protocol.version} phase {phase.key}", phase, PHASE_FIELDS)
        for milestone in protocol.milestones.all():
            problems += spanish_problems(f"v{protocol.version} milestone {milestone.key}", milestone, MILESTONE_FIELDS)
        problems += spanish_problems(f"v{protocol.version}", protocol, ("when_to_get_help",))
    assert problems == []


def test_every_red_flag_question_and_instruction_is_in_spanish():
    current = RULE_SETS[max(RULE_SETS)]
    assert set(RULE_SETS) == {1, 2}
    problems = []
    for rule_set in RULE_SETS.values():  # a check-in answered on an earlier version's form is read in its words
        for question in rule_set.questions:
            problems += spanish_problems(
                f"v{rule_set.version} question {question.key}", question, ("question", "help_text")
            )
    for rule_set in RULE_SETS.values():  # an open alert of any version shows its version's instruction
        for tier, instruction in rule_set.instructions.items():
            problems += spanish_problems(f"v{rule_set.version} {tier}", instruction, ("title", "text"))
    assert problems == []
    # The clinic's numbers are filled into the Spanish as into the English
    assert "{emergency_number}" in current.instructions["emergency"].translations["es"]["text"]
    assert "{clinic_phone}" in current.instructions["urgent"].translations["es"]["text"]


def test_every_alert_title_a_patient_can_see_is_in_spanish():
    # An open emergency or urgent alert shows its rule's title to the patient, in every rule-set version
    problems = []
    for rule_set in RULE_SETS.values():
        seen = [rule for rule in rule_set.rules if rule.tier in ("emergency", "urgent")]
        assert {q.key for q in rule_set.questions} <= {rule.key for rule in seen}
        for rule in seen:
            problems += spanish_problems(f"v{rule_set.version} rule {rule.key}", rule, ("title",))
    assert problems == []


def test_the_weekly_question_the_symptoms_and_the_progress_texts_are_in_spanish():
    problems = []
    for version, question in healthcare_use.QUESTIONS.items():
        problems += spanish_problems(f"healthcare use v{version}", question, ("question", "help_text"))
    for symptom in SYMPTOMS:
        problems += spanish_problems(f"symptom {symptom.key}", symptom, ("label",))

    class _Progress:
        translations = {"es": progress.TRANSLATIONS["es"]}

    for name in progress.TEXTS:
        setattr(_Progress, name, getattr(progress, name))
    problems += spanish_problems("progress", _Progress, progress.TEXTS)
    assert problems == []


@pytest.mark.parametrize("instrument", [instruments.PAIN, instruments.TOLERANCE], ids=lambda i: i.key)
def test_the_check_ins_own_measures_are_in_spanish(instrument):
    spanish = instrument.translations["es"]
    assert spanish["title"].strip() and spanish["instructions"].strip()
    assert set(spanish["items"]) == {item.key for item in instrument.items}
    for item in instrument.items:
        assert spanish["items"][item.key].strip()
        for option in item.options:
            # A bare number reads the same in both languages; a worded end of the scale must be translated
            if not option.label.isdigit():
                assert spanish["options"][str(option.value)].strip(), (item.key, option.value)
        if item.unit:
            assert spanish["units"][item.unit].strip()


@pytest.mark.parametrize("instrument", [instruments.ODI, instruments.ZCQ], ids=lambda i: i.key)
def test_licensed_measures_have_no_spanish_of_our_own(instrument):
    assert instrument.languages == ("en",)


def test_the_recovery_catalog_is_complete_and_keeps_its_placeholders():
    text = CATALOG.read_text(encoding="utf-8")
    entries = re.findall(
        r'msgid ((?:".*"\n)+)(?:msgid_plural ((?:".*"\n)+))?((?:msgstr(?:\[\d\])? (?:".*"\n?)+)+)', text
    )
    assert len(entries) > 30
    problems = []
    for msgid, plural, msgstrs in entries:
        english = "".join(re.findall(r'"(.*)"', msgid))
        if not english:
            continue  # the header
        for msgstr in re.findall(r"msgstr(?:\[\d\])? ((?:\".*\"\n?)+)", msgstrs):
            spanish = "".join(re.findall(r'"(.*)"', msgstr))
            if not spanish:
                problems.append(f"{english!r}: no Spanish")
            elif _placeholders(spanish) - _placeholders(english) or (
                not plural and _placeholders(english) != _placeholders(spanish)
            ):
                problems.append(f"{english!r}: placeholders differ")
    assert problems == []
    assert "#, fuzzy" not in text.split("\n\n", 1)[1]
