"""Reads for the clinician dashboards: the roster, a patient's series, outcomes, timeline and CSV export, and the
cohort recovery curve. Every read starts from accounts.scoping (patients_visible_to / scope_to_visible_patients).

Portability (PostgreSQL is the database of record; `make run` uses SQLite)
----------------------------------------------------------------------------
The roster computes "today" and "day N after the procedure" per patient, in the patient's own IANA time zone, inside
the SQL, so that ordering, filtering and pagination happen in one query whatever the number of patients. Three small
expressions below do the date arithmetic, each with one form per backend:

- `LocalDate(instant, zone)`: the calendar date of an instant on a per-row zone's wall clock (DST-correct).
  PostgreSQL: ``CAST(timezone(zone, instant) AS date)``. SQLite: Django's own registered function
  ``django_datetime_cast_date(instant, zone, 'UTC')``, the one behind ``TruncDate(tzinfo=...)``, which converts with
  zoneinfo in Python; SQLite itself knows no time zones.
- `DaysBetween(later, earlier)`: whole days between two dates. PostgreSQL ``date - date``; SQLite the difference of
  ``julianday()``.
- `DateAddDays(date, n)`: PostgreSQL ``date + n``; SQLite ``date(d, '+n days')``.

The instant "now" is passed in as a parameter (the request's `timezone.now()`), not read with SQL ``now()``: one
request sees one instant, and tests can move the clock with time_machine.

The cohort's median and quartiles use PostgreSQL's ``percentile_cont`` (linear interpolation). SQLite has no such
aggregate: there the same per-(patient, week) means are read with the same grouped query and `percentile_cont` below
computes the identical statistic in Python.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import itertools
import math
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import NotSupportedError, connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import (
    Avg,
    BigIntegerField,
    Case,
    Count,
    DateField,
    DateTimeField,
    Exists,
    F,
    FilteredRelation,
    FloatField,
    Func,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce, JSONObject, Round
from django.db.models.sql.compiler import SQLCompiler

from accounts.models import PatientProfile, Role, User
from accounts.scoping import patients_visible_to, scope_to_visible_patients
from recovery import instruments
from recovery.content.protocol_default import MILESTONES
from recovery.exercise_selectors import Tally, epoch_day, exercise_adherence, local_boundary_key
from recovery.models import (
    MINUTES_PER_DAY,
    Alert,
    AlertEvent,
    Assessment,
    CalendarDay,
    CheckIn,
    CheckInRevision,
    ExercisePlan,
    ExerciseRecord,
    PatientMilestone,
    Prescription,
    PrescriptionSlot,
    PrescriptionVersion,
    Procedure,
    ProcedureStatus,
    ProtocolPhase,
    RecordState,
    Tier,
)
from recovery.selectors import CHECKIN_REMINDER_DAYS, current_procedure, open_alert_states

# --- Portable date arithmetic -----------------------------------------------------------------------------------------


class _PortableDateFunc(Func):
    """A date expression written for PostgreSQL and SQLite (as_postgresql / as_sqlite); other backends refuse it."""

    def as_sql(
        self,
        compiler: SQLCompiler,
        connection: BaseDatabaseWrapper,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> tuple[str, Any]:
        raise NotSupportedError(f"{type(self).__name__} is written for PostgreSQL and SQLite only.")

    def _compiled(self, compiler: SQLCompiler) -> list[tuple[str, tuple[Any, ...]]]:
        return [(sql, tuple(params)) for sql, params in map(compiler.compile, self.get_source_expressions())]


class LocalDate(_PortableDateFunc):
    """The date of `instant` (a UTC datetime expression) on the wall clock of `zone` (an IANA name expression)."""

    output_field = DateField()

    def __init__(self, instant: Any, zone: Any) -> None:
        super().__init__(instant, zone)

    def as_postgresql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any) -> tuple[str, Any]:
        (instant, instant_params), (zone, zone_params) = self._compiled(compiler)
        return f"CAST(timezone({zone}, CAST({instant} AS timestamptz)) AS date)", (*zone_params, *instant_params)

    def as_sqlite(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any) -> tuple[str, Any]:
        # Django's own function for TruncDate(tzinfo=...): zoneinfo in Python, DST included.
        (instant, instant_params), (zone, zone_params) = self._compiled(compiler)
        return (
            f"django_datetime_cast_date({instant}, {zone}, %s)",
            (*instant_params, *zone_params, connection.timezone_name),
        )


class DaysBetween(_PortableDateFunc):
    """Whole days from `earlier` to `later` (two date expressions): later - earlier."""

    output_field = IntegerField()

    def __init__(self, later: Any, earlier: Any) -> None:
        super().__init__(later, earlier)

    def as_postgresql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any) -> tuple[str, Any]:
        (later, later_params), (earlier, earlier_params) = self._compiled(compiler)
        return f"(CAST({later} AS date) - CAST({earlier} AS date))", (*later_params, *earlier_params)

    def as_sqlite(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any) -> tuple[str, Any]:
        (later, later_params), (earlier, earlier_params) = self._compiled(compiler)
        return f"CAST(julianday({later}) - julianday({earlier}) AS integer)", (*later_params, *earlier_params)


class DateAddDays(_PortableDateFunc):
    """`date` plus a constant number of days (negative goes back)."""

    output_field = DateField()

    def __init__(self, date: Any, days: int) -> None:
        super().__init__(date)
        self.days = int(days)

    def as_postgresql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any) -> tuple[str, Any]:
        [(date, params)] = self._compiled(compiler)
        return f"(CAST({date} AS date) + %s)", (*params, self.days)

    def as_sqlite(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any) -> tuple[str, Any]:
        [(date, params)] = self._compiled(compiler)
        return f"date({date}, %s)", (*params, f"{self.days:+d} days")


def _at(now: dt.datetime) -> Value:
    return Value(now, output_field=DateTimeField())


def _one_value(queryset: QuerySet[Any], function: str, field: str, output_field: Any) -> Subquery:
    """A scalar subquery: the aggregate `function` (AVG, COUNT) of `field` over all the rows of `queryset`, without a
    GROUP BY, so exactly one row comes back (NULL, or 0 for COUNT, when there are none)."""
    value = Func(F(field), function=function, output_field=output_field)
    return Subquery(queryset.order_by().annotate(value=value).values("value"), output_field=output_field)


def _score(key: str) -> Cast:
    return Cast(KeyTextTransform(key, "scores"), FloatField())


def round1(value: float | Decimal | None) -> float | None:
    """One decimal place, halves up (3.25 -> 3.3), as recovery.instruments rounds scores."""
    if value is None:
        return None
    exact = value if isinstance(value, Decimal) else Decimal(str(value))
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


# --- Roster -----------------------------------------------------------------------------------------------------------

# Check-in adherence is measured over the last 14 days, on the days daily check-ins are asked for (the reminder window,
# days 1 to CHECKIN_REMINDER_DAYS after the procedure). Today counts only once today's check-in is in: the day is not
# over yet.
ADHERENCE_WINDOW_DAYS = 14
MEAN_WINDOW_DAYS = 7
RISK_FACTOR_FIELDS = {
    "diabetes": "has_diabetes",
    "heart_disease": "has_heart_disease",
    "previous_spinal_surgery": "had_previous_spinal_surgery",
}
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

    "Today" is each patient's own (`today`); the current procedure is the latest done one on or before that day,
    as in recovery.selectors.current_procedure.
    """
    filters = filters or RosterFilters()
    today = OuterRef("today")
    patients: QuerySet[PatientProfile] = (
        patients_visible_to(user)
        .select_related("user")
        .annotate(
            today=LocalDate(_at(now), F("time_zone")),
            enrolled_on=LocalDate(F("enrolled_at"), F("time_zone")),
        )
    )
    current = Procedure.objects.filter(
        patient=OuterRef("pk"), status=ProcedureStatus.DONE, procedure_date__lte=today
    ).order_by("-procedure_date", "-completed_at")
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
    milestones = PatientMilestone.objects.filter(procedure_id=procedure_id, completed_at__isnull=True)
    not_missed = Q(closes_on__gte=DateAddDays(today, -PatientMilestone.OVERDUE_GRACE_DAYS))
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
        checkins_14d=_one_value(adherence_window, "COUNT", "id", IntegerField()),
        baseline_pain=Subquery(
            assessments.filter(timepoint=Assessment.BASELINE, instrument="pain").values("scores")[:1]
        ),
        odi_baseline=Subquery(odi.filter(timepoint=Assessment.BASELINE).values(v=_score("odi_percent"))[:1]),
        odi_latest=Subquery(
            odi.exclude(timepoint=Assessment.BASELINE).order_by("-completed_at").values(v=_score("odi_percent"))[:1]
        ),
        # The next milestone not done: the earliest by opening day among those not yet missed (a missed one is past
        # its grace period), so an overdue one comes before the next to open, as in recovery_summary.
        milestone=Subquery(
            milestones.filter(not_missed)
            .order_by("opens_on")
            .values(
                v=JSONObject(
                    id="id", key="key", title="title", opens_on="opens_on", target_on="target_on", closes_on="closes_on"
                )
            )[:1]
        ),
        # The triage order in one number per patient, one index scan: open emergency alerts x 10^12 + urgent x 10^6
        # + watch, which sorts like (emergency, urgent, watch) while each count stays below a million.
        alert_rank=Coalesce(
            _one_value(
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
    ).annotate(
        # Never checked in: counted from the day they joined.
        days_without_checkin=DaysBetween(F("today"), Coalesce(F("last_checkin_on"), F("enrolled_on"))),
    )
    if filters.overdue_milestone is not None:  # only when filtering: the row's status comes from `milestone`
        patients = patients.annotate(
            milestone_overdue=Exists(milestones.filter(not_missed, closes_on__lt=today)),
        )
    patients = _roster_filtered(patients, filters)
    return patients.order_by(
        F("alert_rank").desc(),
        F("days_without_checkin").desc(),
        "user__full_name",
        "pk",
    )


@contextlib.contextmanager
def tuned_reads(*, work_mem_mb: int | None = None) -> Iterator[None]:
    """Run a dashboard's queries inside this. On PostgreSQL, for this transaction only (SET LOCAL), in one statement:

    - the JIT compiler is off: the planner prices the roster page's correlated subqueries as if each ran for every
      patient, the estimate passes jit_above_cost, and compiling the plan took longer (~150 ms at 5,000 patients)
      than running it;
    - `work_mem_mb`, when given, raises the sort/hash memory: the cohort groups every check-in by (patient, week) and
      with the default 4 MB spilled its sorts to disk from a few thousand patients.

    Nothing on SQLite."""
    if connection.vendor != "postgresql":
        yield
        return
    settings = ["SET LOCAL jit = off"]
    if work_mem_mb is not None:
        settings.append(f"SET LOCAL work_mem = '{int(work_mem_mb)}MB'")
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("; ".join(settings))
        yield


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
            "adherence": round(min(checkins, expected) / expected, 2) if expected else None,
        },
        "exercise_adherence_week": exercise,
        "milestone": _milestone_of(row.milestone, today),
        "open_alerts": {tier.value: int((row.open_alerts or {}).get(tier.value) or 0) for tier in ALERT_TIERS},
        "risk_factors": [name for name, field in RISK_FACTOR_FIELDS.items() if getattr(patient, field)],
    }


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


