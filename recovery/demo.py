"""Demo recovery histories for `seed_demo`: patients at day 1, 10, 20, 45 and 200 after their procedure, each screened
as a candidate before it (their cautions from their profile's risk factors), and one recorded adverse event (Walter's
wound infection).

Histories go through the real services with the clock set to each past day, so alerts, milestones and revisions are
exactly what the product would have produced. Deterministic (fixed random seed) and skipped for patients who already
have a procedure, so seeding twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from accounts.models import CaregiverLink, Clinic, Grant, PatientProfile, Role, User
from recovery import safety, services
from recovery.models import Procedure

DEMO_NAMESPACE = uuid.UUID("6f1c9a52-3a59-4c1e-9f53-3f2f4a0d7c11")


@dataclass(frozen=True)
class Story:
    email: str
    day: int
    levels: tuple[str, ...]
    start_back: int
    start_leg: int
    end_back: int
    end_leg: int
    improve_by_day: int
    # Red flags reported on the last check-in (yesterday), e.g. ("fever_chills",).
    last_red_flags: tuple[str, ...] = ()
    # Milestones left open (their progress check not done yet), as the README's demo table says.
    open_milestones: tuple[str, ...] = ()
    # An adverse event the care team recorded: (kind, Clavien-Dindo grade, onset day, resolved day, description).
    adverse_event: tuple[str, str, int, int, str] | None = None
    # Today's check-in, filled in by the patient's caregiver (accounts' seed_demo makes the caregiver).
    caregiver_logs_today: bool = False


# Walter's superficial wound infection from day 6, settled by day 16 with oral antibiotics: Clavien-Dindo grade II.
WOUND_INFECTION = (
    "infection", "II", 6, 16, "Superficial wound infection, seen in clinic; settled with a course of oral antibiotics."
)  # fmt: skip

STORIES = (
    # Day 1: her daughter Anna, her caregiver, has logged today's check-in for her.
    Story("margaret@patients.example", 1, ("L4-L5",), 6, 7, 5, 5, 10, caregiver_logs_today=True),
    Story("harold@patients.example", 10, ("L3-L4", "L4-L5"), 6, 8, 3, 3, 14),
    # Reads Spanish; a week after her procedure, improving.
    Story("carmen@patients.example", 7, ("L4-L5",), 7, 6, 4, 3, 12),
    # Plateauing: little change since the procedure; the 2 to 3 week progress check is open.
    Story("rosa@patients.example", 20, ("L4-L5",), 6, 6, 5, 6, 20, open_milestones=("weeks_2_3",)),
    # Improving, but reported a fever yesterday: an open urgent alert. A wound infection is recorded (adverse event).
    Story("walter@patients.example", 45, ("L4-L5", "L5-S1"), 7, 8, 3, 2, 40, ("fever_chills",), (), WOUND_INFECTION),
    # Long term; the 6 month follow-up is open.
    Story("june@patients.example", 200, ("L3-L4",), 8, 7, 2, 2, 56, open_milestones=("month_6",)),
)


def _at_local(patient: PatientProfile, day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=patient.zone)


def _pain(start: int, end: int, day: int, improve_by: int, rng: random.Random) -> int:
    progress = min(day / improve_by, 1.0) if improve_by else 1.0
    value = round(start + (end - start) * progress + rng.choice((-1, 0, 0, 0, 1)))
    return max(0, min(10, value))


def _odi_answers(level: int) -> dict[str, int]:
    keys = (
        "pain_intensity", "personal_care", "lifting", "walking", "sitting", "standing", "sleeping", "sex_life",
        "social_life", "travelling",
    )  # fmt: skip
    return {key: max(0, min(5, level + (i % 3) - 1)) for i, key in enumerate(keys)}


def _zcq_answers(level: int, *, post_treatment: bool) -> dict[str, int]:
    """`level` 1 (doing well) to 4 (struggling)."""
    answers = {key: min(5, level + 1) for key in ("pain_overall", "pain_frequency", "back_pain", "leg_pain")}
    answers |= {"numbness": level, "weakness": level, "balance": 3 if level > 2 else 1}
    answers |= {
        key: min(4, level)
        for key in ("walking_distance", "walking_for_pleasure", "shopping", "walking_at_home", "walking_to_bathroom")
    }
    if post_treatment:
        satisfaction = ("overall_result", "pain_relief", "walking_ability", "daily_tasks", "leg_strength", "steadiness")
        answers |= {key: min(4, level) for key in satisfaction}
    return answers


def _assess(
    patient: PatientProfile, by: User, timepoint: str, back: int, leg: int, odi: int, when: dt.datetime
) -> None:
    answers: dict[str, dict[str, Any]] = {
        "pain": {"back_pain": back, "leg_pain": leg},
        "odi": _odi_answers(odi),
        "zcq": _zcq_answers(odi + 1, post_treatment=timepoint != "baseline"),
        "tolerance": {"standing_minutes": max(2, 30 - odi * 5), "walking_minutes": max(5, 45 - odi * 8)},
    }
    for instrument, given in answers.items():
        services.assessment_record(
            patient=patient, by=by, instrument=instrument, timepoint=timepoint, answers=given, now=when
        )


def _screen(patient: PatientProfile, procedure: Procedure, by: User, day0: dt.date) -> None:
    """A candidate screening ten days before the procedure; the cautions follow the profile's risk factors."""
    heart, surgery = patient.has_heart_disease, patient.had_previous_spinal_surgery
    safety.screening_save(
        procedure=procedure,
        by=by,
        data={
            "stenosis_confirmed": "yes", "imaging_modality": "mri", "imaging_date": day0 - dt.timedelta(days=45),
            "claudication": "yes", "conservative_care_failed": "yes",
            "conservative_care": [
                {"treatment": "physical_therapy", "weeks": 12, "note": "Twice weekly."},
                {"treatment": "epidural_injections", "weeks": 8, "note": "Two injections, short relief."},
            ],
            "heart_disease": "yes" if heart else "no",
            "heart_disease_note": "Stable angina; cleared by cardiology for the procedure." if heart else "",
            "uncontrolled_diabetes": "no", "uncontrolled_diabetes_note": "",
            "spinal_instability": "no", "spinal_instability_note": "",
            "previous_spinal_surgery": "yes" if surgery else "no",
            "previous_spinal_surgery_note": "Earlier surgery; no instability on flexion views." if surgery else "",
            "diabetes": "yes" if patient.has_diabetes else "no", "outcome": "candidate", "note": "",
        },
        now=_at_local(patient, day0 - dt.timedelta(days=10), 11),
    )  # fmt: skip


