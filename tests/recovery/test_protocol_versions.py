"""The shipped default protocol is frozen per version: version 1 installs exactly as released, version 2 adds "When to
get help" with the new warning signs, the content module is the newest version, and new procedures start on it while
existing ones keep theirs."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

import pytest

from recovery import services
from recovery.content import protocol_default as content
from recovery.models import Protocol
from tests.support import procedure_done

# SHA-256 of version 1 as released (name, change note, phases, milestones), computed from
# recovery/content/protocol_default.py before version 2 existed. A different hash means version 1 changed.
VERSION_1_SHA256 = "d7cec1bccbe8e019af64e0281c94d93191942f815fc3a8a16b3cfdcf3a0b9c0a"
PHASE_FIELDS = ("key", "title", "start_day", "end_day", "summary", "instructions", "avoid")
MILESTONE_FIELDS = (
    "key", "title", "kind", "open_day", "target_day", "close_day", "assessments", "optional", "enabled", "patient_text",
)  # fmt: skip


def _document(protocol: Protocol) -> dict[str, Any]:
    return {
        "name": protocol.name,
        "change_note": protocol.change_note,
        "phases": [{f: getattr(p, f) for f in PHASE_FIELDS} for p in protocol.phases.order_by("start_day")],
        "milestones": [{f: getattr(m, f) for f in MILESTONE_FIELDS} for m in protocol.milestones.order_by("open_day")],
    }


def _content_document() -> dict[str, Any]:
    return {
        "name": content.PROTOCOL_NAME,
        "change_note": content.PROTOCOL_VERSION_NOTE,
        "phases": [
            {f: list(v) if isinstance(v := getattr(p, f), tuple) else v for f in PHASE_FIELDS} for p in content.PHASES
        ],
        "milestones": [
            {
                **{
                    f: list(v) if isinstance(v := getattr(m, f), tuple) else v
                    for f in MILESTONE_FIELDS
                    if f != "enabled"
                },
                "enabled": not m.optional,
            }
            for m in content.MILESTONES
        ],
    }


def _default(version: int) -> Protocol:
    return Protocol.objects.get(clinic__isnull=True, version=version)


@pytest.mark.django_db
def test_a_fresh_install_has_version_1_exactly_as_released():
    v1 = _default(1)
    digest = hashlib.sha256(json.dumps(_document(v1), sort_keys=True).encode()).hexdigest()
    assert digest == VERSION_1_SHA256
    assert v1.when_to_get_help == {}


@pytest.mark.django_db
def test_version_2_is_the_content_module_with_when_to_get_help():
    v2 = _default(2)
    assert content.PROTOCOL_VERSION == 2
    assert _document(v2) == {**_content_document(), "milestones": _content_document()["milestones"]}
    assert v2.when_to_get_help == content.WHEN_TO_GET_HELP
    assert v2.based_on == _default(1)
    # The newest installed default is the content module: editing it without a new migration fails here.
    assert Protocol.objects.filter(clinic__isnull=True).latest("version") == v2


@pytest.mark.django_db
def test_when_to_get_help_lists_the_new_warning_signs_in_plain_words():
    tiers = {t["tier"]: t for t in _default(2).when_to_get_help["tiers"]}
    assert list(tiers) == ["emergency", "urgent"]
    urgent = " ".join(tiers["urgent"]["signs"])
    for sign in ("bleeds through the dressing", "Clear, watery fluid", "better when you lie down", "came on slowly"):
        assert sign in urgent
    assert "suddenly become weak" in " ".join(tiers["emergency"]["signs"])
    for tier in tiers.values():
        assert all(len(sign.split()) <= 25 for sign in tier["signs"])  # short sentences for readers aged 60-85


@pytest.mark.django_db
def test_new_procedures_start_on_version_2_and_existing_ones_keep_version_1(cast):
    before = services.procedure_schedule(
        patient=cast.alice_profile, by=cast.carol, procedure_date=dt.date(2026, 11, 1), levels=["L4-L5"],
        side="bilateral", anaesthesia="local",
    )  # fmt: skip
    before.protocol = _default(1)
    before.save(update_fields=["protocol"])  # as if scheduled before version 2 shipped

    after = procedure_done(cast.heidi.patient_profile, cast.erin, dt.date(2026, 11, 1))

    assert after.protocol == _default(2)
    before.refresh_from_db()
    assert before.protocol == _default(1)


@pytest.mark.django_db
def test_a_clinics_own_copy_is_kept_and_copying_version_2_carries_when_to_get_help(cast, client_for):
    copied = client_for(cast.frank).post(f"/api/v1/protocols/{_default(2).pk}/copy").json()
    assert copied["when_to_get_help"] == content.WHEN_TO_GET_HELP
    procedure = services.procedure_schedule(
        patient=cast.alice_profile, by=cast.carol, procedure_date=dt.date(2026, 11, 1), levels=["L4-L5"],
        side="bilateral", anaesthesia="local",
    )  # fmt: skip
    assert str(procedure.protocol_id) == copied["id"]
