"""How quickly the clinic acknowledges alerts: per tier, over the last 30 days, the median and 90th percentile of the
time from an alert being raised to its first acknowledgement (GET /api/v1/clinician/alert-response).

- Population: every alert of the clinic's patients (all care teams: it measures the clinic's response, for its
  clinicians and admins alike) raised in the 30 days up to now.
- Time to acknowledge: Alert.acknowledged_at - Alert.raised_at, in minutes. Resolving an alert that nobody
  acknowledged acknowledges it at that moment (recovery.services.alert_resolve), so it counts too.
- Alerts not acknowledged yet have no time: they are counted in `waiting` and left out of the percentiles (so the
  percentiles describe answered alerts only; `waiting` shows what they leave out).
- Percentiles: PostgreSQL's percentile_cont definition (linear interpolation between the closest ranks of the sorted
  times; dashboards.cohort.percentile_cont): for n times sorted ascending t[0..n-1], the p-th percentile is at
  position p * (n - 1), interpolated between its neighbours. Null when no alert of that tier was acknowledged.
- An aggregate over the clinic, with no row per patient: not PHI-logged.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from accounts.models import Clinic
from dashboards.cohort import percentile_cont
from recovery.models import Alert, Tier

WINDOW_DAYS = 30
PERCENTILES = {"median": 0.5, "p90": 0.9}


def alert_response(clinic: Clinic | None, now: dt.datetime) -> dict[str, Any]:
    """{window_days, since, until, tiers: [{tier, raised, acknowledged, waiting, median_minutes, p90_minutes}]},
    one entry per tier (emergency, urgent, watch). One query."""
    since = now - dt.timedelta(days=WINDOW_DAYS)
    rows = Alert.objects.filter(patient__user__clinic=clinic, raised_at__gt=since, raised_at__lte=now).values_list(
        "tier", "raised_at", "acknowledged_at"
    )
    minutes: dict[str, list[float]] = {t.value: [] for t in Tier}
    raised: dict[str, int] = dict.fromkeys(minutes, 0)
    for tier, raised_at, acknowledged_at in rows if clinic is not None else ():
        raised[tier] += 1
        if acknowledged_at is not None:
            minutes[tier].append((acknowledged_at - raised_at).total_seconds() / 60)
    tiers = []
    for tier in ("emergency", "urgent", "watch"):
        times = minutes[tier]
        entry: dict[str, Any] = {
            "tier": tier,
            "raised": raised[tier],
            "acknowledged": len(times),
            "waiting": raised[tier] - len(times),
        }
        for name, fraction in PERCENTILES.items():
            value = percentile_cont(times, fraction)
            entry[f"{name}_minutes"] = round(value, 1) if value is not None else None
        tiers.append(entry)
    return {"window_days": WINDOW_DAYS, "since": since, "until": now, "tiers": tiers}
