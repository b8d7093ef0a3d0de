"""The red-flag rule set: deterministic, versioned, in the tiers of the clinical brief.

Each rule looks at facts and returns findings; it never writes. `recovery.services.alerts_raise` turns findings into
alerts, one per (patient, rule, trigger), so running a rule twice on the same facts changes nothing.

The rule set has a version (recovery.content.red_flags): its questions and their wording belong to it, and every
alert records the version that raised it. Changing a question or what a rule decides means a new version.

Inputs stay compatible across versions: a check-in sends `red_flags` as the keys of the questions answered yes. Keys
of earlier versions that the current one no longer asks (version 1's `new_numbness_tingling`) are still accepted, so
a check-in filled in on an old cached form, or replayed from a phone's outbox, is stored exactly as sent (an
identical replay stays identical) and raises an alert under that earlier question's own rule, in the words the
patient was asked; the alert records the current version, which evaluated it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from recovery import instruments
from recovery.content.healthcare_use import HEALTHCARE_USE_RULE
from recovery.content.protocol_default import (
    HIGH_PAIN_DAYS,
    HIGH_PAIN_SCORE,
    NO_CHECKIN_DAYS,
    PAIN_RISE_DAYS,
    PAIN_RISE_POINTS,
    AlertRule,
)
from recovery.content.red_flags import CURRENT, RULE_SETS

RULE_SET_VERSION: int = CURRENT.version

# Every rule a finding may name: the current version's, then retired rules of earlier versions (for their keys only).
RULES: dict[str, AlertRule] = {}
for _version in sorted(RULE_SETS, reverse=True):
    for _rule in RULE_SETS[_version].rules:
        RULES.setdefault(_rule.key, _rule)
# The weekly health-care use question is versioned on its own (recovery.content.healthcare_use); its rule is one.
RULES[HEALTHCARE_USE_RULE.key] = HEALTHCARE_USE_RULE
# Keys a check-in may send: every question of every version (see the module docstring).
ACCEPTED_RED_FLAGS: frozenset[str] = frozenset(q.key for rs in RULE_SETS.values() for q in rs.questions)
RED_FLAG_TIER = {key: RULES[key].tier for key in ACCEPTED_RED_FLAGS}
# Red-flag answers about a leg: with one of them, the leg weakness symptom adds nothing.
LEG_RED_FLAGS = frozenset({"sudden_leg_weakness", "leg_numbness_weakness", "new_numbness_tingling"})
LEG_WEAKNESS_SYMPTOM = "leg_weakness"
# Daily check-ins are expected through the weeks-6-8 milestone; later, missing days are not a warning sign.
CHECKINS_EXPECTED_UNTIL_DAY = 56


@dataclass(frozen=True)
class Finding:
    rule: str
    trigger: str
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def tier(self) -> str:
        return RULES[self.rule].tier

    @property
    def title(self) -> str:
        return RULES[self.rule].title


@dataclass(frozen=True)
class DayPain:
    local_date: dt.date
    back_pain: int
    leg_pain: int
    # The record this day's check-in is, e.g. "checkin:<uuid>"; a trend alert names the check-in that ends its run.
    trigger: str = ""


def red_flag_findings(red_flags: Sequence[str], trigger: str) -> list[Finding]:
    """Every red-flag question answered yes is its own finding, in its own tier (emergency or urgent)."""
    return [Finding(rule=key, trigger=trigger, details={"answer": "yes"}) for key in red_flags]


def healthcare_use_finding(answer: bool | None, trigger: str, question_version: int | None) -> Finding | None:
    """The weekly question answered yes (an emergency visit or a hospital stay since last week): a watch alert."""
    if not answer:
        return None
    return Finding(rule=HEALTHCARE_USE_RULE.key, trigger=trigger, details={"question_version": question_version})


def highest_red_flag_tier(red_flags: Sequence[str]) -> str | None:
    tiers = {RED_FLAG_TIER[key] for key in red_flags if key in RED_FLAG_TIER}
    for tier in ("emergency", "urgent"):
        if tier in tiers:
            return tier
    return None


@dataclass(frozen=True)
class DaySymptoms:
    local_date: dt.date
    symptoms: Sequence[str]
    red_flags: Sequence[str]
    trigger: str  # "checkin:<uuid>"


def leg_weakness_finding(today: DaySymptoms, earlier: Sequence[DaySymptoms]) -> Finding | None:
    """Watch tier: leg weakness ticked among the symptoms, without a leg red-flag answer on that check-in.

    Patients with stenosis may tick it day after day; one alert per run is enough. A run is the check-ins reporting it
    back to the last one that did not (days without a check-in do not end it); the alert names the run's first
    check-in, so every later check-in of the same run finds the alert already raised.
    """
    if LEG_WEAKNESS_SYMPTOM not in today.symptoms or LEG_RED_FLAGS & set(today.red_flags):
        return None
    first = today
    for day in sorted(earlier, key=lambda d: d.local_date, reverse=True):
        if day.local_date >= today.local_date:
            continue
        if LEG_WEAKNESS_SYMPTOM not in day.symptoms:
            break
        first = day
    return Finding("leg_weakness_symptom", first.trigger, {"since": first.local_date.isoformat()})


def _run_through(
    days: Sequence[DayPain], day: dt.date, count: int, ok: Callable[[DayPain], bool]
) -> list[DayPain] | None:
    """`count` consecutive days that include `day` and all satisfy `ok`, oldest first (None when there are none).

    Any run through the day just recorded counts, not only the one ending on it: with offline sync and backfill a
    check-in can arrive after a later day's, and completes the run just the same. The run ending on `day` is
    preferred, so check-ins arriving in order are judged exactly as before. A run is raised under the trigger of its
    last day, whichever check-in completed it, so editing an earlier day of a run already raised adds nothing.
    """
    by_date = {d.local_date: d for d in days}
    for ahead in range(count):
        end = day + dt.timedelta(days=ahead)
        run = [by_date.get(end - dt.timedelta(days=back)) for back in reversed(range(count))]
        found = [d for d in run if d is not None and ok(d)]
        if len(found) == count:
            return found
    return None


def pain_trend_findings(
    recent: Sequence[DayPain], today: DayPain, baseline: tuple[int | None, int | None] | None, trigger: str
) -> list[Finding]:
    """Watch-tier trends, judged on the check-in just recorded and the days around it.

    - pain 8 or more (back or leg) on HIGH_PAIN_DAYS consecutive days;
    - pain PAIN_RISE_POINTS or more above the patient's baseline assessment (back or leg) on PAIN_RISE_DAYS
      consecutive days. Without a baseline assessment this rule cannot judge and stays silent.
    """
    days = [*recent, today]
    findings: list[Finding] = []
    run = _run_through(
        days, today.local_date, HIGH_PAIN_DAYS, lambda d: max(d.back_pain, d.leg_pain) >= HIGH_PAIN_SCORE
    )
    if run:
        dates = [d.local_date.isoformat() for d in run]
        findings.append(Finding("pain_8_plus_two_days", run[-1].trigger or trigger, {"dates": dates}))
    if baseline is not None:
        back0, leg0 = baseline

        def risen(d: DayPain) -> bool:
            return (back0 is not None and d.back_pain >= back0 + PAIN_RISE_POINTS) or (
                leg0 is not None and d.leg_pain >= leg0 + PAIN_RISE_POINTS
            )

        run = _run_through(days, today.local_date, PAIN_RISE_DAYS, risen)
        if run:
            findings.append(
                Finding(
                    "pain_above_baseline_3_days",
                    run[-1].trigger or trigger,
                    {
                        "baseline_back_pain": back0,
                        "baseline_leg_pain": leg0,
                        "dates": [d.local_date.isoformat() for d in run],
                    },
                )
            )
    return findings


def missing_checkin_finding(*, today: dt.date, procedure_date: dt.date, last_checkin: dt.date | None) -> Finding | None:
    """No check-in on each of the NO_CHECKIN_DAYS days before today (today is not over yet), while check-ins are
    expected. One alert per gap: the trigger names the last day we heard from the patient."""
    day_n = (today - procedure_date).days
    if day_n <= NO_CHECKIN_DAYS or day_n > CHECKINS_EXPECTED_UNTIL_DAY + NO_CHECKIN_DAYS:
        return None
    last = max(last_checkin, procedure_date) if last_checkin else procedure_date
    missed = (today - last).days - 1
    if missed < NO_CHECKIN_DAYS:
        return None
    return Finding("no_checkin_3_days", f"gap-since:{last.isoformat()}", {"last_checkin": last.isoformat()})


def milestone_overdue_finding(milestone_id: str, title: str, closes_on: dt.date) -> Finding:
    return Finding("milestone_overdue", f"milestone:{milestone_id}", {"milestone": title, "closed_on": str(closes_on)})


def no_improvement_finding(
    *, milestone_id: str, comparisons: dict[str, dict[str, instruments.ScoreChange]]
) -> Finding | None:
    """At the 6-8 week milestone: not a responder on any measure that has a baseline (ODI 10+, pain 2+, ZCQ 0.5+).

    Silent when no measure can be judged (no baselines): that is a data gap, not a clinical finding.
    """
    judged = [
        change["responder"]
        for by_score in comparisons.values()
        for change in by_score.values()
        if change["responder"] is not None
    ]
    if not judged or any(judged):
        return None
    summary = {
        f"{instrument}.{name}": change["improvement"]
        for instrument, by_score in comparisons.items()
        for name, change in by_score.items()
        if change["responder"] is not None
    }
    return Finding("no_improvement_6_8_weeks", f"milestone:{milestone_id}", {"improvement": summary})