# --- Patient detail: daily and weekly series --------------------------------------------------------------------------

SERIES_METRICS = ("back_pain", "leg_pain", "walking_minutes", "standing_minutes", "steps")
# Without `bucket`, ranges up to this many days come day by day, longer ones week by week.
DAILY_BUCKET_MAX_DAYS = 120
DEFAULT_RANGE_DAYS = 90


def series_default_range(patient: PatientProfile, now: dt.datetime) -> tuple[dt.date, dt.date, dt.date | None]:
    """(from, to, procedure date): to = the patient's today; from = the current procedure's day, else 90 days back."""
    today = patient.local_today(now)
    procedure = current_procedure(patient, on=today)
    procedure_date = procedure.procedure_date if procedure else None
    return procedure_date or today - dt.timedelta(days=DEFAULT_RANGE_DAYS - 1), today, procedure_date


def series_daily(
    patient: PatientProfile, start: dt.date, end: dt.date, procedure_date: dt.date | None
) -> list[dict[str, Any]]:
    """One point per calendar day from `start` to `end`; a day without a check-in is a point of nulls (a gap), never
    left out, so a chart draws the gap. One query; the days are laid out here (no aggregation)."""
    rows = {
        row["local_date"]: row
        for row in CheckIn.objects.filter(patient=patient, local_date__gte=start, local_date__lte=end).values(
            "local_date", *SERIES_METRICS
        )
    }
    points = []
    for offset in range((end - start).days + 1):
        day = start + dt.timedelta(days=offset)
        row = rows.get(day)
        points.append(
            {
                "date": day,
                "day": (day - procedure_date).days if procedure_date else None,
                "checked_in": row is not None,
                **{metric: row[metric] if row else None for metric in SERIES_METRICS},
            }
        )
    return points


