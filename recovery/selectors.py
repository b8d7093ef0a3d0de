"""Reads for recovery. Anything reachable over HTTP is first narrowed by accounts.scoping."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any, NamedTuple, cast

from django.db.models import Case, Exists, Field, JSONField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import JSONObject
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from accounts.models import Clinic, PatientProfile, User
from accounts.scoping import scope_to_visible_patients
from recovery import instruments, wording
from recovery.content.healthcare_use import ASK_EVERY_DAYS
from recovery.content.red_flags import RULE_SETS, TIER_INSTRUCTIONS
from recovery.models import (
    TIER_RANK,
    Alert,
    AlertState,
    Assessment,
    CheckIn,
    MilestoneStatus,
    PatientMilestone,
    Procedure,
    ProcedureStatus,
    Protocol,
    ProtocolPhase,
)
from recovery.rules import RULES, highest_red_flag_tier


def current_procedure(patient: PatientProfile, on: dt.date | None = None) -> Procedure | None:
    """The procedure that drives the timeline: the latest done one on or before `on` (the patient's today)."""
    return Procedure.objects.filter(patient=patient).current(on).select_related("protocol").first()


def milestone_statuses_open_for_assessment() -> tuple[str, ...]:
    return (MilestoneStatus.OPEN, MilestoneStatus.OVERDUE)


def baseline_scores(procedure: Procedure, instrument: str) -> dict[str, Any] | None:
    scores = (
        Assessment.objects.filter(procedure=procedure, timepoint=Assessment.BASELINE, instrument=instrument)
        .values_list("scores", flat=True)
        .first()
    )
    return scores


def baseline_pain(procedure: Procedure) -> tuple[int | None, int | None] | None:
    """The baseline back and leg pain of the procedure's baseline pain assessment, if one was taken."""
    return _pain_of(baseline_scores(procedure, "pain"))


def _pain_of(scores: dict[str, Any] | None) -> tuple[int | None, int | None] | None:
    if scores is None:
        return None
    back, leg = scores.get("back_pain"), scores.get("leg_pain")
    return (int(back) if back is not None else None, int(leg) if leg is not None else None)


def current_procedure_with_baseline_pain(patient: PatientProfile, on: dt.date) -> Procedure | None:
    """current_procedure (without its protocol), with `baseline_pain` (as baseline_pain gives it) in the same query."""
    procedure = (
        Procedure.objects.filter(patient=patient)
        .current(on)
        .annotate(
            baseline_pain_scores=Subquery(
                Assessment.objects.filter(
                    procedure=OuterRef("pk"), timepoint=Assessment.BASELINE, instrument="pain"
                ).values("scores")[:1],
                output_field=JSONField(),
            )
        )
        .first()
    )
    if procedure is not None:
        procedure.baseline_pain = _pain_of(procedure.baseline_pain_scores)  # type: ignore[attr-defined]
    return procedure


def assessment_comparisons(procedure: Procedure, timepoint: str) -> dict[str, dict[str, instruments.ScoreChange]]:
    """For each measure taken at `timepoint`: change from the procedure's baseline and responder status, judged on the
    exact scores recomputed from the answers (rounding is for display only)."""
    taken = Assessment.objects.filter(procedure=procedure, timepoint__in=(timepoint, Assessment.BASELINE))
    by_key: dict[tuple[str, str], Any] = {(a.timepoint, a.instrument): (a.answers, a.scores) for a in taken}
    return {
        instrument: instruments.compare_recorded(instrument, by_key[(Assessment.BASELINE, instrument)], recorded)
        for (tp, instrument), recorded in by_key.items()
        if tp == timepoint and (Assessment.BASELINE, instrument) in by_key
    }


def assessment_comparison(assessment: Assessment) -> dict[str, instruments.ScoreChange] | None:
    if assessment.timepoint == Assessment.BASELINE:
        return None
    baseline = (
        Assessment.objects.filter(
            procedure_id=assessment.procedure_id, timepoint=Assessment.BASELINE, instrument=assessment.instrument
        )
        .values_list("answers", "scores")
        .first()
    )
    if baseline is None:
        return None
    return instruments.compare_recorded(assessment.instrument, baseline, (assessment.answers, assessment.scores))


def checkin_streak(patient: PatientProfile, today: dt.date) -> int:
    """Consecutive days with a check-in, ending today (or yesterday, when today's is not in yet)."""
    return latest_checkin_days(patient, today).streak


STREAK_PAGE = 100
# The first page reaches back far enough for the weekly question's look-back (one check-in a day at most).
assert ASK_EVERY_DAYS < STREAK_PAGE  # noqa: S101


class LatestCheckinDays(NamedTuple):
    streak: int
    todays: uuid.UUID | None
    # The days before today, within the weekly question's look-back, whose check-in answered it.
    answered_days: tuple[dt.date, ...]


def latest_checkin_days(patient: PatientProfile, today: dt.date) -> LatestCheckinDays:
    """The streak (checkin_streak), today's check-in id and the days that recently answered the weekly question,
    from the latest check-ins' dates only: a page of STREAK_PAGE days, and another only while the streak runs on past
    it. A patient checks in once a day at most, so the first page holds every check-in of the question's look-back."""
    streak, todays, offset = 0, None, 0
    answered: list[dt.date] = []
    day = today
    while True:
        page = list(
            CheckIn.objects.filter(
                patient=patient, local_date__lte=today, local_date__gt=today - dt.timedelta(days=800)
            )
            .order_by("-local_date")
            .values_list("local_date", "pk", "healthcare_use")[offset : offset + STREAK_PAGE]
        )
        if offset == 0:
            answered = [
                d for d, _, use in page if use is not None and today - dt.timedelta(days=ASK_EVERY_DAYS) < d < today
            ]
        for local_date, pk, _ in page:
            if local_date == today:
                todays = pk
            elif day == today and streak == 0:
                day = today - dt.timedelta(days=1)  # today's is not in yet: the streak may end yesterday
            if local_date != day:
                return LatestCheckinDays(streak, todays, tuple(answered))
            streak += 1
            day -= dt.timedelta(days=1)
        if len(page) < STREAK_PAGE:
            return LatestCheckinDays(streak, todays, tuple(answered))
        offset += STREAK_PAGE


def phase_on(procedure: Procedure, day: int) -> ProtocolPhase | None:
    for phase in protocol_phases(procedure.protocol_id):
        if phase.covers(day):
            return phase
    return None


# A protocol version's phases are written once, with the version, and never change (an edit is a new version with a
# new id: recovery.services.protocol_revise), so each process keeps them by protocol id after its first read.
_PHASES: dict[uuid.UUID, tuple[ProtocolPhase, ...]] = {}


def protocol_phases(protocol_id: uuid.UUID) -> tuple[ProtocolPhase, ...]:
    """The phases of a protocol version, by start day."""
    phases = _PHASES.get(protocol_id)
    if phases is None:
        phases = _PHASES[protocol_id] = tuple(ProtocolPhase.objects.filter(protocol_id=protocol_id))
    return phases


def recovery_summary(patient: PatientProfile, now: dt.datetime | None = None) -> dict[str, Any]:
    """Where the patient is today, in their own time zone: day N, phase, today's check-in, next milestone, streak."""
    now = now or timezone.now()
    today = patient.local_today(now)
    # The current procedure and the next scheduled one in one query, each picked by its rule (Procedure.current),
    # each with its next milestone (PatientMilestone.objects.next_due) as columns of its row.
    following = PatientMilestone.objects.filter(procedure=OuterRef("pk")).next_due(today)
    procedures = list(
        Procedure.objects.filter(patient=patient)
        .filter(
            Q(status=ProcedureStatus.DONE, procedure_date__lte=today)
            | Q(status=ProcedureStatus.SCHEDULED, procedure_date__gte=today)
        )
        .select_related("protocol")
        # One subquery for the whole milestone, as a JSON object, rather than one per field: building and compiling
        # eight subqueries was the largest share of this request's CPU (docs/scaling.md, "Per-request cost").
        .annotate(
            next_milestone=Subquery(
                following.values(milestone=JSONObject(**{f: f for f in NEXT_MILESTONE_FIELDS}))[:1],
                output_field=JSONField(),
            )
        )
    )
    done = sorted(
        (p for p in procedures if p.status == ProcedureStatus.DONE),
        key=lambda p: (p.procedure_date, p.completed_at or dt.datetime.min.replace(tzinfo=dt.UTC)),
        reverse=True,
    )
    scheduled = sorted((p for p in procedures if p.status == ProcedureStatus.SCHEDULED), key=lambda p: p.procedure_date)
    procedure = done[0] if done else None
    streak, todays, answered_days = latest_checkin_days(patient, today)
    summary: dict[str, Any] = {
        "today": today,
        "time_zone": patient.time_zone,
        "procedure": procedure,
        "day": None,
        "phase": None,
        "checkin_today": {"done": todays is not None, "id": todays},
        "next_milestone": None,
        "streak_days": streak,
        "upcoming_procedure": scheduled[0] if scheduled else None,
        "open_alerts": open_alerts_for_patient(patient),
        # The weekly question: asked with a current (done) procedure, when none of the ASK_EVERY_DAYS - 1 days before
        # today answered it (a check-in already sent today with an answer keeps it asked, so an edit shows the same
        # form).
        "healthcare_use_question_due": procedure is not None and not answered_days,
    }
    if procedure is None:
        return summary
    day = procedure.day_number(today)
    summary["day"] = day
    summary["phase"] = phase_on(procedure, day)
    milestone = _next_milestone(procedure, patient)
    if milestone is not None:
        summary["next_milestone"] = {"milestone": milestone, "status": milestone.status_on(today)}
    return summary


NEXT_MILESTONE_FIELDS = ("id", "key", "title", "kind", "opens_on", "target_on", "closes_on", "translations")


def _next_milestone(procedure: Procedure, patient: PatientProfile) -> PatientMilestone | None:
    """The next milestone recovery_summary's query brought with the procedure (pending, so not completed)."""
    row = procedure.next_milestone  # type: ignore[attr-defined]
    if row is None:
        return None
    # JSON gives dates and the id as text: each field turns it back into its own type.
    values = {
        f: cast(Field[Any, Any], PatientMilestone._meta.get_field(f)).to_python(row[f]) for f in NEXT_MILESTONE_FIELDS
    }
    return PatientMilestone(procedure=procedure, patient=patient, completed_at=None, **values)


def red_flag_instruction(patient: PatientProfile, red_flags: list[str]) -> dict[str, str] | None:
    """What the patient must do now, for the most serious red flag they reported; None when they reported none."""
    tier = highest_red_flag_tier(red_flags)
    if tier is None:
        return None
    clinic = patient.user.clinic
    if clinic is None:  # patients always belong to a clinic (a database constraint); this keeps the types honest
        raise ValueError("A patient without a clinic cannot be told whom to call.")
    instruction = wording.instruction_out(TIER_INSTRUCTIONS[tier], clinic)  # type: ignore[index]
    return {"tier": tier, **instruction, "clinic_phone": clinic.phone}


def clinic_call_buttons(clinic: Clinic, tier: str = "emergency") -> list[dict[str, str]]:
    """The numbers a patient is told to call, as {"label", "tel"} buttons: for an emergency the local emergency
    number first, then the clinic; for anything less, the clinic alone. Both are never blank (accounts.Clinic)."""
    clinic_button = {"label": gettext("Call %(name)s") % {"name": clinic.name}, "tel": clinic.phone}
    if tier != "emergency":
        return [clinic_button]
    emergency = {
        "label": gettext("Call %(number)s") % {"number": clinic.emergency_number},
        "tel": clinic.emergency_number,
    }
    return [emergency, clinic_button]


def when_to_get_help(user: User, clinic_protocol: Protocol) -> dict[str, Any]:
    """The "When to get help" text for this user: from the protocol version of a patient's current procedure, else
    from `clinic_protocol` (the clinic's current version). A version made before the text existed has none: then the
    clinic's current version's, then the shipped default's newest version's."""
    candidates: list[Protocol] = []
    if user.is_patient:
        patient = PatientProfile.objects.filter(user=user).first()
        procedure = current_procedure(patient, on=patient.local_today()) if patient else None
        if procedure is not None:
            candidates.append(procedure.protocol)
    candidates.append(clinic_protocol)
    for protocol in candidates:
        if protocol.when_to_get_help:
            return wording.when_to_get_help_text(protocol.when_to_get_help, protocol.translations)
    default = (
        Protocol.objects.filter(clinic__isnull=True)
        .exclude(when_to_get_help={})
        .order_by("-version")
        .values_list("when_to_get_help", "translations")
        .first()
    )
    return wording.when_to_get_help_text(*default) if default else {}


def open_alerts_for_patient(patient: PatientProfile) -> list[dict[str, Any]]:
    """The patient's unresolved emergency and urgent alerts, most serious and newest first, each with what to do
    now: the instruction of the alert's rule-set version with the clinic's numbers filled in, and the call buttons.
    One query (the clinic comes with the patient: access_own_patient selects it)."""
    clinic = patient.user.clinic
    if clinic is None:  # patients always belong to a clinic (a database constraint); this keeps the types honest
        raise ValueError("A patient without a clinic cannot be told whom to call.")
    alerts = Alert.objects.filter(
        patient=patient, tier__in=("emergency", "urgent"), state__in=open_alert_states()
    ).only("id", "rule", "tier", "title", "raised_at", "acknowledged_at", "rule_set_version")
    result = []
    for alert in alerts_in_triage_order(alerts):
        rule_set = RULE_SETS.get(alert.rule_set_version, RULE_SETS[max(RULE_SETS)])
        instruction = rule_set.instructions[alert.tier]  # type: ignore[index]
        result.append(
            {
                "id": alert.id,
                "tier": alert.tier,
                "title": wording.alert_title(alert.rule, [*rule_set.rules, *RULES.values()], alert.title),
                "instruction": wording.instruction_out(instruction, clinic),
                "raised_at": alert.raised_at,
                "acknowledged_at": alert.acknowledged_at,
                "call": clinic_call_buttons(clinic, alert.tier),
            }
        )
    return result


# --- The exercise pause: read by the exercises and notifications apps ------------------------------------------------

EXERCISE_PAUSE_REASON = gettext_lazy(
    "Your exercises are on hold because you told us about a warning sign. Please follow the advice on what to do "
    "now. Your exercises will start again once your clinic has seen it."
)


def exercise_pausing_alerts() -> QuerySet[Alert]:
    """Alerts that pause a patient's exercise plan: emergency or urgent, neither acknowledged nor resolved."""
    return Alert.objects.filter(tier__in=("emergency", "urgent"), state=AlertState.OPEN)


def exercise_pause(patient: PatientProfile) -> dict[str, Any] | None:
    """{reason, since, alert_id, since_date} while the patient's exercise plan is paused (the earliest pausing alert;
    since_date: its day in the patient's zone, the first paused day), else None. One query."""
    alert = (
        exercise_pausing_alerts().filter(patient=patient).order_by("raised_at", "id").only("id", "raised_at").first()
    )
    if alert is None:
        return None
    return {
        "reason": str(EXERCISE_PAUSE_REASON),
        "since": alert.raised_at,
        "since_date": alert.raised_at.astimezone(patient.zone).date(),
        "alert_id": alert.id,
    }


def patients_with_exercises_paused(patient_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """Which of these patients have their exercise plan paused now. One query."""
    return set(exercise_pausing_alerts().filter(patient_id__in=list(patient_ids)).values_list("patient_id", flat=True))


def alerts_visible_to(user: User) -> QuerySet[Alert]:
    return scope_to_visible_patients(user, Alert.objects.all()).select_related(
        "patient__user", "acknowledged_by", "resolved_by", "assigned_to"
    )


def open_alert_states() -> tuple[str, ...]:
    return (AlertState.OPEN, AlertState.ACKNOWLEDGED)


def alerts_in_triage_order(alerts: QuerySet[Alert]) -> QuerySet[Alert]:
    """Unresolved before resolved, then emergency, urgent, watch, then newest first."""
    return alerts.annotate(
        _resolved=Case(When(state=AlertState.RESOLVED, then=Value(1)), default=Value(0)),
        _tier_rank=Case(*[When(tier=tier, then=Value(rank)) for tier, rank in TIER_RANK.items()], default=Value(9)),
    ).order_by("_resolved", "_tier_rank", "-raised_at", "id")


# --- What is due: read by the notifications app to decide who hears what ---------------------------------------------

# Daily check-in reminders run from the evening of the procedure day (day 0), when the first warning signs can show,
# through the first three months after it (day 90).
CHECKIN_REMINDER_DAYS = 90


def patients_expecting_checkin(local_date: dt.date, time_zone: str) -> QuerySet[PatientProfile]:
    """Active patients in `time_zone` for whom `local_date` is a check-in day (days 0-90 of their latest done
    procedure, day 0 being the procedure day) and who have not checked in that day yet. Annotated with
    `missed_two_days`: no check-in on either of the two days before, both check-in days (they get a gentler nudge
    instead of the plain reminder)."""
    done_recently = Procedure.objects.filter(
        patient=OuterRef("pk"),
        status=ProcedureStatus.DONE,
        procedure_date__lte=local_date,
        procedure_date__gte=local_date - dt.timedelta(days=CHECKIN_REMINDER_DAYS),
    )
    checked_in_today = CheckIn.objects.filter(patient=OuterRef("pk"), local_date=local_date)
    recent = CheckIn.objects.filter(
        patient=OuterRef("pk"), local_date__in=(local_date - dt.timedelta(days=1), local_date - dt.timedelta(days=2))
    )
    two_checkin_days_before = Procedure.objects.filter(
        patient=OuterRef("pk"), status=ProcedureStatus.DONE, procedure_date__lte=local_date - dt.timedelta(days=2)
    )
    return (
        PatientProfile.objects.filter(time_zone=time_zone, user__is_active=True)
        .filter(Exists(done_recently))
        .exclude(Exists(checked_in_today))
        .annotate(missed_two_days=~Exists(recent) & Exists(two_checkin_days_before))
    )


def milestones_closing_between(start: dt.date, end: dt.date) -> QuerySet[PatientMilestone]:
    """Open milestones (not completed) of active patients whose window closes between two dates (inclusive)."""
    return PatientMilestone.objects.filter(
        closes_on__gte=start,
        closes_on__lte=end,
        completed_at__isnull=True,
        procedure__status=ProcedureStatus.DONE,
        patient__user__is_active=True,
    ).select_related("patient__user")


def alerts_unacknowledged(tier: str, raised_before: dt.datetime) -> QuerySet[Alert]:
    """Alerts of `tier` still open (nobody acknowledged them) that were raised before `raised_before`."""
    return Alert.objects.filter(tier=tier, state=AlertState.OPEN, raised_at__lt=raised_before).select_related(
        "patient__user"
    )


def watch_alerts_raised_between(patient_ids: QuerySet[Any], start: dt.datetime, end: dt.datetime) -> QuerySet[Alert]:
    return Alert.objects.filter(
        patient_id__in=patient_ids, tier="watch", raised_at__gte=start, raised_at__lt=end
    ).select_related("patient__user")


def checkin_days(patient_ids: Iterable[Any], dates: Iterable[dt.date]) -> set[tuple[Any, dt.date]]:
    """Which (patient, local date) pairs among these have a check-in: one query for a whole batch."""
    return set(
        CheckIn.objects.filter(patient_id__in=set(patient_ids), local_date__in=set(dates)).values_list(
            "patient_id", "local_date"
        )
    )


# --- Procedures, alerts and protocols, as the API reads them --------------------------------------------------------


def procedures_of(patient: PatientProfile) -> QuerySet[Procedure]:
    return Procedure.objects.filter(patient=patient).select_related(
        "protocol", "performed_by", "screening", "screening_override_by"
    )


def procedure_of(patient: PatientProfile, procedure_id: uuid.UUID) -> Procedure:
    """One of the patient's procedures; Http404 for any other id."""
    try:
        return Procedure.objects.select_related(
            "protocol", "performed_by", "patient__user", "screening", "screening_override_by"
        ).get(pk=procedure_id, patient=patient)
    except Procedure.DoesNotExist as exc:
        raise Http404("No procedure with this id.") from exc


def alerts_filtered(
    user: User,
    *,
    tiers: Iterable[str] = (),
    states: Iterable[str] = (),
    patient_id: uuid.UUID | None = None,
    assigned_to: str | uuid.UUID | None = None,
) -> QuerySet[Alert]:
    """The alerts `user` may see, narrowed by the list's filters ('me' / 'nobody' / a clinician's id for
    `assigned_to`), in triage order."""
    alerts = alerts_visible_to(user)
    if tiers:
        alerts = alerts.filter(tier__in=list(tiers))
    if states:
        alerts = alerts.filter(state__in=list(states))
    if patient_id is not None:
        alerts = alerts.filter(patient_id=patient_id)
    if assigned_to == "nobody":
        alerts = alerts.filter(assigned_to__isnull=True)
    elif assigned_to == "me":
        alerts = alerts.filter(assigned_to_id=user.pk)
    elif isinstance(assigned_to, uuid.UUID):
        alerts = alerts.filter(assigned_to_id=assigned_to)
    return alerts_in_triage_order(alerts)


def protocols_visible_to(user: User) -> QuerySet[Protocol]:
    """The shipped default protocol's versions and the user's clinic's own."""
    default = Protocol.objects.filter(clinic__isnull=True)
    own = default if user.clinic_id is None else default | Protocol.objects.filter(clinic_id=user.clinic_id)
    return own.select_related("created_by")


def protocol_visible(user: User, protocol_id: uuid.UUID) -> Protocol:
    """One visible protocol with its phases and milestones; Http404 otherwise."""
    try:
        return protocols_visible_to(user).prefetch_related("phases", "milestones").get(pk=protocol_id)
    except Protocol.DoesNotExist as exc:
        raise Http404("No protocol with this id.") from exc


def protocols_listed(user: User) -> QuerySet[Protocol]:
    """`protocols_visible_to` as the protocol list shows them: with phases and milestones, the shipped default first,
    newest version first."""
    return protocols_visible_to(user).prefetch_related("phases", "milestones").order_by("clinic", "-version")


def alert_detail(user: User, alert_id: uuid.UUID) -> Alert:
    """One alert `user` may see, with its events and who acted in them: what an alert's detail shows."""
    return alerts_visible_to(user).prefetch_related("events__actor", "events__assignee").get(pk=alert_id)


# --- A patient's record, for the patient and their care team ----------------------------------------------------------


def checkins_of(
    patient: PatientProfile, *, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> QuerySet[CheckIn]:
    """The patient's check-ins, newest day first, from `date_from` to `date_to` (inclusive) when given."""
    checkins = CheckIn.objects.filter(patient=patient).select_related(
        "procedure", "patient__user__clinic", "entered_by__caregiver"
    )
    if date_from is not None:
        checkins = checkins.filter(local_date__gte=date_from)
    if date_to is not None:
        checkins = checkins.filter(local_date__lte=date_to)
    return checkins.order_by("-local_date")


def checkin_of(patient: PatientProfile, checkin_id: uuid.UUID) -> CheckIn:
    """One of the patient's check-ins with its revisions and who made them; Http404 for any other id."""
    try:
        return (
            CheckIn.objects.select_related("procedure", "patient__user__clinic", "entered_by__caregiver")
            .prefetch_related("revisions__changed_by", "revisions__entered_by__caregiver")
            .get(pk=checkin_id, patient=patient)
        )
    except CheckIn.DoesNotExist as exc:
        raise Http404("No check-in with this id.") from exc


def milestones_of(patient: PatientProfile) -> QuerySet[PatientMilestone]:
    """The patient's milestones, the latest procedure's first, each procedure's in the order they open."""
    return PatientMilestone.objects.filter(patient=patient).order_by("-procedure__procedure_date", "opens_on")


def assessments_done_by_milestone(patient: PatientProfile) -> dict[tuple[uuid.UUID, str], set[str]]:
    """(procedure id, timepoint) -> the measures the patient has recorded for it."""
    done: dict[tuple[uuid.UUID, str], set[str]] = {}
    for procedure_id, timepoint, instrument in Assessment.objects.filter(patient=patient).values_list(
        "procedure_id", "timepoint", "instrument"
    ):
        done.setdefault((procedure_id, timepoint), set()).add(instrument)
    return done


def assessments_of(patient: PatientProfile) -> QuerySet[Assessment]:
    return Assessment.objects.filter(patient=patient).select_related("procedure", "entered_by__caregiver")
