"""The clinician roster: one row per visible patient, ordered, filtered and paginated in one query (see
dashboards.sql for the per-patient date arithmetic)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import (
    BigIntegerField,
    Case,
    Count,
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
    Window,
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
    """The patients `user` may see, in triage order: most open emergency alerts, then urgent, then watch ("open" = not
    resolved), then longest without a check-in; each with the roster's columns that are the patient's own, and
    `total`, the number of rows the filters let through (a window COUNT(*) OVER (), so a page needs no COUNT query).
    The columns of each row's current procedure come from `add_procedure_columns`, one query for a page's rows.

    One query for a page, whatever the number of patients: every column is a correlated subquery or an expression on
    the patient's row. PostgreSQL evaluates the subqueries that only feed the output after the sort and LIMIT (and
    above the window count), so a page costs the sort keys of every patient plus the other columns of the page's rows.

    "Today" is each patient's own (`today`); the current procedure follows Procedure.objects.current, the rule the
    patient's own view uses.
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
    patients = patients.annotate(procedure_current_id=Subquery(current.values("id")[:1]))
    checkins = CheckIn.objects.filter(patient=OuterRef("pk"), local_date__lte=today)
    latest = checkins.order_by("-local_date")
    last_week = checkins.filter(local_date__gte=DateAddDays(today, -(MEAN_WINDOW_DAYS - 1)))
    open_alerts = Alert.objects.filter(patient=OuterRef("pk"), state__in=open_alert_states())

    def average(field: str) -> Func:
        return Func(F(field), function="AVG", output_field=FloatField())

    patients = patients.annotate(
        last_checkin_on=Subquery(latest.values("local_date")[:1]),
        latest_pain=Subquery(latest.values(v=JSONObject(back="back_pain", leg="leg_pain"))[:1]),
        mean7_pain=Subquery(
            last_week.order_by().annotate(v=JSONObject(back=average("back_pain"), leg=average("leg_pain"))).values("v")
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
    patients = _roster_filtered(patients, filters, current)
    return patients.annotate(total=Window(Count("pk"))).order_by(
        F("alert_rank").desc(),
        F("days_without_checkin").desc(),
        "user__full_name",
        "pk",
    )


def _current_phase(procedure: Any, procedure_date: Any, today: Any) -> QuerySet[ProtocolPhase]:
    """The phase of the protocol of `procedure` (an expression) that `today` falls in, counted from `procedure_date`."""
    return (
        ProtocolPhase.objects.filter(protocol__procedures=procedure)
        .annotate(on_day=DaysBetween(today, procedure_date))
        .filter(Q(start_day__lte=F("on_day")) & (Q(end_day__isnull=True) | Q(end_day__gte=F("on_day"))))
        .order_by("start_day")
    )


def add_procedure_columns(patients: Sequence[PatientProfile], now: dt.datetime) -> None:
    """Set on each patient of a roster page (rows of `roster()`) the columns of their current procedure: its date,
    phase, check-ins in the adherence window, baseline pain, ODI at baseline and latest, next milestone and exercise
    plan; in one query over the page's procedures (none when no row has one). Without a current procedure: None.

    The next milestone follows PatientMilestone.objects.next_due, as in recovery_summary; "asked for" check-ins are
    days 1 to CHECKIN_REMINDER_DAYS after the procedure, since joining, in the last 14 days."""
    rows: list[Any] = list(patients)
    by_procedure = {row.procedure_current_id: row for row in rows if row.procedure_current_id is not None}
    found: dict[Any, dict[str, Any]] = {}
    if by_procedure:
        today = OuterRef("today")
        procedure = OuterRef("pk")
        procedure_date = OuterRef("procedure_date")
        phase = _current_phase(procedure, procedure_date, today)
        adherence_window = CheckIn.objects.filter(
            Q(patient=OuterRef("patient_id"), local_date__lte=today, local_date__gte=OuterRef("enrolled_on"))
            & Q(local_date__gte=DateAddDays(today, -(ADHERENCE_WINDOW_DAYS - 1)))
            & Q(procedure_id=procedure)
            & Q(local_date__gt=procedure_date)
            & Q(local_date__lte=DateAddDays(procedure_date, CHECKIN_REMINDER_DAYS))
        )
        assessments = Assessment.objects.filter(procedure_id=procedure)
        odi = assessments.filter(instrument="odi")
        columns = (
            Procedure.objects.filter(pk__in=list(by_procedure))
            .annotate(
                today=LocalDate(instant(now), F("patient__time_zone")),
                enrolled_on=LocalDate(F("patient__enrolled_at"), F("patient__time_zone")),
            )
            .annotate(
                phase_key=Subquery(phase.values("key")[:1]),
                phase_title=Subquery(phase.values("title")[:1]),
                checkins_14d=one_value(adherence_window, "COUNT", "id", IntegerField()),
                baseline_pain=Subquery(
                    assessments.filter(timepoint=Assessment.BASELINE, instrument="pain").values("scores")[:1]
                ),
                odi_baseline=Subquery(odi.filter(timepoint=Assessment.BASELINE).values(v=score_of("odi_percent"))[:1]),
                odi_latest=Subquery(
                    odi.exclude(timepoint=Assessment.BASELINE)
                    .order_by("-completed_at")
                    .values(v=score_of("odi_percent"))[:1]
                ),
                milestone=Subquery(
                    PatientMilestone.objects.filter(procedure_id=procedure)
                    .next_due(today)
                    .values(
                        v=JSONObject(
                            id="id",
                            key="key",
                            title="title",
                            opens_on="opens_on",
                            target_on="target_on",
                            closes_on="closes_on",
                        )
                    )[:1]
                ),
                exercise_plan_id=Subquery(ExercisePlan.objects.filter(procedure_id=procedure).values("id")[:1]),
            )
            .order_by()
            .values("pk", "procedure_date", *PROCEDURE_COLUMNS)
        )
        found = {values.pop("pk"): values for values in columns}
    for row in rows:
        values = found.get(row.procedure_current_id, {})
        # A procedure deleted between the two queries reads as none.
        row.procedure_current_date = values.get("procedure_date")
        if row.procedure_current_date is None:
            row.procedure_current_id = None
        for column in PROCEDURE_COLUMNS:
            setattr(row, column, values.get(column))


PROCEDURE_COLUMNS = (
    "phase_key",
    "phase_title",
    "checkins_14d",
    "baseline_pain",
    "odi_baseline",
    "odi_latest",
    "milestone",
    "exercise_plan_id",
)


def _roster_filtered(
    patients: QuerySet[PatientProfile], filters: RosterFilters, current: QuerySet[Procedure]
) -> QuerySet[PatientProfile]:
    """`patients` narrowed by `filters`; the columns a filter needs (the current procedure's date, phase, overdue
    milestones) are computed in the query only when that filter is given."""
    today = OuterRef("today")
    procedure_id = OuterRef("procedure_current_id")
    if filters.procedure_from is not None or filters.procedure_to is not None:
        patients = patients.annotate(procedure_current_date=Subquery(current.values("procedure_date")[:1]))
    if filters.phases:
        phase = _current_phase(procedure_id, F("protocol__procedures__procedure_date"), today)
        patients = patients.annotate(phase_key=Subquery(phase.values("key")[:1]))
        patients = patients.filter(Q(phase_key__in=filters.phases))
    if filters.alert_tiers:
        open_alerts = Alert.objects.filter(
            patient=OuterRef("pk"), state__in=open_alert_states(), tier__in=filters.alert_tiers
        )
        patients = patients.filter(Exists(open_alerts))
    if filters.overdue_milestone is not None:
        pending_milestones = PatientMilestone.objects.filter(procedure_id=procedure_id).pending(today)
        patients = patients.annotate(milestone_overdue=Exists(pending_milestones.filter(closes_on__lt=today)))
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
