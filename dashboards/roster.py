"""The clinician roster: one row per visible patient, ordered, filtered and paginated in one query (see
dashboards.sql for the per-patient date arithmetic)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import (
    BigIntegerField,
    Case,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, JSONObject

from accounts.models import PatientProfile, User
from accounts.scoping import patients_visible_to
from dashboards.sql import DateAddDays, DaysBetween, LocalDate, instant, one_value, round1, score_of
from exercises.models import (
    ExercisePlan,
)
from recovery.display import round_half_up
from recovery.models import (
    Alert,
    Assessment,
    CheckIn,
    PatientMilestone,
    Procedure,
    ProcedureStatus,
    ProtocolPhase,
    Tier,
)
from recovery.risk import RISK_FACTOR_FIELDS as RISK_FACTOR_FIELDS
from recovery.risk import RISK_FACTOR_KEYS as RISK_FACTOR_KEYS
from recovery.safety_selectors import screening_status
from recovery.selectors import CHECKIN_REMINDER_DAYS, open_alert_states

# --- Roster -----------------------------------------------------------------------------------------------------------

# Check-in adherence is measured over the last 14 days, on the days daily check-ins are asked for (the reminder window,
# days 1 to CHECKIN_REMINDER_DAYS after the procedure). Today counts only once today's check-in is in: the day is not
# over yet.
ADHERENCE_WINDOW_DAYS = 14
MEAN_WINDOW_DAYS = 7
ALERT_TIERS = (Tier.EMERGENCY, Tier.URGENT, Tier.WATCH)
ALERT_RANK_WEIGHTS = (When(tier=Tier.EMERGENCY, then=Value(10**12)), When(tier=Tier.URGENT, then=Value(10**6)))


def _count_if(condition: Q) -> Func:
    return Func(Case(When(condition, then=Value(1)), default=Value(0)), function="SUM", output_field=IntegerField())


@dataclass(frozen=True)
class RosterFilters:
    phases: tuple[str, ...] = ()
    alert_tiers: tuple[str, ...] = ()
    overdue_milestone: bool | None = None
    no_checkin_days: int | None = None
    procedure_from: dt.date | None = None
    procedure_to: dt.date | None = None
    search: str = ""


def phase_keys_for(user: User) -> set[str]:
    """Every phase key of the protocols the user's patients can be on: the shipped default's and the clinic's."""
    protocols = Q(protocol__clinic__isnull=True)
    if user.clinic_id is not None:
        protocols |= Q(protocol__clinic_id=user.clinic_id)
    return set(ProtocolPhase.objects.filter(protocols).values_list("key", flat=True).distinct())