def _adverse_event(patient: PatientProfile, procedure: Procedure, by: User, story: Story, day0: dt.date) -> None:
    if story.adverse_event is None:
        return
    kind, grade, onset, resolved, description = story.adverse_event
    safety.adverse_event_record(
        procedure=procedure,
        by=by,
        data={
            "kind": kind, "grade": grade, "onset_date": day0 + dt.timedelta(days=onset),
            "resolved_date": day0 + dt.timedelta(days=resolved), "relatedness": "procedure", "outcome": "resolved",
            "emergency_visit": False, "hospital_admission": False, "further_surgery": False,
            "description": description,
        },
        now=_at_local(patient, day0 + dt.timedelta(days=resolved + 1), 15),
    )  # fmt: skip


def demo_recovery_seed(sender: Any, *, clinic: Clinic, patients: dict[str, PatientProfile], **kwargs: Any) -> None:
    now = timezone.now()
    for story in STORIES:
        patient = patients.get(story.email)
        if patient is None or Procedure.objects.filter(patient=patient).exists():
            continue
        # The primary clinician did the procedure.
        surgeon = (
            User.objects.filter(care_team_memberships__patient=patient, care_team_memberships__is_primary=True).first()
            or User.objects.filter(clinic=clinic, role=Role.CLINICIAN).order_by("email").first()
        )
        rng = random.Random(story.email)  # noqa: S311 (demo data, not security)
        today = patient.local_today(now)
        day0 = today - dt.timedelta(days=story.day)
        patient.enrolled_at = _at_local(patient, day0 - dt.timedelta(days=21), 10)
        patient.save(update_fields=["enrolled_at"])
        procedure = services.procedure_schedule(
            patient=patient, by=surgeon or patient.user, procedure_date=day0, levels=story.levels,
            side="bilateral", anaesthesia="local_sedation", performed_by=surgeon.pk if surgeon else None,
        )  # fmt: skip
        # The baseline is taken at the pre-procedure visit, a week before.
        _assess(
            patient,
            patient.user,
            "baseline",
            story.start_back,
            story.start_leg,
            3,
            _at_local(patient, day0 - dt.timedelta(days=7), 11),
        )
        _screen(patient, procedure, surgeon or patient.user, day0)
        services.procedure_complete(procedure=procedure, by=surgeon or patient.user, now=_at_local(patient, day0, 16))
        for n in range(1, story.day):
            if n > 56 and n % 7:  # after the 6-8 week milestone, a weekly check-in is believable
                continue
            date = day0 + dt.timedelta(days=n)
            when = _at_local(patient, date, 19)
            services.checkin_put(
                patient=patient,
                by=patient.user,
                checkin_id=uuid.uuid5(DEMO_NAMESPACE, f"{story.email}:{date}"),
                data={
                    "local_date": date,
                    "back_pain": _pain(story.start_back, story.end_back, n, story.improve_by_day, rng),
                    "leg_pain": _pain(story.start_leg, story.end_leg, n, story.improve_by_day, rng),
                    "walking_minutes": min(90, 5 + n * 2 + rng.randint(0, 5)),
                    "standing_minutes": min(60, 3 + n + rng.randint(0, 3)),
                    "steps": min(9000, 800 + n * 150 + rng.randint(0, 400)),
                    "medication": "otc" if n < 10 else "none",
                    "symptoms": ["site_soreness"] if n < 5 else [],
                    "red_flags": list(story.last_red_flags) if n == story.day - 1 else [],
                    "note": "",
                    "recorded_at": when,
                },
                if_match=None,
                now=when,
            )
            for key, opens, level in (("weeks_2_3", 16, 2), ("weeks_6_8", 44, 1), ("month_6", 175, 1)):
                if n == opens and key not in story.open_milestones:
                    back = _pain(story.start_back, story.end_back, n, story.improve_by_day, rng)
                    leg = _pain(story.start_leg, story.end_leg, n, story.improve_by_day, rng)
                    _assess(patient, patient.user, key, back, leg, level, when)
        _adverse_event(patient, procedure, surgeon or patient.user, story, day0)
        if story.caregiver_logs_today:
            _caregiver_checkin(patient, story, today, now)
        services.time_rules_run_for_patient(patient=patient, now=now)


def _caregiver_checkin(patient: PatientProfile, story: Story, today: dt.date, now: dt.datetime) -> None:
    """Today's check-in, entered by the patient's caregiver (the first one allowed to log for her), as the app would."""
    link = CaregiverLink.objects.granting(Grant.LOG).filter(patient=patient).select_related("caregiver").first()
    if link is None:
        return
    services.checkin_put(
        patient=patient,
        by=link.caregiver,
        entered_by=link,
        checkin_id=uuid.uuid5(DEMO_NAMESPACE, f"{story.email}:{today}"),
        data={
            "local_date": today, "back_pain": story.start_back - 1, "leg_pain": story.start_leg - 1,
            "walking_minutes": 5, "standing_minutes": 5, "steps": 600, "medication": "otc",
            "symptoms": ["site_soreness"], "red_flags": [], "note": "Mum slept well; sore where the needle went in.",
            "recorded_at": now,
        },
        if_match=None,
        now=now,
    )  # fmt: skip
