"""Local wall-clock times to UTC instants, correct across daylight-saving changes.

Rules (for a reminder at a local time on a local date):
- a time that happens twice (the autumn change) fires once, at its first occurrence (fold=0);
- a time that does not exist (the spring change) fires at the next valid minute;
both computed with zoneinfo for the person's IANA zone, never with per-user crontabs.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

UTC = dt.UTC


def _exists(naive: dt.datetime, zone: zoneinfo.ZoneInfo) -> bool:
    aware = naive.replace(tzinfo=zone, fold=0)
    return aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == naive


def local_to_utc(day: dt.date, at: dt.time, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """The UTC instant of `at` on `day` in `zone`, by the rules above."""
    naive = dt.datetime.combine(day, at.replace(second=0, microsecond=0, tzinfo=None))
    # Zones shift by at most a few hours; walking minute by minute finds the end of any real gap quickly.
    for _ in range(24 * 60):
        if _exists(naive, zone):
            return naive.replace(tzinfo=zone, fold=0).astimezone(UTC)
        naive += dt.timedelta(minutes=1)
    raise ValueError(f"No valid local time near {day} {at} in {zone}")  # pragma: no cover (no zone has such a gap)


def local_date(now: dt.datetime, zone: zoneinfo.ZoneInfo) -> dt.date:
    return now.astimezone(zone).date()


def in_quiet_hours(instant: dt.datetime, zone: zoneinfo.ZoneInfo, start: dt.time | None, end: dt.time | None) -> bool:
    """Whether `instant` falls in the daily quiet window [start, end) in `zone`; the window may cross midnight."""
    if start is None or end is None or start == end:
        return False
    local = instant.astimezone(zone).time().replace(tzinfo=None)
    if start < end:
        return start <= local < end
    return local >= start or local < end


def quiet_hours_end_after(
    instant: dt.datetime, zone: zoneinfo.ZoneInfo, start: dt.time | None, end: dt.time | None
) -> dt.datetime:
    """The first instant at or after `instant` outside quiet hours."""
    if not in_quiet_hours(instant, zone, start, end) or end is None:
        return instant
    today = instant.astimezone(zone).date()
    for day in (today, today + dt.timedelta(days=1)):
        candidate = local_to_utc(day, end, zone)
        if candidate > instant:
            return candidate
    return instant  # pragma: no cover