def roster(user: User, *, now: dt.datetime, filters: RosterFilters | None = None) -> QuerySet[PatientProfile]:
    """The patients `user` may see, one row each with everything the roster shows, computed in SQL, in triage order:
    most open emergency alerts, then urgent, then watch ("open" = not resolved), then longest without a check-in.

    One query for the rows (plus the paginator's COUNT), whatever the number of patients: every column is a correlated
    subquery or an expression on the patient's row. PostgreSQL evaluates the subqueries that only feed the output after
    the sort and LIMIT, so a page costs the sort keys of every patient plus the full columns of the page's rows.

    "Today" is each patient's own (`today`); the current procedure and the next milestone follow the rules of
    Procedure.objects.current and PatientMilestone.objects.next_due, the ones the patient's own view uses.
    """
    filters = filters or RosterFilters()
    today = OuterRef("today")
    patients: QuerySet[PatientProfile] = (
        patients_visible_to(user)
        .select_related("user")
        .annotate(
            today=LocalDate(instant(now), F("time_zone")),
            enrolled_on=LocalDate(F("enrolled_at"), F("time_zone")),
        )
    )
    current = Procedure.objects.filter(patient=OuterRef("pk")).current(today)
    patients = patients.annotate(
        procedure_current_id=Subquery(current.values("id")[:1]),
        procedure_current_date=Subquery(current.values("procedure_date")[:1]),
    )
    # Each reference to an annotation repeats its SQL, so the subqueries below reach the current procedure through
    # its id once (joining to it where they need its date or protocol) rather than through several annotations.
    procedure_id = OuterRef("procedure_current_id")
    phase = (
        ProtocolPhase.objects.filter(protocol__procedures=procedure_id)
        .annotate(on_day=DaysBetween(today, F("protocol__procedures__procedure_date")))
        .filter(Q(start_day__lte=F("on_day")) & (Q(end_day__isnull=True) | Q(end_day__gte=F("on_day"))))
        .order_by("start_day")
    )
    checkins = CheckIn.objects.filter(patient=OuterRef("pk"), local_date__lte=today)
    latest = checkins.order_by("-local_date")
    last_week = checkins.filter(local_date__gte=DateAddDays(today, -(MEAN_WINDOW_DAYS - 1)))
    # Asked for: days 1 to CHECKIN_REMINDER_DAYS after the current procedure, since joining, in the last 14 days.
    adherence_window = CheckIn.objects.filter(
        Q(patient=OuterRef("pk"), local_date__lte=today, local_date__gte=OuterRef("enrolled_on"))
        & Q(local_date__gte=DateAddDays(today, -(ADHERENCE_WINDOW_DAYS - 1)))
        & Q(procedure_id=procedure_id)
        & Q(local_date__gt=F("procedure__procedure_date"))
        & Q(local_date__lte=DateAddDays(F("procedure__procedure_date"), CHECKIN_REMINDER_DAYS))
    )
    assessments = Assessment.objects.filter(procedure_id=procedure_id)
    odi = assessments.filter(instrument="odi")
    pending_milestones = PatientMilestone.objects.filter(procedure_id=procedure_id).pending(today)
    open_alerts = Alert.objects.filter(patient=OuterRef("pk"), state__in=open_alert_states())

    def average(field: str) -> Func:
        return Func(F(field), function="AVG", output_field=FloatField())

    patients = patients.annotate(
        phase_key=Subquery(phase.values("key")[:1]),
        phase_title=Subquery(phase.values("title")[:1]),
        last_checkin_on=Subquery(latest.values("local_date")[:1]),
        latest_pain=Subquery(latest.values(v=JSONObject(back="back_pain", leg="leg_pain"))[:1]),
        mean7_pain=Subquery(
            last_week.order_by().annotate(v=JSONObject(back=average("back_pain"), leg=average("leg_pain"))).values("v")
        ),
        checkins_14d=one_value(adherence_window, "COUNT", "id", IntegerField()),
        baseline_pain=Subquery(
            assessments.filter(timepoint=Assessment.BASELINE, instrument="pain").values("scores")[:1]
        ),
        odi_baseline=Subquery(odi.filter(timepoint=Assessment.BASELINE).values(v=score_of("odi_percent"))[:1]),
        odi_latest=Subquery(
            odi.exclude(timepoint=Assessment.BASELINE).order_by("-completed_at").values(v=score_of("odi_percent"))[:1]
        ),
        # The next milestone (PatientMilestone.objects.next_due, as in recovery_summary).
        milestone=Subquery(
            PatientMilestone.objects.filter(procedure_id=procedure_id)
            .next_due(today)
            .values(
                v=JSONObject(
                    id="id", key="key", title="title", opens_on="opens_on", target_on="target_on", closes_on="closes_on"
                )
            )[:1]
        ),
        # The triage order in one number per patient, one index scan: open emergency alerts x 10^12 + urgent x 10^6
        # + watch, which sorts like (emergency, urgent, watch) while each count stays below a million.
        alert_rank=Coalesce(
            one_value(
                open_alerts.annotate(weight=Case(*ALERT_RANK_WEIGHTS, default=Value(1))),
                "SUM",
                "weight",
                BigIntegerField(),
            ),
            Value(0),
        ),
        open_alerts=Subquery(
            open_alerts.order_by()
            .annotate(v=JSONObject(**{tier.value: _count_if(Q(tier=tier)) for tier in ALERT_TIERS}))
            .values("v")
        ),
        exercise_plan_id=Subquery(ExercisePlan.objects.filter(procedure_id=procedure_id).values("id")[:1]),
        # The latest episode not cancelled (a scheduled one before it is done) with its screening's outcome.
        screening=Subquery(
            Procedure.objects.filter(patient=OuterRef("pk"))
            .exclude(status=ProcedureStatus.CANCELLED)
            .order_by("-procedure_date", "-created_at")
            .values(
                v=JSONObject(
                    procedure_id="id",
                    procedure_status="status",
                    outcome="screening__outcome",
                    override="screening_override_reason",
                )
            )[:1]
        ),
    ).annotate(
        # Never checked in: counted from the day they joined.
        days_without_checkin=DaysBetween(F("today"), Coalesce(F("last_checkin_on"), F("enrolled_on"))),
    )
    if filters.overdue_milestone is not None:  # only when filtering: the row's status comes from `milestone`
        patients = patients.annotate(
            milestone_overdue=Exists(pending_milestones.filter(closes_on__lt=today)),
        )
    patients = _roster_filtered(patients, filters)
    return patients.order_by(
        F("alert_rank").desc(),
        F("days_without_checkin").desc(),
        "user__full_name",
        "pk",
    )


def _roster_filtered(patients: QuerySet[PatientProfile], filters: RosterFilters) -> QuerySet[PatientProfile]:
    if filters.phases:
        patients = patients.filter(Q(phase_key__in=filters.phases))
    if filters.alert_tiers:
        open_alerts = Alert.objects.filter(
            patient=OuterRef("pk"), state__in=open_alert_states(), tier__in=filters.alert_tiers
        )
        patients = patients.filter(Exists(open_alerts))
    if filters.overdue_milestone is not None:
        patients = patients.filter(Q(milestone_overdue=filters.overdue_milestone))
    if filters.no_checkin_days is not None:
        patients = patients.filter(Q(days_without_checkin__gte=filters.no_checkin_days))
    if filters.procedure_from is not None:
        patients = patients.filter(Q(procedure_current_date__gte=filters.procedure_from))
    if filters.procedure_to is not None:
        patients = patients.filter(Q(procedure_current_date__lte=filters.procedure_to))
    for word in filters.search.split():
        patients = patients.filter(user__full_name__icontains=word)
    return patients


