"""Local wall-clock times to UTC instants, correct across daylight-saving changes.

Used wherever something happens "at 08:00 where the patient is" (exercise sessions, reminders). Rules:
- a time that happens twice (the autumn change) counts once, at its first occurrence (fold=0);
- a time that does not exist (the spring change) moves to the next valid minute;
computed with zoneinfo for the person's IANA zone, never with per-user crontabs.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

MINUTES_PER_DAY = 24 * 60


def _exists(naive: dt.datetime, zone: zoneinfo.ZoneInfo) -> bool:
    aware = naive.replace(tzinfo=zone, fold=0)
    return aware.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) == naive


def local_to_utc(day: dt.date, at: dt.time, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """The UTC instant of `at` on `day` in `zone`, by the rules above."""
    naive = dt.datetime.combine(day, at.replace(second=0, microsecond=0, tzinfo=None))
    # A gap is an hour almost everywhere (30 minutes on Lord Howe Island); walking minute by minute finds its end.
    for _ in range(MINUTES_PER_DAY):
        if _exists(naive, zone):
            return naive.replace(tzinfo=zone, fold=0).astimezone(dt.UTC)
        naive += dt.timedelta(minutes=1)
    raise ValueError(f"No valid local time near {day} {at} in {zone}")