def series_weekly(
    patient: PatientProfile, start: dt.date, end: dt.date, procedure_date: dt.date | None
) -> list[dict[str, Any]]:
    """Weeks of 7 days counted from `start` (week 0 is start .. start+6; the last may be shorter): per metric the
    mean (one decimal), minimum, maximum and number of days with a value, aggregated in SQL (GROUP BY week). Weeks
    without any check-in are present with nulls and n = 0."""
    week = Cast(DaysBetween(F("local_date"), Value(start, output_field=DateField())) / 7, IntegerField())
    aggregates: dict[str, Any] = {"checkins": Count("id")}
    for metric in SERIES_METRICS:
        aggregates |= {
            f"{metric}__mean": Avg(metric, output_field=FloatField()),
            f"{metric}__min": Min(metric),
            f"{metric}__max": Max(metric),
            f"{metric}__n": Count(metric),
        }
    rows = {
        row["week"]: row
        for row in CheckIn.objects.filter(patient=patient, local_date__gte=start, local_date__lte=end)
        .order_by()
        .annotate(week=week)
        .values("week")
        .annotate(**aggregates)
    }
    points = []
    for index in range((end - start).days // 7 + 1):
        first = start + dt.timedelta(days=7 * index)
        last = min(first + dt.timedelta(days=6), end)
        row = rows.get(index, {})
        points.append(
            {
                "week": index,
                "start": first,
                "end": last,
                "day": (first - procedure_date).days if procedure_date else None,
                "days": (last - first).days + 1,
                "checkins": row.get("checkins", 0),
                **{
                    metric: {
                        "mean": round1(row.get(f"{metric}__mean")),
                        "min": row.get(f"{metric}__min"),
                        "max": row.get(f"{metric}__max"),
                        "n": row.get(f"{metric}__n", 0),
                    }
                    for metric in SERIES_METRICS
                },
            }
        )
    return points


# --- Patient detail: outcomes against the pivotal trial ---------------------------------------------------------------

REFERENCE_SOURCE = "MiDAS ENCORE pivotal trial, 302 patients: mean improvement at 2 years (CLINICAL.md)."
# The trial's 2-year mean improvements (positive = better): ODI 22.7 points, NPRS 3.6 points. The NPRS figure is
# applied to back and leg pain alike, as the brief gives one NPRS figure.
TRIAL_IMPROVEMENT_2Y: dict[str, Decimal] = {
    "odi_percent": Decimal("22.7"),
    "back_pain": Decimal("3.6"),
    "leg_pain": Decimal("3.6"),
}
# How the single 2-year figure is spread over time: (day after the procedure, share of the 2-year improvement),
# linearly interpolated between knots and flat after the last. The brief gives only the 2-year average and says that
# significant improvement is expected within 6-8 weeks and the benefit is tracked (and held) to 2 years; so the
# reference rises linearly from no change on the procedure day to the full 2-year improvement at day 56 (8 weeks) and
# stays there to day 730. It is a reference shape for the chart, not a trial curve; replace the knots with published
# per-visit means when the clinic has them.
REFERENCE_KNOTS: tuple[tuple[int, Decimal], ...] = ((0, Decimal(0)), (56, Decimal(1)), (730, Decimal(1)))
REFERENCE_METHOD = (
    "Linear interpolation between (day, share of the 2-year mean improvement) knots (0, 0), (56, 1), (730, 1); "
    "expected score = the patient's baseline minus the expected improvement, not below 0."
)
REFERENCE_INSTRUMENT = {"odi_percent": "odi", "back_pain": "pain", "leg_pain": "pain"}


def reference_share(day: int) -> Decimal:
    """The share of the 2-year improvement expected on `day` (see REFERENCE_KNOTS)."""
    if day <= REFERENCE_KNOTS[0][0]:
        return REFERENCE_KNOTS[0][1]
    for (day0, share0), (day1, share1) in itertools.pairwise(REFERENCE_KNOTS):
        if day <= day1:
            return share0 + (share1 - share0) * Decimal(day - day0) / Decimal(day1 - day0)
    return REFERENCE_KNOTS[-1][1]


def reference_series(baselines: dict[str, float | None]) -> dict[str, list[dict[str, Any]]]:
    """Per score: the expected improvement and, with a baseline, the expected score at the baseline and at each
    milestone's target day of the default protocol."""
    days = [(Assessment.BASELINE, 0)] + [(m.key, m.target_day) for m in MILESTONES]
    series: dict[str, list[dict[str, Any]]] = {}
    for score, two_year in TRIAL_IMPROVEMENT_2Y.items():
        baseline = baselines.get(score)
        points = []
        for timepoint, day in days:
            improvement = two_year * reference_share(day)
            expected = None if baseline is None else max(Decimal(0), Decimal(str(baseline)) - improvement)
            points.append(
                {
                    "timepoint": timepoint,
                    "day": day,
                    "expected_improvement": round1(improvement),
                    "expected_score": round1(expected),
                }
            )
        series[score] = points
    return series


def outcomes_procedure(patient: PatientProfile, now: dt.datetime) -> Procedure | None:
    """The episode whose outcomes are shown: the current (latest done) procedure, else the next one not cancelled."""
    today = patient.local_today(now)
    procedure = current_procedure(patient, on=today)
    if procedure is None:
        procedure = (
            Procedure.objects.filter(patient=patient)
            .exclude(status=ProcedureStatus.CANCELLED)
            .order_by("-procedure_date", "-created_at")
            .first()
        )
    return procedure


def outcomes(patient: PatientProfile, procedure: Procedure | None) -> dict[str, Any]:
    """A procedure's assessments in time order, each with its change from the baseline and responder status
    (recovery.instruments.compare_to_baseline: ODI MCID 10, NPRS 2, ZCQ 0.5), and the trial reference series."""
    if procedure is None:
        return {"procedure": None, "assessments": [], "reference": _reference(None)}
    assessments = list(Assessment.objects.filter(procedure=procedure).order_by("completed_at", "instrument"))
    baselines = {a.instrument: a.scores for a in assessments if a.timepoint == Assessment.BASELINE}
    rows = [
        {
            "id": a.pk,
            "timepoint": a.timepoint,
            "instrument": a.instrument,
            "local_date": a.local_date,
            "day": procedure.day_number(a.local_date),
            "scores": a.scores,
            "change_from_baseline": (
                instruments.compare_to_baseline(a.instrument, baselines[a.instrument], a.scores)
                if a.timepoint != Assessment.BASELINE and a.instrument in baselines
                else None
            ),
        }
        for a in assessments
    ]
    return {
        "procedure": {"id": procedure.pk, "procedure_date": procedure.procedure_date, "status": procedure.status},
        "assessments": rows,
        "reference": _reference(baselines),
    }


def _reference(baselines: dict[str, dict[str, Any]] | None) -> dict[str, Any]:
    baselines = baselines or {}
    values = {score: (baselines.get(instrument) or {}).get(score) for score, instrument in REFERENCE_INSTRUMENT.items()}
    return {
        "source": REFERENCE_SOURCE,
        "method": REFERENCE_METHOD,
        "knots": [{"day": day, "share": float(share)} for day, share in REFERENCE_KNOTS],
        "series": reference_series(values),
    }


# --- Patient detail: timeline -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Timeline:
    today: dt.date
    milestones: Sequence[PatientMilestone]
    done_by_milestone: dict[Any, set[str]]
    alerts: Sequence[Alert]
    revisions: Sequence[CheckInRevision]
    exercise_weeks: Sequence[dict[str, Any]]


def timeline(patient: PatientProfile, now: dt.datetime) -> Timeline:
    """Milestones of every episode (newest episode first), alert history with every event, the edits of check-ins
    (revisions after the first: version 1 is the check-in as first stored, shown by the series) and exercise
    adherence by week. A fixed number of queries."""
    today = patient.local_today(now)
    done: dict[Any, set[str]] = defaultdict(set)
    for procedure_id, timepoint, instrument in Assessment.objects.filter(patient=patient).values_list(
        "procedure_id", "timepoint", "instrument"
    ):
        done[(procedure_id, timepoint)].add(instrument)
    alerts = (
        Alert.objects.filter(patient=patient)
        .select_related("patient__user", "acknowledged_by", "resolved_by", "assigned_to")
        .prefetch_related(
            Prefetch("events", AlertEvent.objects.select_related("actor", "assignee").order_by("at", "id"))
        )
        .order_by("-raised_at", "id")
    )
    revisions = (
        CheckInRevision.objects.filter(checkin__patient=patient, version__gt=1)
        .select_related("checkin", "changed_by")
        .order_by("-changed_at", "-id")
    )
    return Timeline(
        today=today,
        milestones=list(
            PatientMilestone.objects.filter(patient=patient).order_by("-procedure__procedure_date", "opens_on")
        ),
        done_by_milestone=done,
        alerts=list(alerts),
        revisions=list(revisions),
        exercise_weeks=exercise_weeks(patient, now),
    )


# The roster's count of this week's exercise sessions, for many plans at once. The rules are physical therapy's
# (recovery.exercise_selectors._ADHERENCE_SQL, which counts one plan): scheduled sessions are the prescription
# versions' (weekday, time) slots joined to the CalendarDay table within each version's days and window of local minute
# keys, only those already due; a record counts if it is for that very occurrence; partly done counts half. Here one
# CTE row per plan carries that plan's own bounds (its procedure day, this ISO week's Monday in the patient's zone,
# and the patient's current local minute), so one query serves the whole page, on PostgreSQL and SQLite alike.
_EXERCISE_WEEK_SQL = """
WITH w (plan_id, day0, first_day, last_day, now_key) AS (VALUES {values})
SELECT p.plan_id, COUNT(*) AS scheduled,
       SUM(CASE WHEN r.state = %s THEN 1 ELSE 0 END) AS done,
       SUM(CASE WHEN r.state = %s THEN 1 ELSE 0 END) AS partly
FROM {slot} s
JOIN {version} v ON v.id = s.version_id
JOIN {prescription} p ON p.id = v.prescription_id
JOIN w ON w.plan_id = p.plan_id
JOIN {day} c ON c.weekday = s.weekday
LEFT JOIN {record} r
       ON r.prescription_id = v.prescription_id AND r.local_date = c.date AND r.local_time = s.local_time
WHERE v.held = %s
  AND c.epoch_day BETWEEN w.first_day AND w.last_day
  AND c.epoch_day >= w.day0 + v.first_day
  AND (v.last_day IS NULL OR c.epoch_day <= w.day0 + v.last_day)
  AND c.epoch_day * {minutes} + s.minute >= v.from_key
  AND (v.until_key IS NULL OR c.epoch_day * {minutes} + s.minute < v.until_key)
  AND c.epoch_day * {minutes} + s.minute < w.now_key
GROUP BY p.plan_id
"""


def _exercise_week(monday: dt.date, tally: Tally) -> dict[str, Any]:
    iso = monday.isocalendar()
    return {
        "week": f"{iso.year}-W{iso.week:02d}",
        "starts_on": monday,
        "scheduled": tally.scheduled,
        "completed": tally.completed,
        "adherence": tally.adherence,
    }


def exercise_this_week(patients: Iterable[PatientProfile], now: dt.datetime) -> dict[Any, dict[str, Any]]:
    """Patient id -> this ISO week's exercise adherence in their zone (sessions due so far), for the roster rows of
    `roster()` that have a plan; one query for all of them (none when no row has a plan)."""
    bounds: dict[Any, tuple[Any, dt.date]] = {}
    params: list[Any] = []
    for patient in patients:
        row: Any = patient
        if row.exercise_plan_id is None:
            continue
        now_key = local_boundary_key(now, patient.zone)
        monday = row.today - dt.timedelta(days=row.today.weekday())
        day0 = epoch_day(row.procedure_current_date)
        plan_id = ExercisePlan._meta.pk.get_db_prep_value(row.exercise_plan_id, connection)
        params += [plan_id, day0, max(day0, epoch_day(monday)), now_key // MINUTES_PER_DAY, now_key]
        bounds[row.exercise_plan_id] = (patient.pk, monday)
    if not bounds:
        return {}
    sql = _EXERCISE_WEEK_SQL.format(
        values=", ".join(["(%s, %s, %s, %s, %s)"] * len(bounds)),
        slot=PrescriptionSlot._meta.db_table,
        version=PrescriptionVersion._meta.db_table,
        prescription=Prescription._meta.db_table,
        day=CalendarDay._meta.db_table,
        record=ExerciseRecord._meta.db_table,
        minutes=MINUTES_PER_DAY,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, RecordState.DONE.value, RecordState.PARTLY_DONE.value, False])
        counted = {uuid.UUID(str(plan)): Tally(int(n), int(done), int(partly)) for plan, n, done, partly in cursor}
    return {
        patient_id: _exercise_week(monday, counted.get(plan_id, Tally()))
        for plan_id, (patient_id, monday) in bounds.items()
    }


def exercise_weeks(patient: PatientProfile, now: dt.datetime) -> list[dict[str, Any]]:
    """Exercise adherence of the current procedure's plan by ISO week, as physical therapy counts it (one SQL
    aggregate, recovery.exercise_selectors.exercise_adherence). Empty without a plan."""
    procedure = current_procedure(patient, on=patient.local_today(now))
    plan = (
        ExercisePlan.objects.filter(procedure=procedure).select_related("patient", "procedure").first()
        if procedure is not None
        else None
    )
    if plan is None:
        return []
    return [
        {key: week[key] for key in ("week", "starts_on", "scheduled", "completed", "adherence")}
        for week in exercise_adherence(plan, now)["by_week"]
    ]


# --- Patient detail: CSV export ---------------------------------------------------------------------------------------

EXPORT_COLUMNS = (
    "record", "local_date", "day", "procedure_id", "timepoint", "instrument",
    "back_pain", "leg_pain", "walking_minutes", "standing_minutes", "steps", "medication", "symptoms", "red_flags",
    "note", "odi_percent", "zcq_symptom_severity", "zcq_physical_function", "zcq_satisfaction",
    "recorded_at", "received_at", "version",
)  # fmt: skip
# A cell starting with one of these is read as a formula by spreadsheet programs; patients type free text.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
        return "'" + value
    return value


def export_csv(patient: PatientProfile) -> str:
    """The patient's check-ins and assessments as one CSV table, in date order (check-ins before assessments on the
    same day). `record` says which a row is; assessment rows fill the columns of their instrument's scores (pain:
    back_pain and leg_pain; tolerance: walking_minutes and standing_minutes; odi; zcq). Two queries."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_COLUMNS, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    rows: list[tuple[dt.date, int, str, dict[str, Any]]] = []
    for checkin in CheckIn.objects.filter(patient=patient).select_related("procedure").order_by("local_date"):
        rows.append(
            (
                checkin.local_date,
                0,
                "",
                {
                    "record": "checkin",
                    "local_date": checkin.local_date.isoformat(),
                    "day": checkin.procedure.day_number(checkin.local_date) if checkin.procedure else "",
                    "procedure_id": checkin.procedure_id or "",
                    "back_pain": checkin.back_pain,
                    "leg_pain": checkin.leg_pain,
                    "walking_minutes": checkin.walking_minutes,
                    "standing_minutes": checkin.standing_minutes,
                    "steps": "" if checkin.steps is None else checkin.steps,
                    "medication": checkin.medication,
                    "symptoms": ";".join(checkin.symptoms),
                    "red_flags": ";".join(checkin.red_flags),
                    "note": checkin.note,
                    "recorded_at": checkin.recorded_at.isoformat(),
                    "received_at": checkin.received_at.isoformat(),
                    "version": checkin.version,
                },
            )
        )
    for assessment in Assessment.objects.filter(patient=patient).select_related("procedure").order_by("completed_at"):
        scores = {name: ("" if value is None else value) for name, value in assessment.scores.items()}
        rows.append(
            (
                assessment.local_date,
                1,
                assessment.instrument,
                {
                    "record": "assessment",
                    "local_date": assessment.local_date.isoformat(),
                    "day": assessment.procedure.day_number(assessment.local_date),
                    "procedure_id": assessment.procedure_id,
                    "timepoint": assessment.timepoint,
                    "instrument": assessment.instrument,
                    **scores,
                    "recorded_at": assessment.completed_at.isoformat(),
                },
            )
        )
    for _, _, _, row in sorted(rows, key=lambda r: (r[0], r[1], r[2])):
        writer.writerow({key: _cell(value) for key, value in row.items()})
    return buffer.getvalue()


# --- Cohort -----------------------------------------------------------------------------------------------------------

COHORT_METRICS = ("back_pain", "leg_pain", "walking_minutes")
COHORT_TIMEPOINTS = ("weeks_6_8", "month_6", "year_1")
# Clinic-wide views hide any cell describing fewer patients than this (small-cell suppression).
SUPPRESS_BELOW = 5
COHORT_MAX_WEEKS = 105
# Enough to group 5,000 patients x 15 weeks in memory (see tuned_reads).
COHORT_WORK_MEM_MB = 16


def percentile_cont(values: Sequence[float], fraction: float) -> float | None:
    """PostgreSQL's percentile_cont: linear interpolation between the closest ranks of the sorted values."""
    if not values:
        return None
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    lower = math.floor(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def cohort_is_clinic_wide(user: User) -> bool:
    return user.role == Role.CLINIC_ADMIN


def _cohort_checkins(user: User, weeks: int) -> QuerySet[CheckIn]:
    """The check-ins of the patients `user` may see, in the first `weeks` weeks after their own (done) procedure
    episode, annotated with the day number (`day_n`)."""
    return (
        scope_to_visible_patients(user, CheckIn.objects.all())
        .filter(_in_first_weeks(weeks))
        .order_by()
        .annotate(day_n=DaysBetween(F("local_date"), F("procedure__procedure_date")))
    )


def _in_first_weeks(weeks: int) -> Q:
    return Q(
        procedure__status=ProcedureStatus.DONE,
        local_date__gte=F("procedure__procedure_date"),
        local_date__lt=DateAddDays(F("procedure__procedure_date"), 7 * weeks),
    )


def _cohort_weekly_means(user: User, weeks: int) -> QuerySet[CheckIn, dict[str, Any]]:
    """One row per (patient, week since the procedure) with the patient's mean of each metric that week.

    A patient counts once per week whatever their number of check-ins, so the curve describes patients, not the most
    diligent patients' days. Weeks are counted from the check-in's own procedure episode (days 0-6 = week 0)."""
    return (
        _cohort_checkins(user, weeks)
        .annotate(week=Cast(F("day_n") / 7, IntegerField()))
        .values("patient_id", "week")
        .annotate(**{metric: Cast(Avg(metric), FloatField()) for metric in COHORT_METRICS})
    )


def _cohort_assessments(user: User) -> QuerySet[Assessment]:
    return (
        scope_to_visible_patients(user, Assessment.objects.all())
        .filter(procedure__status=ProcedureStatus.DONE, timepoint__in=COHORT_TIMEPOINTS, instrument__in=("odi", "pain"))
        .order_by()
    )


_PERCENTILES = "ARRAY[0.25, 0.5, 0.75]"


def _cohort_weekly_stats(user: User, weeks: int) -> dict[int, dict[str, tuple[int, list[float | None]]]]:
    """week -> metric -> (n patients, [p25, median, p75]). PostgreSQL: percentile_cont over the grouped rows, one
    query. SQLite: the grouped rows, then the same statistic in Python."""
    inner = _cohort_weekly_means(user, weeks)
    stats: dict[int, dict[str, tuple[int, list[float | None]]]] = {}
    if connection.vendor == "postgresql":
        sql, params = inner.query.get_compiler(using=inner.db).as_sql()
        columns = ", ".join(
            f'COUNT(pw."{m}"), percentile_cont({_PERCENTILES}) WITHIN GROUP (ORDER BY pw."{m}")' for m in COHORT_METRICS
        )
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT pw."week", {columns} FROM ({sql}) pw GROUP BY pw."week"', params)  # noqa: S608
            for week, *values in cursor.fetchall():
                stats[int(week)] = {
                    metric: (int(values[2 * i]), list(values[2 * i + 1] or [None, None, None]))
                    for i, metric in enumerate(COHORT_METRICS)
                }
        return stats
    grouped: dict[int, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for row in inner:
        for metric in COHORT_METRICS:
            if row[metric] is not None:
                grouped[int(row["week"])][metric].append(float(row[metric]))
    for week, metrics in grouped.items():
        stats[week] = {
            metric: (len(values), [percentile_cont(values, f) for f in (0.25, 0.5, 0.75)])
            for metric, values in metrics.items()
        }
    return stats


def _cohort_responders(user: User) -> dict[tuple[str, str], tuple[int, int]]:
    """(timepoint, "odi" | "pain") -> (patients with a baseline and that timepoint, responders), counted in SQL.

    Responder: ODI improved by ODI_MCID (10) points or more; pain: back or leg pain improved by PAIN_MCID (2) or
    more, either site (the rule no_improvement_6_8_weeks uses the same reading). Scores are stored with one decimal,
    so the comparison is made in tenths, rounded, to be exact on floating-point storage too."""

    def improvement(score: str) -> Any:
        baseline = Cast(KeyTextTransform(score, "baseline__scores"), FloatField())
        return Round((baseline - _score(score)) * 10)

    rows = (
        _cohort_assessments(user)
        .annotate(
            # The same procedure's baseline of the same instrument, joined (one join, no correlated subqueries).
            baseline=FilteredRelation(
                "procedure__assessments",
                condition=Q(
                    procedure__assessments__timepoint=Assessment.BASELINE,
                    procedure__assessments__instrument=F("instrument"),
                ),
            )
        )
        .annotate(
            odi_gain=improvement("odi_percent"),
            back_gain=improvement("back_pain"),
            leg_gain=improvement("leg_pain"),
        )
        .annotate(
            compared=Case(
                When(Q(instrument="odi", odi_gain__isnull=False), then=Value(1)),
                When(
                    Q(instrument="pain", back_gain__isnull=False) | Q(instrument="pain", leg_gain__isnull=False),
                    then=Value(1),
                ),
                default=Value(0),
            ),
            responder=Case(
                When(Q(instrument="odi", odi_gain__gte=10 * instruments.ODI_MCID), then=Value(1)),
                When(
                    Q(instrument="pain")
                    & (Q(back_gain__gte=10 * instruments.PAIN_MCID) | Q(leg_gain__gte=10 * instruments.PAIN_MCID)),
                    then=Value(1),
                ),
                default=Value(0),
            ),
        )
        .values("timepoint", "instrument")
        .annotate(n=Sum("compared"), responders=Sum("responder"))
    )
    return {(r["timepoint"], r["instrument"]): (int(r["n"] or 0), int(r["responders"] or 0)) for r in rows}


def _cell_out(n: int, values: dict[str, Any], suppress: bool) -> dict[str, Any]:
    if suppress and 0 < n < SUPPRESS_BELOW:
        return {"n": None, **dict.fromkeys(values), "suppressed": True}
    return {"n": n, **values, "suppressed": False}


def cohort(user: User, *, weeks: int) -> dict[str, Any]:
    """The recovery curve of the patients `user` may see: per week since the procedure, n, median and interquartile
    range of the patients' weekly mean back pain, leg pain and walking minutes; the share of ODI and pain responders
    at 6-8 weeks, 6 months and 1 year. A clinic admin's view is clinic-wide, and there any cell describing fewer
    than SUPPRESS_BELOW patients is suppressed (its numbers null, `suppressed` true)."""
    suppress = cohort_is_clinic_wide(user)
    stats = _cohort_weekly_stats(user, weeks)
    curve = []
    for week in range(weeks):
        metrics = stats.get(week, {})
        point: dict[str, Any] = {"week": week}
        for metric in COHORT_METRICS:
            n, (p25, median, p75) = metrics.get(metric, (0, [None, None, None]))
            point[metric] = _cell_out(n, {"median": round1(median), "p25": round1(p25), "p75": round1(p75)}, suppress)
        curve.append(point)
    responders = _cohort_responders(user)
    shares = []
    for timepoint in COHORT_TIMEPOINTS:
        entry: dict[str, Any] = {"timepoint": timepoint}
        for measure in ("odi", "pain"):
            n, count = responders.get((timepoint, measure), (0, 0))
            entry[measure] = _cell_out(n, {"responders": count, "share": round(count / n, 3) if n else None}, suppress)
        shares.append(entry)
    return {
        "scope": "clinic" if suppress else "care_team",
        "suppression_threshold": SUPPRESS_BELOW if suppress else None,
        "weeks": curve,
        "responders": shares,
    }


def cohort_patient_ids(user: User) -> list[Any]:
    """The patients a clinician's cohort covers, for the PHI access log: every patient they may see, since the
    cohort reads each one's check-ins and assessments (finding none is a read too). One query."""
    return list(patients_visible_to(user).values_list("pk", flat=True))