def _expected_checkin_days(
    today: dt.date, procedure_date: dt.date | None, enrolled_on: dt.date, today_done: bool
) -> int:
    """Days in the adherence window on which a check-in was asked for (see ADHERENCE_WINDOW_DAYS)."""
    if procedure_date is None:
        return 0
    first = max(
        today - dt.timedelta(days=ADHERENCE_WINDOW_DAYS - 1), procedure_date + dt.timedelta(days=1), enrolled_on
    )
    last = min(today - dt.timedelta(days=1), procedure_date + dt.timedelta(days=CHECKIN_REMINDER_DAYS))
    expected = max(0, (last - first).days + 1)
    if today_done and 1 <= (today - procedure_date).days <= CHECKIN_REMINDER_DAYS:
        expected += 1
    return expected


def _difference(current: float | None, baseline: float | None) -> float | None:
    if current is None or baseline is None:
        return None
    return round1(Decimal(str(current)) - Decimal(str(baseline)))


def _milestone_of(value: dict[str, Any] | None, today: dt.date) -> dict[str, Any] | None:
    """The JSON the roster query built for the next milestone, typed, with its status on `today`."""
    if not value:
        return None
    milestone = PatientMilestone(
        id=uuid.UUID(str(value["id"])),
        key=value["key"],
        title=value["title"],
        opens_on=dt.date.fromisoformat(str(value["opens_on"])[:10]),
        target_on=dt.date.fromisoformat(str(value["target_on"])[:10]),
        closes_on=dt.date.fromisoformat(str(value["closes_on"])[:10]),
    )
    return {
        "id": milestone.id,
        "key": milestone.key,
        "title": milestone.title,
        "opens_on": milestone.opens_on,
        "target_on": milestone.target_on,
        "closes_on": milestone.closes_on,
        "status": milestone.status_on(today),
    }


def _pain(latest: int | None, mean_7d: float | Decimal | None, baseline: float | None) -> dict[str, Any]:
    mean = round1(mean_7d)
    return {
        "latest": latest,
        "mean_7d": mean,
        "baseline": baseline,
        "change_from_baseline": _difference(mean, baseline),
    }


def roster_entry(patient: PatientProfile, exercise: dict[str, Any] | None = None) -> dict[str, Any]:
    """One roster row, from a patient of `roster()` (its annotations). Only arithmetic on the row's own values here;
    every aggregate came from SQL."""
    row: Any = patient
    today: dt.date = row.today
    procedure_date: dt.date | None = row.procedure_current_date
    expected = _expected_checkin_days(today, procedure_date, row.enrolled_on, row.last_checkin_on == today)
    checkins = row.checkins_14d if procedure_date is not None else 0
    latest, mean, baseline = row.latest_pain or {}, row.mean7_pain or {}, row.baseline_pain or {}
    return {
        "id": patient.pk,
        "full_name": patient.user.full_name,
        "age": patient.age(today),
        "time_zone": patient.time_zone,
        "today": today,
        "procedure": {"id": row.procedure_current_id, "procedure_date": procedure_date} if procedure_date else None,
        "day": (today - procedure_date).days if procedure_date else None,
        "phase": {"key": row.phase_key, "title": row.phase_title} if row.phase_key else None,
        "last_checkin_on": row.last_checkin_on,
        "days_without_checkin": row.days_without_checkin,
        "daily_checkins_expected": procedure_date is not None
        and 0 <= (today - procedure_date).days <= CHECKIN_REMINDER_DAYS,
        "back_pain": _pain(latest.get("back"), mean.get("back"), _float(baseline.get("back_pain"))),
        "leg_pain": _pain(latest.get("leg"), mean.get("leg"), _float(baseline.get("leg_pain"))),
        "odi": {
            "baseline": row.odi_baseline,
            "latest": row.odi_latest,
            "change_from_baseline": _difference(row.odi_latest, row.odi_baseline),
        },
        "checkin_adherence_14d": {
            "checkins": checkins,
            "expected": expected,
            "adherence": round_half_up(Fraction(min(checkins, expected), expected), 2) if expected else None,
        },
        "exercise_adherence_week": exercise,
        "milestone": _milestone_of(row.milestone, today),
        "open_alerts": {tier.value: int((row.open_alerts or {}).get(tier.value) or 0) for tier in ALERT_TIERS},
        "risk_factors": [name for name, field in RISK_FACTOR_FIELDS.items() if getattr(patient, field)],
        "screening": _screening_of(row.screening),
    }


def _screening_of(value: dict[str, Any] | None) -> dict[str, Any] | None:
    if not value:
        return None
    return {
        "procedure_id": uuid.UUID(str(value["procedure_id"])),
        "procedure_status": value["procedure_status"],
        "status": screening_status(value.get("outcome"), value.get("override") or ""),
    }


def _float(value: Any) -> float | None:
    return None if value is None else float(value)
